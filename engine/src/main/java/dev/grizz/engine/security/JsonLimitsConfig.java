package dev.grizz.engine.security;

import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Request bodies are parsed with a nesting limit: a chat request is never deep, and a deeply nested
 * body only costs the parser. Spring Boot 4.0 has no property for it, so the builder Boot uses for
 * every JSON mapper starts from a factory with the limit, then takes Boot's customizers as usual.
 */
@Configuration(proxyBeanMethods = false)
class JsonLimitsConfig {

  @Bean
  @Scope("prototype")
  JsonMapper.Builder jsonMapperBuilder(
      WebSettings settings, List<JsonMapperBuilderCustomizer> customizers) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(settings.maxJsonDepth()).build())
            .build();
    JsonMapper.Builder builder = JsonMapper.builder(factory);
    customizers.forEach(customizer -> customizer.customize(builder));
    return builder;
  }
}
