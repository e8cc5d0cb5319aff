package dev.grizz.engine.api;

import dev.grizz.engine.chat.ChatService;
import dev.grizz.engine.chat.DirectCompletions;
import dev.grizz.engine.chat.PostedMessage;
import dev.grizz.engine.event.ChatEvent;
import dev.grizz.engine.event.EventData;
import dev.grizz.engine.event.Subscription;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.ModelRef;
import dev.grizz.engine.llm.ToolCallDelta;
import dev.grizz.engine.llm.UnknownModelException;
import dev.grizz.engine.llm.Usage;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.RateLimits;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAI-compatible API, so the official OpenAI SDKs and tools built on them work against Grizz
 * by changing only the base URL and key. Stateless by default; with {@value #CONVERSATION_HEADER}
 * the last user message is posted to that conversation and stored like any other turn.
 */
@RestController
class OpenAiCompatController {

  static final String CONVERSATION_HEADER = "X-Grizz-Conversation-Id";

  private final DirectCompletions completions;
  private final ChatService chat;
  private final LlmRouter router;
  private final CurrentUser user;
  private final RateLimits rateLimits;
  private final JsonMapper json;
  private final Clock clock;

  OpenAiCompatController(
      DirectCompletions completions,
      ChatService chat,
      LlmRouter router,
      CurrentUser user,
      RateLimits rateLimits,
      JsonMapper json,
      Clock clock) {
    this.rateLimits = rateLimits;
    this.completions = completions;
    this.chat = chat;
    this.router = router;
    this.user = user;
    this.json = json;
    this.clock = clock;
  }

  @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> models() {
    List<Map<String, Object>> data = new ArrayList<>();
    for (LlmRouter.ModelInfo model : router.models()) {
      data.add(modelObject(model));
    }
    return Map.of("object", "list", "data", data);
  }

  /**
   * One model that {@code /v1/models} lists. Ids hold a {@code /} ({@code provider/model}), so the
   * id is every segment after {@code /v1/models/}: {@code /v1/models/openai/gpt-4o}. An escaped
   * {@code %2F} never gets here (the engine refuses it as a non-canonical path).
   */
  @GetMapping(path = "/v1/models/{*id}", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> model(@PathVariable String id) {
    String wanted = id.startsWith("/") ? id.substring(1) : id;
    for (LlmRouter.ModelInfo model : router.models()) {
      if (model.id().equals(wanted)) {
        return modelObject(model);
      }
    }
    throw new UnknownModelException(wanted);
  }

  private static Map<String, Object> modelObject(LlmRouter.ModelInfo model) {
    return Map.of("id", model.id(), "object", "model", "created", 0, "owned_by", model.provider());
  }

  @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Nullable ResponseEntity<String> completions(
      @RequestBody JsonNode body,
      @RequestHeader(value = CONVERSATION_HEADER, required = false) @Nullable UUID conversationId,
      HttpServletResponse response)
      throws IOException {
    OpenAiRequests.Parsed request = OpenAiRequests.parse(body);
    OpenAiHeaders.applyRateLimits(rateLimits.message(user.caller()), response);
    String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    long created = clock.instant().getEpochSecond();
    OpenAiChunks chunks = new OpenAiChunks(json, id, created);
    if (conversationId != null) {
      return viaConversation(request, conversationId, chunks, response);
    }
    LlmRequest llm = new LlmRequest(request.model(), request.messages());
    if (!request.stream()) {
      StringBuilder text = new StringBuilder();
      Completion completion =
          completions.complete(
              user.id(),
              user.caller().apiKeyId(),
              llm,
              DeltaSink.textOnly(text::append),
              new CancelSignal());
      failIfNothingCame(completion);
      return json(
          chunks.whole(label(completion), text.toString(), finish(completion), completion.usage()));
    }
    CancelSignal cancel = new CancelSignal();
    ChunkStream stream = new ChunkStream(response, chunks, cancel);
    Completion completion =
        completions.complete(user.id(), user.caller().apiKeyId(), llm, stream, cancel);
    OutputStream out = stream.out;
    // The last attempt is the one whose text was written (the router falls back only before any
    // text), so its model is the one every chunk so far has named.
    String model = label(completion);
    if (out == null) {
      failIfNothingCame(completion);
      out = startStream(response);
      write(out, chunks.role(model), cancel);
    }
    write(out, chunks.finish(model, finish(completion)), cancel);
    if (request.includeUsage()) {
      write(out, chunks.usage(model, completion.usage()), cancel);
    }
    write(out, "data: [DONE]\n\n", cancel);
    return null;
  }

  /**
   * Writes the answer as OpenAI's chunks as it streams. The stream starts with the first token, so
   * a request every provider failed still gets an error status and body, not a 200 with an empty
   * stream; and by then the router has said which model answers, so every chunk names it rather
   * than the alias the client asked for ({@code auto}).
   */
  private static final class ChunkStream implements DeltaSink {
    private final HttpServletResponse response;
    private final OpenAiChunks chunks;
    private final CancelSignal cancel;
    private String model = LlmRouter.AUTO;
    private @Nullable OutputStream out;

    ChunkStream(HttpServletResponse response, OpenAiChunks chunks, CancelSignal cancel) {
      this.response = response;
      this.chunks = chunks;
      this.cancel = cancel;
    }

    @Override
    public void attempting(ModelRef candidate) {
      model = candidate.label();
    }

    @Override
    public void accept(String delta) {
      OutputStream stream = out;
      if (stream == null) {
        stream = startStreamQuietly(response, cancel);
        out = stream;
        write(stream, chunks.role(model), cancel);
      }
      write(stream, chunks.delta(model, delta), cancel);
    }

    @Override
    public void reasoning(String text) {
      // not relayed yet
    }

    @Override
    public void toolCall(ToolCallDelta delta) {
      // no tools are offered yet
    }
  }

  private static OutputStream startStreamQuietly(
      HttpServletResponse response, CancelSignal cancel) {
    try {
      return startStream(response);
    } catch (IOException clientGone) {
      cancel.cancel();
      return OutputStream.nullOutputStream();
    }
  }

  private @Nullable ResponseEntity<String> viaConversation(
      OpenAiRequests.Parsed request,
      UUID conversationId,
      OpenAiChunks chunks,
      HttpServletResponse response)
      throws IOException {
    PostedMessage posted =
        chat.post(
            user.id(),
            user.caller().apiKeyId(),
            conversationId,
            request.lastUserMessage(),
            request.modelOrNull(),
            null);
    UUID stepId = posted.turn().stepId();
    OutputStream out = request.stream() ? startStream(response) : null;
    CancelSignal cancel = new CancelSignal();
    StringBuilder text = new StringBuilder();
    Usage usage = Usage.UNKNOWN;
    String model = request.model();
    String finish = "stop";
    try (Subscription subscription = chat.subscribeToStep(conversationId, stepId)) {
      boolean done = false;
      if (out != null) {
        write(out, chunks.role(model), cancel);
      }
      while (!done && !cancel.isCancelled() && !subscription.isClosed()) {
        for (Subscription.Frame frame : subscription.next(Duration.ofSeconds(15))) {
          ChatEvent event = subscription.event(frame);
          if (!event.stepId().equals(stepId)) {
            continue;
          }
          // Exhaustive on purpose: a new event type makes this a compile error until /v1 decides.
          switch (event.data()) {
            case EventData.MessageDelta delta -> {
              text.append(delta.text());
              if (out != null) {
                write(out, chunks.delta(model, delta.text()), cancel);
              }
            }
            case EventData.Usage reported -> {
              model = reported.provider() + "/" + reported.model();
              // Counts the provider did not report stay null (were 0 when read as JSON text).
              usage =
                  new Usage(
                      reported.promptTokens(), reported.completionTokens(), reported.estimated());
            }
            case EventData.StepRestarted _ -> text.setLength(0);
            case EventData.StepCancelled _ -> finish = "stop";
            case EventData.StepFailed _ -> finish = "error";
            case EventData.StepFinished _ -> done = true;
            case EventData.StepStarted _,
                EventData.MessageCompleted _,
                EventData.ReasoningDelta _,
                EventData.ModerationBlocked _,
                EventData.Error _ -> {}
          }
        }
      }
    }
    if (out == null) {
      return json(chunks.whole(model, text.toString(), finish, usage));
    }
    write(out, chunks.finish(model, finish), cancel);
    if (request.includeUsage()) {
      write(out, chunks.usage(model, usage), cancel);
    }
    write(out, "data: [DONE]\n\n", cancel);
    return null;
  }

  private static void failIfNothingCame(Completion completion) {
    if (completion.outcome() instanceof LlmOutcome.Failed failed && completion.text().isEmpty()) {
      throw new OpenAiRequests.UpstreamFailedException(failed.code(), failed.message());
    }
  }

  private static String label(Completion completion) {
    return completion.provider() + "/" + completion.model();
  }

  private static String finish(Completion completion) {
    return switch (completion.outcome()) {
      case LlmOutcome.Completed done -> done.reason().openAi();
      case LlmOutcome.Cancelled cancelled -> "stop";
      case LlmOutcome.Failed failed ->
          failed.code().equals("content_filtered") ? "content_filter" : "error";
    };
  }

  private static ResponseEntity<String> json(String body) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
  }

  private static OutputStream startStream(HttpServletResponse response) throws IOException {
    response.setStatus(200);
    response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader("Cache-Control", "no-cache, no-transform");
    response.setHeader("X-Accel-Buffering", "no");
    return response.getOutputStream();
  }

  /** Writes one SSE frame; a client that went away cancels the upstream call. */
  private static void write(OutputStream out, String frame, CancelSignal cancel) {
    if (cancel.isCancelled()) {
      return;
    }
    try {
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException clientGone) {
      cancel.cancel();
    }
  }
}
