package dev.grizz.engine.responses;

import dev.grizz.engine.agent.DirectToolLoop;
import dev.grizz.engine.config.IdGenerator;
import dev.grizz.engine.conversation.ResponseChains;
import dev.grizz.engine.event.Job;
import dev.grizz.engine.event.JobQueue;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.responses.ResponsesErrors.RefusedException;
import dev.grizz.engine.telemetry.Tracing;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's Responses API: a request answered while the caller waits (its events streamed, or the
 * response object returned), or queued in the background for a worker ({@link ResponseStepRunner})
 * and polled; a stored response continued. Responses are kept in the conversation graph ({@link
 * ResponseChains}); reading, listing, deleting and cancelling them is {@link StoredResponses}'.
 */
@Service
public class ResponsesService {

  private final ResponseAnswers answers;
  private final ResponseChains chains;
  private final StoredResponses stored;
  private final JobQueue jobs;
  private final IdGenerator ids;
  private final JsonMapper json;
  private final Clock clock;

  ResponsesService(
      ResponseAnswers answers,
      ResponseChains chains,
      StoredResponses stored,
      JobQueue jobs,
      IdGenerator ids,
      JsonMapper json,
      Clock clock) {
    this.answers = answers;
    this.chains = chains;
    this.stored = stored;
    this.jobs = jobs;
    this.ids = ids;
    this.json = json;
    this.clock = clock;
  }

  /**
   * How a request was answered.
   *
   * @param body the response object to return; null when it was streamed
   * @param failed set when every candidate failed before any output: the caller gets an error
   *     status instead
   */
  public record Created(@Nullable ObjectNode body, LlmOutcome.@Nullable Failed failed) {}

  /** Answers (or queues) a request; streamed events go to {@code response}. */
  public Created create(
      UUID userId, @Nullable UUID apiKeyId, JsonNode body, HttpServletResponse response) {
    ResponsesRequests.Parsed request = answers.parse(userId, body);
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
      if (!previous.status().finished()) {
        throw RefusedException.invalid(
            "previous_response_id",
            "Previous response with id '"
                + request.previousResponseId()
                + "' is still in progress; continue it once it has finished.");
      }
      previousId = previous.id();
      earlier = chains.context(userId, previousId, true);
    }
    Map<UUID, Optional<ResponseChains.Stored>> seen = new HashMap<>();
    ResponsesInput.Context context =
        ResponsesInput.read(json, earlier, request.input(), ref -> referenced(userId, ref, seen));
    LlmRequest llm = answers.request(request, context);
    // Only what this request added: the chain's earlier items are its predecessors' steps.
    List<JsonNode> added = new ArrayList<>();
    for (int i = earlier.size(); i < context.items().size(); i++) {
      added.add(context.items().get(i));
    }
    UUID id = ids.next();
    Instant createdAt = clock.instant();
    ResponseObjects objects =
        new ResponseObjects(json, request, "resp_" + hex(id), createdAt.getEpochSecond());
    if (request.background()) {
      ObjectNode queued = objects.queued(request.model());
      UUID chain =
          chains.save(
              new ResponseChains.Saved(
                  id,
                  userId,
                  previousId,
                  request.model(),
                  createdAt,
                  added,
                  queued,
                  new ResponseChains.Background(body, apiKeyId)));
      jobs.runHereOrEnqueue(new Job(id, chain, Tracing.currentTraceparent()));
      return new Created(queued, null);
    }
    return answer(
        userId,
        apiKeyId,
        request,
        llm,
        objects,
        response,
        new ResponseChains.Saved(
            id, userId, previousId, "", createdAt, added, objects.queued(""), null));
  }

  /**
   * Answers while the caller waits; {@code pending} is the response to store, but for its answer.
   */
  private Created answer(
      UUID userId,
      @Nullable UUID apiKeyId,
      ResponsesRequests.Parsed request,
      LlmRequest llm,
      ResponseObjects objects,
      HttpServletResponse response,
      ResponseChains.Saved pending) {
    String hex = hex(pending.id());
    CancelSignal cancel = new CancelSignal();
    ResponseEventWriter writer = new ResponseEventWriter(json, response, cancel);
    ResponseOutput output = new ResponseOutput(json, hex, writer::write, objects::inProgress);
    // Not streaming, the answer is read from the completion: one the content policy withheld is
    // gone from it, though its pieces passed the sink.
    DeltaSink sink = request.stream() ? output : DeltaSink.textOnly(ignored -> {});
    DirectToolLoop.Result result =
        answers.complete(
            userId,
            apiKeyId,
            llm,
            request,
            sink,
            call -> {
              if (request.stream()) {
                ResponseObjects.serverCall(output, call);
              }
            },
            cancel);
    Completion completion = result.completion();
    // Every candidate failed before any piece: an error status. Filtered content is answered
    // (incomplete, content_filter), as chat completions answer it.
    if (!output.started()
        && completion.empty()
        && completion.outcome() instanceof LlmOutcome.Failed failed
        && !failed.code().equals(ErrorCode.CONTENT_FILTERED)) {
      return new Created(null, failed);
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
      chains.save(
          new ResponseChains.Saved(
              pending.id(),
              userId,
              pending.previousId(),
              model,
              pending.createdAt(),
              pending.input(),
              finished,
              null));
    }
    if (!request.stream()) {
      return new Created(finished, null);
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
    return new Created(null, null);
  }

  private Optional<ResponseChains.Stored> find(UUID userId, String id) {
    return stored.find(userId, id);
  }

  private static String hex(UUID id) {
    return id.toString().replace("-", "");
  }

  private @Nullable JsonNode referenced(
      UUID userId, String itemId, Map<UUID, Optional<ResponseChains.Stored>> seen) {
    return stored.referenced(userId, itemId, seen);
  }
}
