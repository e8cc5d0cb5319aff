package dev.grizz.engine.llm;

import dev.grizz.engine.config.Secret;
import dev.grizz.engine.llm.anthropic.AnthropicProvider;
import dev.grizz.engine.llm.openai.Dialect;
import dev.grizz.engine.llm.openai.OpenAiCompatibleProvider;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the enabled providers from configuration alone, in preference order; demo comes last. */
@Configuration(proxyBeanMethods = false)
class ProvidersConfig {

  @Bean
  PriceTable priceTable(ProviderSettings settings) {
    return PriceTable.load(settings.pricesFile());
  }

  @Bean
  Providers providers(
      ProviderSettings settings, PriceTable prices, DemoProvider demo, Clock clock) {
    List<LlmProvider> real = new ArrayList<>();
    LocalDate today = LocalDate.now(clock);
    Secret openaiKey = settings.openaiKey();
    if (openaiKey.get() != null || settings.openaiBaseUrl() != null) {
      String url =
          settings.openaiBaseUrl() != null
              ? settings.openaiBaseUrl()
              : ProviderSettings.OPENAI_DEFAULT_URL;
      List<String> models =
          !settings.openaiModels().isEmpty()
              ? settings.openaiModels()
              : catalogModels(prices, "openai", today);
      boolean vendor = url.startsWith(ProviderSettings.OPENAI_DEFAULT_URL);
      real.add(
          new OpenAiCompatibleProvider(
              "openai",
              url,
              openaiKey,
              models,
              true,
              settings.readTimeout(),
              !vendor && settings.openaiModels().isEmpty()));
    }
    Secret anthropicKey = settings.anthropicKey();
    if (anthropicKey.get() != null) {
      real.add(
          new AnthropicProvider(
              "anthropic",
              settings.anthropicBaseUrl(),
              anthropicKey,
              catalogModels(prices, "anthropic", today),
              settings.anthropicMaxTokens(),
              settings.readTimeout()));
    }
    Secret mistralKey = settings.mistralKey();
    if (mistralKey.get() != null) {
      real.add(
          new OpenAiCompatibleProvider(
              "mistral",
              settings.mistralBaseUrl(),
              mistralKey,
              catalogModels(prices, "mistral", today),
              false,
              settings.readTimeout(),
              false,
              Dialect.MISTRAL));
    }
    for (Map.Entry<String, String> server : settings.compatibleServers().entrySet()) {
      real.add(
          new OpenAiCompatibleProvider(
              server.getKey(),
              server.getValue(),
              (String) null,
              List.of(),
              true,
              settings.readTimeout(),
              true));
    }
    List<LlmProvider> all = new ArrayList<>(real);
    all.add(demo);
    return new Providers(all, !real.isEmpty());
  }

  private static List<String> catalogModels(PriceTable prices, String provider, LocalDate today) {
    return prices.current(provider, today).stream().map(ModelPrice::model).toList();
  }

  /** The enabled providers, in preference order, and whether any of them is real (not demo). */
  record Providers(List<LlmProvider> all, boolean anyReal) {}
}
