package dev.grizz.engine.llm.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.KeyedClients;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmProvider;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.UpstreamErrors;
import dev.grizz.engine.llm.UpstreamHttp;
import dev.grizz.engine.llm.Usage;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Streams Chat Completions from OpenAI or any server that speaks the API. The SDK does the wire
 * work; this maps our request to its params, its chunks to deltas and usage, its errors to ours.
 * The SDK's own retries are off: fallback is the router's job.
 */
public final class OpenAiCompatibleProvider implements LlmProvider {

  private final String name;
  private final List<String> models;
  private final KeyedClients<OpenAIClient> clients;
  private final boolean askForUsage;
  private final boolean anyModel;

  /**
   * @param askForUsage send {@code stream_options.include_usage}; some compatible servers reject it
   *     and report usage anyway
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

  /** As above, with a key that may change while the engine runs (a rotated key file). */
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
    this.askForUsage = askForUsage;
    this.anyModel = anyModel;
    this.clients =
        new KeyedClients<>(
            apiKey,
            key ->
                OpenAIOkHttpClient.builder()
                    .okHttpClient(UpstreamHttp.client())
                    .baseUrl(baseUrl)
                    .apiKey(key == null || key.isBlank() ? "none" : key)
                    .maxRetries(0)
                    .timeout(readTimeout)
                    .build());
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
    Usage usage = Usage.UNKNOWN;
    String finish = null;
    boolean streamed = false;
    try (StreamResponse<ChatCompletionChunk> response =
        clients.current().chat().completions().createStreaming(params(request))) {
      cancel.onCancel(response::close);
      Iterator<ChatCompletionChunk> chunks = response.stream().iterator();
      while (!cancel.isCancelled() && chunks.hasNext()) {
        ChatCompletionChunk chunk = chunks.next();
        if (chunk.usage().isPresent()) {
          usage = usage(chunk.usage().get());
        }
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
          String text = choice.delta().content().orElse("");
          if (!text.isEmpty()) {
            streamed = true;
            sink.accept(text);
          }
          if (choice.finishReason().isPresent()) {
            finish = choice.finishReason().get().asString().toLowerCase(Locale.ROOT);
          }
        }
      }
    } catch (OpenAIServiceException e) {
      if (cancel.isCancelled()) {
        return new LlmOutcome.Cancelled(usage);
      }
      return UpstreamErrors.fromStatus(
          e.statusCode(),
          e.headers().values("retry-after").stream().findFirst().orElse(null),
          e.code().orElse(null),
          e.getMessage() == null ? "HTTP " + e.statusCode() : e.getMessage());
    } catch (OpenAIIoException | com.openai.errors.OpenAIInvalidDataException e) {
      if (cancel.isCancelled()) {
        return new LlmOutcome.Cancelled(usage);
      }
      return UpstreamErrors.unreachable(e, usage);
    } catch (RuntimeException e) {
      if (cancel.isCancelled()) {
        return new LlmOutcome.Cancelled(usage);
      }
      throw e;
    }
    if (cancel.isCancelled()) {
      return new LlmOutcome.Cancelled(usage);
    }
    if (finish == null) {
      return UpstreamErrors.unreachable(
          streamed ? "the stream ended before the model finished" : "empty stream", usage);
    }
    if (finish.equals("content_filter")) {
      return new LlmOutcome.Failed(
          dev.grizz.engine.llm.ErrorCode.CONTENT_FILTERED,
          "the provider's content filter stopped the answer",
          false,
          usage);
    }
    return new LlmOutcome.Completed(finish, usage);
  }

  private ChatCompletionCreateParams params(LlmRequest request) {
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder().model(request.model());
    for (LlmRequest.ChatMessage message : request.messages()) {
      switch (message.role()) {
        case SYSTEM -> params.addSystemMessage(message.content());
        case USER -> params.addUserMessage(message.content());
        case ASSISTANT -> params.addAssistantMessage(message.content());
      }
    }
    if (askForUsage) {
      params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    return params.build();
  }

  private static Usage usage(CompletionUsage reported) {
    return new Usage(
        Math.toIntExact(reported.promptTokens()),
        Math.toIntExact(reported.completionTokens()),
        false);
  }
}
