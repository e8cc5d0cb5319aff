package dev.grizz.engine.conversation;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@link ConversationSettings} as the {@code tasks.settings} JSON: keys not set are absent. */
final class SettingsJson {

  private SettingsJson() {}

  static String write(ConversationSettings settings) {
    ObjectNode json = JsonMapper.shared().createObjectNode();
    if (settings.model() != null) {
      json.put("model", settings.model());
    }
    if (settings.systemPrompt() != null) {
      json.put("system_prompt", settings.systemPrompt());
    }
    if (settings.temperature() != null) {
      json.put("temperature", settings.temperature());
    }
    if (settings.maxOutputTokens() != null) {
      json.put("max_output_tokens", settings.maxOutputTokens());
    }
    if (settings.tools() != null) {
      settings.tools().forEach(json.putArray("tools")::add);
    }
    return json.toString();
  }

  static ConversationSettings read(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return ConversationSettings.NONE;
    }
    JsonNode json = JsonMapper.shared().readTree(text);
    return new ConversationSettings(
        json.path("model").isString() ? json.path("model").stringValue() : null,
        json.path("system_prompt").isString() ? json.path("system_prompt").stringValue() : null,
        json.path("temperature").isNumber() ? json.path("temperature").doubleValue() : null,
        json.path("max_output_tokens").isInt() ? json.path("max_output_tokens").intValue() : null,
        json.path("tools").isArray() ? tools(json.path("tools")) : null);
  }

  private static java.util.List<String> tools(JsonNode names) {
    java.util.List<String> tools = new java.util.ArrayList<>();
    for (JsonNode name : names) {
      if (name.isString()) {
        tools.add(name.stringValue());
      }
    }
    return tools;
  }
}
