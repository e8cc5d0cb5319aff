package dev.grizz.engine.llm.anthropic;

import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmProvider;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.StreamingPost;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * Streams Anthropic's Messages API: one POST to {@code {baseUrl}/v1/messages} on the shared HTTP
 * client, its events read by {@link MessageEvents}. Not through the Anthropic SDK: it takes no
 * OkHttpClient of ours, so its sockets kept Nagle's algorithm on and a prompt over 8 KiB waited ~40
 * ms for a delayed ACK, and it bound every event to its model objects.
 */
public final class AnthropicProvider implements LlmProvider {

  private static final Set<Feature> SUPPORTED =
      Set.copyOf(
          EnumSet.of(
              Feature.TOOLS,
              Feature.TOOL_CHOICE,
              Feature.PARALLEL_TOOL_CALLS,
              Feature.IMAGES,
              Feature.TEMPERATURE,
              Feature.TOP_P,
              Feature.TOP_K,
              Feature.MAX_OUTPUT_TOKENS,
              Feature.STOP,
              Feature.USER,
              Feature.REASONING,
              Feature.JSON_OBJECT,
              Feature.JSON_SCHEMA));

  private static final MediaType JSON = MediaType.get("application/json");

  /** The Messages API version this adapter speaks; its events are read as this version has them. */
  private static final String API_VERSION = "2023-06-01";

  private final String name;
  private final List<String> models;
  private final HttpUrl messages;
  private final Supplier<@Nullable String> apiKey;
  private final long maxTokens;
  private final MessagesBody body;
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
    this.body = new MessagesBody(maxTokens);
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
    boolean jsonTool = JsonFormatTool.used(request);
    return upstream.stream(
        post(request), "type", sink, answer -> new MessageEvents(answer, jsonTool), cancel);
  }

  private Request post(LlmRequest request) {
    String key = apiKey.get();
    Request.Builder post =
        new Request.Builder()
            .url(messages)
            .header("x-api-key", key == null ? "" : key)
            .header("anthropic-version", API_VERSION)
            .header("Accept", "text/event-stream");
    if (!request.anthropicBetas().isEmpty()) {
      // The client's opt-ins to Anthropic features, as it sent them.
      post.header("anthropic-beta", String.join(",", request.anthropicBetas()));
    }
    return post.post(RequestBody.create(body.write(request), JSON)).build();
  }

  /**
   * Everything {@link MessagesBody} maps: tools and their choice (with parallel calls turned off
   * through {@code disable_parallel_tool_use}), images, temperature, top_p, top_k, the output
   * limit, stop sequences, the user (as {@code metadata.user_id}) thinking, and JSON output formats
   * through a forced tool ({@link JsonFormatTool}). Not: seed, penalties, logit bias, n and
   * logprobs.
   */
  @Override
  public Set<Feature> supports(String model) {
    return SUPPORTED;
  }

  /** Values the API takes narrower than the engine's options: see {@link Thinking#cannotHonour}. */
  @Override
  public Set<Feature> cannotHonour(LlmRequest request) {
    return Thinking.cannotHonour(request);
  }
}
