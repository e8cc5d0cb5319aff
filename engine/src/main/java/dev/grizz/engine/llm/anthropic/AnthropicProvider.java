package dev.grizz.engine.llm.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.ErrorCode;
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
 * Streams Anthropic's Messages API: text from {@code content_block_delta}, input tokens from {@code
 * message_start}, output tokens and the stop reason from {@code message_delta}.
 */
public final class AnthropicProvider implements LlmProvider {

  private final String name;
  private final List<String> models;
  private final KeyedClients<AnthropicClient> clients;
  private final long maxTokens;

  public AnthropicProvider(
      String name,
      String baseUrl,
      String apiKey,
      List<String> models,
      long maxTokens,
      Duration readTimeout) {
    this(name, baseUrl, () -> apiKey, models, maxTokens, readTimeout);
  }

  /** As above, with a key that may change while the engine runs (a rotated key file). */
  public AnthropicProvider(
      String name,
      String baseUrl,
      Supplier<@Nullable String> apiKey,
      List<String> models,
      long maxTokens,
      Duration readTimeout) {
    this.name = name;
    this.models = List.copyOf(models);
    this.maxTokens = maxTokens;
    this.clients =
        new KeyedClients<>(
            apiKey,
            key ->
                AnthropicOkHttpClient.builder()
                    // This SDK takes no OkHttpClient of ours (so no TCP_NODELAY sockets, see
                    // UpstreamHttp); the same pool size at least.
                    .maxIdleConnections(UpstreamHttp.IDLE_CONNECTIONS)
                    .keepAliveDuration(UpstreamHttp.KEEP_ALIVE)
                    .baseUrl(baseUrl)
                    .apiKey(key == null ? "" : key)
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
  public LlmOutcome stream(LlmRequest request, DeltaSink sink, CancelSignal cancel) {
    Integer input = null;
    Integer output = null;
    String stop = null;
    boolean stopped = false;
    try (StreamResponse<RawMessageStreamEvent> response =
        clients.current().messages().createStreaming(params(request))) {
      cancel.onCancel(response::close);
      Iterator<RawMessageStreamEvent> events = response.stream().iterator();
      while (!cancel.isCancelled() && events.hasNext()) {
        RawMessageStreamEvent event = events.next();
        if (event.isMessageStart()) {
          var usage = event.asMessageStart().message().usage();
          input =
              Math.toIntExact(
                  usage.inputTokens()
                      + usage.cacheReadInputTokens().orElse(0L)
                      + usage.cacheCreationInputTokens().orElse(0L));
        } else if (event.isContentBlockDelta()) {
          var delta = event.asContentBlockDelta().delta();
          if (delta.isText() && !delta.asText().text().isEmpty()) {
            sink.accept(delta.asText().text());
          }
        } else if (event.isMessageDelta()) {
          var messageDelta = event.asMessageDelta();
          output = Math.toIntExact(messageDelta.usage().outputTokens());
          stop =
              messageDelta
                  .delta()
                  .stopReason()
                  .map(reason -> reason.asString().toLowerCase(Locale.ROOT))
                  .orElse(stop);
        } else if (event.isMessageStop()) {
          stopped = true;
        }
      }
    } catch (AnthropicServiceException e) {
      if (cancel.isCancelled()) {
        return new LlmOutcome.Cancelled(new Usage(input, output, false));
      }
      return UpstreamErrors.fromStatus(
          e.statusCode(),
          e.headers().values("retry-after").stream().findFirst().orElse(null),
          null,
          e.getMessage() == null ? "HTTP " + e.statusCode() : e.getMessage());
    } catch (AnthropicIoException | com.anthropic.errors.AnthropicInvalidDataException e) {
      if (cancel.isCancelled()) {
        return new LlmOutcome.Cancelled(new Usage(input, output, false));
      }
      return UpstreamErrors.unreachable(e, new Usage(input, output, false));
    } catch (RuntimeException e) {
      if (cancel.isCancelled()) {
        return new LlmOutcome.Cancelled(new Usage(input, output, false));
      }
      throw e;
    }
    Usage usage = new Usage(input, output, false);
    if (cancel.isCancelled()) {
      return new LlmOutcome.Cancelled(usage);
    }
    if (!stopped) {
      return UpstreamErrors.unreachable("the stream ended before message_stop", usage);
    }
    if ("refusal".equals(stop)) {
      return new LlmOutcome.Failed(
          ErrorCode.CONTENT_FILTERED, "the model refused to answer", false, usage);
    }
    return new LlmOutcome.Completed(stop == null ? "end_turn" : stop, usage);
  }

  private MessageCreateParams params(LlmRequest request) {
    MessageCreateParams.Builder params =
        MessageCreateParams.builder().model(request.model()).maxTokens(maxTokens);
    StringBuilder system = new StringBuilder();
    for (LlmRequest.ChatMessage message : request.messages()) {
      switch (message.role()) {
        case SYSTEM -> system.append(system.isEmpty() ? "" : "\n\n").append(message.content());
        case USER -> params.addUserMessage(message.content());
        case ASSISTANT -> params.addAssistantMessage(message.content());
      }
    }
    if (!system.isEmpty()) {
      params.system(system.toString());
    }
    return params.build();
  }
}
