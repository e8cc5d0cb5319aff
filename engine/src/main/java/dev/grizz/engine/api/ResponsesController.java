package dev.grizz.engine.api;

import dev.grizz.engine.responses.ResponsesService;
import dev.grizz.engine.responses.StoredResponses;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.RateLimits;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's Responses API ({@code /v1/responses}), which the Vercel AI SDK's default OpenAI provider
 * and the OpenAI Agents SDK call. The work is {@link ResponsesService}'s: the same answering as
 * {@code /v1/chat/completions} in this API's request, response object and events; responses stored
 * in the conversation graph, continued by {@code previous_response_id}; background responses run by
 * the workers, polled and cancelled from any pod. The engine's own tools, named by type ({@code
 * {"type": "current_time"}}), run in the engine and show as {@code mcp_call} items.
 */
@RestController
class ResponsesController {

  private final ResponsesService responses;
  private final StoredResponses stored;
  private final CurrentUser user;
  private final RateLimits rateLimits;
  private final JsonMapper json;

  ResponsesController(
      ResponsesService responses,
      StoredResponses stored,
      CurrentUser user,
      RateLimits rateLimits,
      JsonMapper json) {
    this.responses = responses;
    this.stored = stored;
    this.user = user;
    this.rateLimits = rateLimits;
    this.json = json;
  }

  @PostMapping(path = "/v1/responses", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Nullable ResponseEntity<String> create(
      @RequestBody JsonNode body, HttpServletResponse response) {
    OpenAiHeaders.applyRateLimits(rateLimits.message(user.caller()), response);
    ResponsesService.Created created =
        responses.create(user.id(), user.caller().apiKeyId(), body, response);
    if (created.failed() != null) {
      throw new UpstreamFailedException(created.failed().code(), created.failed().message());
    }
    return created.body() == null ? null : ok(created.body());
  }

  @GetMapping(path = "/v1/responses/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> get(@PathVariable String id) {
    return ok(stored.get(user.id(), id));
  }

  @GetMapping(path = "/v1/responses/{id}/input_items", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> inputItems(
      @PathVariable String id,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String order,
      @RequestParam(required = false) @Nullable String after) {
    return ok(stored.inputItems(user.id(), id, limit, order, after));
  }

  @PostMapping(path = "/v1/responses/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> cancel(@PathVariable String id) {
    return ok(stored.cancel(user.id(), id));
  }

  @DeleteMapping(path = "/v1/responses/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> delete(@PathVariable String id) {
    stored.delete(user.id(), id);
    return Map.of("id", id, "object", "response.deleted", "deleted", true);
  }

  private ResponseEntity<String> ok(JsonNode body) {
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(json.writeValueAsString(body));
  }
}
