package dev.grizz.engine.api;

import dev.grizz.engine.agent.DirectCompletions;
import dev.grizz.engine.chat.ChatService;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.UnknownModelException;
import dev.grizz.engine.llm.UnsupportedFeatureException;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.RateLimits;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
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
    OpenAiChunks chunks = new OpenAiChunks(id, created, request.legacyFunctions());
    if (conversationId != null) {
      String whole =
          OpenAiConversationMode.answer(chat, user, request, conversationId, chunks, response);
      return whole == null ? null : json(whole);
    }
    try {
      if (!request.stream()) {
        // The router keeps the answer (text, reasoning, tool calls) in the completion it returns.
        Completion completion =
            completions.complete(
                user.id(), user.caller().apiKeyId(), request.request(), IGNORE, new CancelSignal());
        OpenAiStream.failIfNothingCame(completion);
        return json(
            chunks.whole(
                OpenAiStream.label(completion),
                completion.text(),
                completion.reasoning(),
                completion.toolCalls(),
                OpenAiStream.finish(completion),
                completion.usage()));
      }
      CancelSignal cancel = new CancelSignal();
      OpenAiStream stream = new OpenAiStream(response, chunks, cancel);
      Completion completion =
          completions.complete(
              user.id(), user.caller().apiKeyId(), request.request(), stream, cancel);
      stream.end(completion, request.includeUsage());
      return null;
    } catch (UnsupportedFeatureException e) {
      throw request.unsupported(e);
    }
  }

  /** The sink of a request that does not stream: the completion returned holds the answer. */
  private static final DeltaSink IGNORE = DeltaSink.textOnly(text -> {});

  private static ResponseEntity<String> json(String body) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
  }
}
