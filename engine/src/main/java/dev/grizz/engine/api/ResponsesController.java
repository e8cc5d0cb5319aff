package dev.grizz.engine.api;

import dev.grizz.engine.agent.DirectCompletions;
import dev.grizz.engine.agent.DirectToolLoop;
import dev.grizz.engine.api.ResponsesErrors.RefusedException;
import dev.grizz.engine.config.IdGenerator;
import dev.grizz.engine.conversation.ResponseChains;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.UnsupportedFeatureException;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.RateLimits;
import dev.grizz.engine.tool.ToolRegistry;
import dev.grizz.engine.tool.ToolSettings;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's Responses API ({@code /v1/responses}), which the Vercel AI SDK's default OpenAI provider
 * and the OpenAI Agents SDK call: the same completion as {@code /v1/chat/completions} (router,
 * budgets, moderation, usage rows: {@link DirectCompletions}) in the Responses API's request,
 * response object and events. With {@code store} (OpenAI's default) the response is kept with its
 * context, so that {@code previous_response_id} continues it and {@code item_reference}s name its
 * items; only its owner can read, continue or delete it. The engine's own tools, named by type
 * ({@code {"type": "current_time"}}), run in the engine ({@link DirectToolLoop}) and show as {@code
 * mcp_call} items; function tools stay the caller's to run.
 */
@RestController
class ResponsesController {

  private final DirectToolLoop completions;
  private final ToolRegistry tools;
  private final ToolSettings toolSettings;
  private final ResponseChains stored;
  private final CurrentUser user;
  private final RateLimits rateLimits;
  private final IdGenerator ids;
  private final JsonMapper json;
  private final Clock clock;

  ResponsesController(
      DirectToolLoop completions,
      ToolRegistry tools,
      ToolSettings toolSettings,
      ResponseChains stored,
      CurrentUser user,
      RateLimits rateLimits,
      IdGenerator ids,
      JsonMapper json,
      Clock clock) {
    this.completions = completions;
    this.tools = tools;
    this.toolSettings = toolSettings;
    this.stored = stored;
    this.user = user;
    this.rateLimits = rateLimits;
    this.ids = ids;
    this.json = json;
    this.clock = clock;
  }

  @PostMapping(path = "/v1/responses", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Nullable ResponseEntity<String> create(@RequestBody JsonNode body, HttpServletResponse response)
      throws IOException {
    UUID userId = user.id();
    // Listed only when a tool names a type other than function: an MCP server's tools are read
    // from it.
    ResponsesTools.EngineTools engine =
        namesEngineTools(body)
            ? new ResponsesTools.EngineTools(tools.available(userId), toolSettings::needsApproval)
            : ResponsesTools.EngineTools.NONE;
    ResponsesRequests.Parsed request = ResponsesRequests.parse(body, engine);
    OpenAiHeaders.applyRateLimits(rateLimits.message(user.caller()), response);
    List<JsonNode> earlier = List.of();
    UUID previousId = null;
    if (request.previousResponseId() != null) {
      ResponseChains.Stored previous =
          find(userId, request.previousResponseId())
              .orElseThrow(
                  () ->
                      RefusedException.notFound(
                          "previous_response_id",
                          "Previous response with id '"
                              + request.previousResponseId()
                              + "' not found."));
      previousId = previous.id();
      earlier = stored.context(userId, previousId, true);
    }
    Map<UUID, Optional<ResponseChains.Stored>> seen = new HashMap<>();
    LlmRequest llm;
    ResponsesInput.Context context;
    try {
      context =
          ResponsesInput.read(json, earlier, request.input(), ref -> referenced(userId, ref, seen));
      List<LlmRequest.ChatMessage> messages = new ArrayList<>();
      if (request.instructions() != null && !request.instructions().isEmpty()) {
        messages.add(new LlmRequest.ChatMessage(LlmRequest.Role.SYSTEM, request.instructions()));
      }
      messages.addAll(context.messages());
      if (context.messages().isEmpty()) {
        throw RefusedException.invalid("input", "there is no input to answer.");
      }
      llm =
          new LlmRequest(
              request.model(), messages, request.tools(), request.toolChoice(), request.options());
    } catch (InvalidRequestException e) {
      throw RefusedException.of(e);
    }

    UUID id = ids.next();
    String hex = id.toString().replace("-", "");
    Instant createdAt = clock.instant();
    ResponseObjects objects =
        new ResponseObjects(json, request, "resp_" + hex, createdAt.getEpochSecond());
    CancelSignal cancel = new CancelSignal();
    ResponseEventWriter writer = new ResponseEventWriter(json, response, cancel);
    ResponseOutput output = new ResponseOutput(json, hex, writer::write, objects::inProgress);
    // Not streaming, the answer is read from the completion: one the content policy withheld is
    // gone from it, though its pieces passed the sink.
    DeltaSink sink = request.stream() ? output : DeltaSink.textOnly(ignored -> {});
    DirectToolLoop.Result result;
    try {
      result =
          completions.complete(
              userId,
              user.caller().apiKeyId(),
              llm,
              request.serverTools(),
              sink,
              call -> {
                if (request.stream()) {
                  ResponseObjects.serverCall(output, call);
                }
              },
              cancel);
    } catch (InvalidRequestException e) {
      throw RefusedException.of(e);
    } catch (UnsupportedFeatureException e) {
      throw RefusedException.of(e);
    }
    Completion completion = result.completion();
    // Moderation and message refusals are the catalog's; OpenAiErrorShape names this API's field
    // (input) for them.
    // Every candidate failed before any piece: an error status. Filtered content is answered
    // (incomplete, content_filter), as chat completions answer it.
    if (!output.started()
        && completion.empty()
        && completion.outcome() instanceof LlmOutcome.Failed failed
        && !failed.code().equals(ErrorCode.CONTENT_FILTERED)) {
      throw new UpstreamFailedException(failed.code(), failed.message());
    }
    String model = completion.provider() + "/" + completion.model();
    ArrayNode items;
    if (!request.stream()) {
      items = objects.output(hex, result.rounds());
    } else if (completion.empty() && output.started()) {
      // Streamed, then withheld by the content policy: the stream ends without repeating it, and
      // nothing of it is kept.
      items = json.createArrayNode();
    } else {
      items = output.finish();
    }
    ObjectNode finished = objects.finished(model, items, completion, result.usage());
    if (request.store()) {
      // Before the last event: a client that continues at once finds the response.
      // Only what this request added: the chain's earlier items are its predecessors' steps.
      List<JsonNode> added = new ArrayList<>();
      for (int i = earlier.size(); i < context.items().size(); i++) {
        added.add(context.items().get(i));
      }
      stored.save(
          new ResponseChains.Saved(id, userId, previousId, model, createdAt, added, finished));
    }
    if (!request.stream()) {
      return ResponseEntity.ok()
          .contentType(MediaType.APPLICATION_JSON)
          .body(json.writeValueAsString(finished));
    }
    String status = finished.path("status").asString();
    if (!status.equals("cancelled")) {
      output.end(
          switch (status) {
            case "incomplete" -> "response.incomplete";
            case "failed" -> "response.failed";
            default -> "response.completed";
          },
          finished);
    }
    return null;
  }

  private static boolean namesEngineTools(JsonNode body) {
    for (JsonNode tool : body.path("tools")) {
      if (!tool.path("type").asString("").equals("function")) {
        return true;
      }
    }
    return false;
  }

  @GetMapping(path = "/v1/responses/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> get(@PathVariable String id) {
    ResponseChains.Stored found = find(user.id(), id).orElseThrow(() -> notFound(id));
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(json.writeValueAsString(found.response()));
  }

  /**
   * The items a stored response answered, as OpenAI lists them (see {@link ResponseInputItems}).
   */
  @GetMapping(path = "/v1/responses/{id}/input_items", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<String> inputItems(
      @PathVariable String id,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String order,
      @RequestParam(required = false) @Nullable String after) {
    ResponseChains.Stored found = find(user.id(), id).orElseThrow(() -> notFound(id));
    String hex = found.id().toString().replace("-", "");
    ArrayNode context = json.createArrayNode();
    stored.context(user.id(), found.id(), false).forEach(context::add);
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .body(
            json.writeValueAsString(
                ResponseInputItems.list(json, hex, context, limit, order, after)));
  }

  @DeleteMapping(path = "/v1/responses/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  Map<String, Object> delete(@PathVariable String id) {
    UUID uuid = uuid(id, "resp_");
    if (uuid == null || !stored.delete(user.id(), uuid)) {
      throw notFound(id);
    }
    return Map.of("id", id, "object", "response.deleted", "deleted", true);
  }

  private static RefusedException notFound(String id) {
    return RefusedException.notFound(null, "Response with id '" + id + "' not found.");
  }

  private Optional<ResponseChains.Stored> find(UUID userId, String id) {
    UUID uuid = uuid(id, "resp_");
    return uuid == null ? Optional.empty() : stored.find(userId, uuid);
  }

  /**
   * The output item an {@code item_reference} names: item ids embed their response's id ({@code
   * msg_<response>_<n>}), so one read of the owner's response finds it.
   */
  private @Nullable JsonNode referenced(
      UUID userId, String itemId, Map<UUID, Optional<ResponseChains.Stored>> seen) {
    int prefix = itemId.indexOf('_');
    UUID responseId = prefix < 0 ? null : uuid(itemId.substring(prefix), "_");
    if (responseId == null) {
      return null;
    }
    Optional<ResponseChains.Stored> response =
        seen.computeIfAbsent(responseId, key -> stored.find(userId, key));
    if (response.isEmpty()) {
      return null;
    }
    for (JsonNode item : response.get().response().path("output")) {
      if (item.path("id").asString("").equals(itemId)) {
        return item;
      }
    }
    return null;
  }

  /** The UUID in {@code <prefix><32 hex digits>[...]}, or null. */
  private static @Nullable UUID uuid(String id, String prefix) {
    if (!id.startsWith(prefix) || id.length() < prefix.length() + 32) {
      return null;
    }
    String hex = id.substring(prefix.length(), prefix.length() + 32);
    if (!hex.matches("[0-9a-f]{32}")) {
      return null;
    }
    return new UUID(
        Long.parseUnsignedLong(hex.substring(0, 16), 16),
        Long.parseUnsignedLong(hex.substring(16), 16));
  }
}
