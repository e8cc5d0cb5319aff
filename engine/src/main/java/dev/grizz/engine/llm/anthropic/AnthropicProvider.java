package dev.grizz.engine.llm.anthropic;

import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmProvider;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.StreamingPost;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Streams Anthropic's Messages API: one POST to {@code {baseUrl}/v1/messages} on the shared HTTP
 * client, its events read by {@link MessageEvents}. Not through the Anthropic SDK: it takes no
 * OkHttpClient of ours, so its sockets kept Nagle's algorithm on and a prompt over 8 KiB waited ~40
 * ms for a delayed ACK, and it bound every event to its model objects.
 */
public final class AnthropicProvider implements LlmProvider {

  private static final MediaType JSON = MediaType.get("application/json");

  /** The Messages API version this adapter speaks; its events are read as this version has them. */
  private static final String API_VERSION = "2023-06-01";

  private final String name;
  private final List<String> models;
  private final HttpUrl messages;
  private final Supplier<@Nullable String> apiKey;
  private final long maxTokens;
  private final StreamingPost upstream;

  public AnthropicProvider(
      String name,
      String baseUrl,
      String apiKey,
      List<String> models,
      long maxTokens,
      Duration readTimeout) {
    this(name, baseUrl, () -> apiKey, models, maxTokens, readTimeout);
  }

  /**
   * As above, with a key that may change while the engine runs (a rotated key file): each request
   * sends the key as it is then.
   */
  public AnthropicProvider(
      String name,
      String baseUrl,
      Supplier<@Nullable String> apiKey,
      List<String> models,
      long maxTokens,
      Duration readTimeout) {
    this.name = name;
    this.models = List.copyOf(models);
    this.messages = StreamingPost.endpoint(name, baseUrl, "v1/messages");
    this.apiKey = apiKey;
    this.maxTokens = maxTokens;
    this.upstream = new StreamingPost(readTimeout);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> models() {
    return models;
  }

  @Override
  public LlmOutcome stream(LlmRequest request, DeltaSink sink, CancelSignal cancel) {
    return upstream.stream(post(request), "type", sink, MessageEvents::new, cancel);
  }

  private Request post(LlmRequest request) {
    String key = apiKey.get();
    return new Request.Builder()
        .url(messages)
        .header("x-api-key", key == null ? "" : key)
        .header("anthropic-version", API_VERSION)
        .header("Accept", "text/event-stream")
        .post(RequestBody.create(body(request), JSON))
        .build();
  }

  /** The system messages, joined, go apart from the conversation, as the API wants them. */
  private byte[] body(LlmRequest request) {
    StringBuilder system = new StringBuilder();
    for (LlmRequest.ChatMessage message : request.messages()) {
      if (message.role() == LlmRequest.Role.SYSTEM) {
        system.append(system.isEmpty() ? "" : "\n\n").append(message.text());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JsonMapper.shared().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringProperty("model", request.model());
      json.writeNumberProperty("max_tokens", maxTokens);
      json.writeBooleanProperty("stream", true);
      if (!system.isEmpty()) {
        json.writeStringProperty("system", system.toString());
      }
      json.writeArrayPropertyStart("messages");
      for (LlmRequest.ChatMessage message : request.messages()) {
        if (message.role() != LlmRequest.Role.SYSTEM) {
          json.writeStartObject();
          json.writeStringProperty(
              "role", message.role() == LlmRequest.Role.USER ? "user" : "assistant");
          json.writeStringProperty("content", message.text());
          json.writeEndObject();
        }
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    return out.toByteArray();
  }
}
