package dev.grizz.engine.api;

import dev.grizz.engine.llm.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/** Builds OpenAI's response and chunk JSON. */
final class OpenAiChunks {
  private final JsonMapper json;
  private final String id;
  private final long created;

  OpenAiChunks(JsonMapper json, String id, long created) {
    this.json = json;
    this.id = id;
    this.created = created;
  }

  private Map<String, Object> base(String object, String model) {
    Map<String, Object> chunk = new LinkedHashMap<>();
    chunk.put("id", id);
    chunk.put("object", object);
    chunk.put("created", created);
    chunk.put("model", model);
    return chunk;
  }

  private String frame(Map<String, Object> chunk) {
    return "data: " + json.writeValueAsString(chunk) + "\n\n";
  }

  private String choice(String model, Map<String, Object> delta, @Nullable String finish) {
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("delta", delta);
    choice.put("finish_reason", finish);
    Map<String, Object> chunk = base("chat.completion.chunk", model);
    chunk.put("choices", List.of(choice));
    return frame(chunk);
  }

  String role(String model) {
    return choice(model, Map.of("role", "assistant", "content", ""), null);
  }

  String delta(String model, String text) {
    return choice(model, Map.of("content", text), null);
  }

  String finish(String model, String reason) {
    return choice(model, Map.of(), reason);
  }

  String usage(String model, Usage usage) {
    Map<String, Object> chunk = base("chat.completion.chunk", model);
    chunk.put("choices", List.of());
    chunk.put("usage", usageJson(usage));
    return frame(chunk);
  }

  String whole(String model, String text, String finish, Usage usage) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("role", "assistant");
    message.put("content", text);
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", 0);
    choice.put("message", message);
    choice.put("finish_reason", finish);
    Map<String, Object> body = base("chat.completion", model);
    body.put("choices", List.of(choice));
    body.put("usage", usageJson(usage));
    return json.writeValueAsString(body);
  }

  private static Map<String, Object> usageJson(Usage usage) {
    int prompt = usage.promptTokens() == null ? 0 : usage.promptTokens();
    int completion = usage.completionTokens() == null ? 0 : usage.completionTokens();
    return Map.of(
        "prompt_tokens",
        prompt,
        "completion_tokens",
        completion,
        "total_tokens",
        prompt + completion);
  }
}
