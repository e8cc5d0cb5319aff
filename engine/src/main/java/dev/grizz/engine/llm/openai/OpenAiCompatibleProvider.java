package dev.grizz.engine.llm.openai;

import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmProvider;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.StreamingPost;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * Streams Chat Completions from OpenAI or any server that speaks the API: one POST on the shared
 * HTTP client carrying the whole typed request in the server's {@link Dialect} (see {@link
 * ChatBody}), and from each streamed chunk the text, reasoning, tool-call pieces, finish reason and
 * usage (see {@link CompletionChunks}). Not through the OpenAI SDK: binding every chunk to its
 * model objects was about 30% of the engine's CPU under load. Fallback is the router's job; the
 * only retry here is for a pooled connection the server had closed (see {@link StreamingPost}).
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
  private final Dialect dialect;

  /**
   * @param askForUsage send {@code stream_options.include_usage}; some compatible servers reject it
   *     and report usage anyway
   * @param readTimeout the longest silence on the connection
   * @param anyModel a self-hosted server: serves whatever model it is asked for, and speaks the
   *     {@link Dialect#COMPATIBLE} dialect (otherwise {@link Dialect#OPENAI})
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

  /** As above, with a key that may change while the engine runs (a rotated key file). */
  public OpenAiCompatibleProvider(
      String name,
      String baseUrl,
      Supplier<@Nullable String> apiKey,
      List<String> models,
      boolean askForUsage,
      Duration readTimeout,
      boolean anyModel) {
    this(
        name,
        baseUrl,
        apiKey,
        models,
        askForUsage,
        readTimeout,
        anyModel,
        anyModel ? Dialect.COMPATIBLE : Dialect.OPENAI);
  }

  /**
   * With the dialect named, and a key that may change while the engine runs (a rotated key file):
   * each request sends the key as it is then.
   */
  public OpenAiCompatibleProvider(
      String name,
      String baseUrl,
      Supplier<@Nullable String> apiKey,
      List<String> models,
      boolean askForUsage,
      Duration readTimeout,
      boolean anyModel,
      Dialect dialect) {
    this.name = name;
    this.models = List.copyOf(models);
    this.completions = StreamingPost.endpoint(name, baseUrl, "chat/completions");
    this.apiKey = apiKey;
    this.askForUsage = askForUsage;
    this.anyModel = anyModel;
    this.dialect = dialect;
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

  /** What the dialect maps, whatever the model: the catalog denies what a model cannot do. */
  @Override
  public Set<Feature> supports(String model) {
    return dialect.features();
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
        .post(RequestBody.create(ChatBody.write(request, dialect, askForUsage), JSON))
        .build();
  }
}
