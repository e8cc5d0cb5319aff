package dev.grizz.engine.security;

import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.StringNode;

/**
 * Request bodies are parsed with a nesting limit: a chat request is never deep, and a deeply nested
 * body only costs the parser. Text holding U+0000 is refused as it is parsed: PostgreSQL cannot
 * store it, and it used to fail as a 500 wherever the text was written. Spring Boot 4.0 has no
 * property for it, so the builder Boot uses for every JSON mapper starts from a factory with the
 * limit, then takes Boot's customizers as usual.
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
    JsonMapper.Builder builder =
        JsonMapper.builder(factory)
            .addModule(new SimpleModule("no-nul").addDeserializer(String.class, new NoNulStrings()))
            .nodeFactory(new NoNulNodes());
    customizers.forEach(customizer -> customizer.customize(builder));
    return builder;
  }

  /** Strings bound to records and fields: refused when they hold U+0000. */
  static final class NoNulStrings extends StringDeserializer {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) {
      String value = super.deserialize(p, ctxt);
      return value == null ? null : NulCharacterException.checked(value);
    }
  }

  /** Strings read as a tree (the OpenAI-compatible body): refused when they hold U+0000. */
  static final class NoNulNodes extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public StringNode stringNode(String text) {
      return super.stringNode(text == null ? null : NulCharacterException.checked(text));
    }
  }
}
