package dev.grizz.engine.llm.openai;

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
 * Streams Chat Completions from OpenAI or any server that speaks the API: one POST on the shared
 * HTTP client, and from each streamed chunk only the text, finish reason and usage (see {@link
 * CompletionChunks}). Not through the OpenAI SDK: binding every chunk to its model objects was
 * about 30% of the engine's CPU under load. Fallback is the router's job; the only retry here is
 * for a pooled connection the server had closed (see {@link StreamingPost}).
 */
public final class OpenAiCompatibleProvider implements LlmProvider {

  private static final MediaType JSON = MediaType.get("application/json");

  private final String name;
  private final List<String> models;
  private final HttpUrl completions;
  private final Supplier<@Nullable String> apiKey;
  private final StreamingPost upstream;
  private final boolean askForUsage;
  private final boolean anyModel;

  /**
   * @param askForUsage send {@code stream_options.include_usage}; some compatible servers reject it
   *     and report usage anyway
   * @param readTimeout the longest silence on the connection
   * @param anyModel a self-hosted server: serves whatever model it is asked for
   */
  public OpenAiCompatibleProvider(
      String name,
      String baseUrl,
      @Nullable String apiKey,
      List<String> models,
      boolean askForUsage,
      Duration readTimeout,
      boolean anyModel) {
    this(name, baseUrl, () -> apiKey, models, askForUsage, readTimeout, anyModel);
  }

  /**
   * As above, with a key that may change while the engine runs (a rotated key file): each request
   * sends the key as it is then.
   */
  public OpenAiCompatibleProvider(
      String name,
      String baseUrl,
      Supplier<@Nullable String> apiKey,
      List<String> models,
      boolean askForUsage,
      Duration readTimeout,
      boolean anyModel) {
    this.name = name;
    this.models = List.copyOf(models);
    this.completions = StreamingPost.endpoint(name, baseUrl, "chat/completions");
    this.apiKey = apiKey;
    this.askForUsage = askForUsage;
    this.anyModel = anyModel;
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
  public boolean servesAnyModel() {
    return anyModel;
  }

  @Override
  public LlmOutcome stream(LlmRequest request, DeltaSink sink, CancelSignal cancel) {
    return upstream.stream(post(request), "code", sink, CompletionChunks::new, cancel);
  }

  private Request post(LlmRequest request) {
    String key = apiKey.get();
    return new Request.Builder()
        .url(completions)
        // A keyless local server still gets a well-formed header, as the SDK sent.
        .header("Authorization", "Bearer " + (key == null || key.isBlank() ? "none" : key))
        .header("Accept", "text/event-stream")
        .post(RequestBody.create(body(request), JSON))
        .build();
  }

  private byte[] body(LlmRequest request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JsonMapper.shared().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringProperty("model", request.model());
      json.writeArrayPropertyStart("messages");
      for (LlmRequest.ChatMessage message : request.messages()) {
        json.writeStartObject();
        json.writeStringProperty("role", role(message.role()));
        json.writeStringProperty("content", message.text());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeBooleanProperty("stream", true);
      if (askForUsage) {
        json.writeObjectPropertyStart("stream_options");
        json.writeBooleanProperty("include_usage", true);
        json.writeEndObject();
      }
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  private static String role(LlmRequest.Role role) {
    return switch (role) {
      case SYSTEM -> "system";
      case USER -> "user";
      case ASSISTANT -> "assistant";
      case TOOL -> "tool";
    };
  }
}
