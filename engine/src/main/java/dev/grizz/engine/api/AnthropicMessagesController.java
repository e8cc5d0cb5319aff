package dev.grizz.engine.api;

import dev.grizz.engine.agent.DirectCompletions;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.TokenCounter;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.RateLimits;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Anthropic's Messages API, so Claude Code and Anthropic's SDKs work against Grizz by changing only
 * the base URL and key (sent as {@code x-api-key}, as they do; any {@code anthropic-version} is
 * taken). An {@code anthropic-beta} header goes on to an Anthropic upstream as it came; another
 * vendor's model has no Anthropic betas to opt into, so it is not sent there (a beta opts into an
 * Anthropic feature; one whose fields the engine cannot carry is refused by those fields). A
 * request runs as a {@code /v1/chat/completions} one does ({@link DirectCompletions}: the same
 * budgets, moderation, routing and usage rows), on whichever provider the model routes to. Errors
 * come in Anthropic's shape ({@link dev.grizz.engine.security.FilterErrors#anthropicBody}).
 */
@RestController
class AnthropicMessagesController {

  private final DirectCompletions completions;
  private final CurrentUser user;
  private final RateLimits rateLimits;
  private final TokenCounter tokens;
  private final JsonMapper json;

  AnthropicMessagesController(
      DirectCompletions completions,
      CurrentUser user,
      RateLimits rateLimits,
      TokenCounter tokens,
      JsonMapper json) {
    this.completions = completions;
    this.user = user;
    this.rateLimits = rateLimits;
    this.tokens = tokens;
    this.json = json;
  }

  /**
   * Anthropic's token count of a request ({@code {"input_tokens": n}}), which Claude Code asks for
   * before it sends one. Counted with the engine's tokenizer (o200k_base), so for Claude models it
   * is an estimate, as every count the engine makes before a vendor reports one. The request is
   * checked as a message would be; it needs no {@code max_tokens}.
   */
  @PostMapping(path = "/v1/messages/count_tokens", consumes = MediaType.APPLICATION_JSON_VALUE)
  java.util.Map<String, Object> countTokens(@RequestBody JsonNode body) {
    if (!body.isObject()) {
      throw new AnthropicRequests.InvalidException("the body must be a JSON object");
    }
    tools.jackson.databind.node.ObjectNode request =
        ((tools.jackson.databind.node.ObjectNode) body).deepCopy();
    if (!request.has("max_tokens")) {
      request.put("max_tokens", 1);
    }
    if (request.path("stream").asBoolean(false)) {
      throw new AnthropicRequests.InvalidException("stream: not a field of count_tokens");
    }
    return java.util.Map.of(
        "input_tokens", tokens.count(AnthropicRequests.parse(request).request()));
  }

  @PostMapping(path = "/v1/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Nullable ResponseEntity<String> messages(
      @RequestBody JsonNode body,
      @RequestHeader(value = "anthropic-beta", required = false) @Nullable String betas,
      HttpServletResponse response) {
    AnthropicRequests.Parsed parsed = AnthropicRequests.parse(body, betas);
    rateLimits.message(user.caller()).applyTo(response);
    AnthropicEvents events =
        new AnthropicEvents(json, "msg_" + UUID.randomUUID().toString().replace("-", ""));
    LlmRequest request = parsed.request();
    if (!parsed.stream()) {
      Completion completion =
          completions.complete(
              user.id(),
              user.caller().apiKeyId(),
              request,
              DeltaSink.textOnly(text -> {}),
              new CancelSignal());
      String stop = AnthropicEvents.stopReason(completion.outcome());
      if (stop == null) {
        throw UpstreamFailedException.of(completion);
      }
      return ResponseEntity.ok()
          .contentType(MediaType.APPLICATION_JSON)
          .body(events.whole(label(completion), completion, stop));
    }
    CancelSignal cancel = new CancelSignal();
    AnthropicStream stream = new AnthropicStream(response, events, cancel, tokens.count(request));
    Completion completion =
        completions.complete(user.id(), user.caller().apiKeyId(), request, stream, cancel);
    String stop = AnthropicEvents.stopReason(completion.outcome());
    if (!stream.started() && stop == null) {
      throw UpstreamFailedException.of(completion);
    }
    UpstreamFailedException failed = stop == null ? UpstreamFailedException.of(completion) : null;
    stream.finish(
        stop,
        AnthropicEvents.stopSequence(completion.outcome()),
        completion.usage(),
        failed == null ? 200 : ErrorCatalog.upstreamStatus(failed.code()).value(),
        failed == null ? "" : failed.getMessage());
    return null;
  }

  private static String label(Completion completion) {
    return completion.provider() + "/" + completion.model();
  }
}
