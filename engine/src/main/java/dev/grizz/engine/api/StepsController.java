package dev.grizz.engine.api;

import dev.grizz.engine.agent.MessageRejectedException;
import dev.grizz.engine.chat.ChatService;
import dev.grizz.engine.chat.Versions;
import dev.grizz.engine.conversation.Feedback;
import dev.grizz.engine.conversation.Feedbacks;
import dev.grizz.engine.conversation.Traces;
import dev.grizz.engine.event.EventId;
import dev.grizz.engine.event.Subscription;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.RateLimits;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * API v1: what is done to one step of a conversation (a new version of an answer, feedback) and how
 * it was made.
 */
@RestController
@RequestMapping(path = "/api/v1/conversations/{id}/steps/{stepId}")
class StepsController {

  private final Versions versions;
  private final Feedbacks feedbacks;
  private final Traces traces;
  private final ChatService chat;
  private final CurrentUser user;
  private final RateLimits rateLimits;
  private final StreamSettings streams;
  private final OpenStreams openStreams;

  StepsController(
      Versions versions,
      Feedbacks feedbacks,
      Traces traces,
      ChatService chat,
      CurrentUser user,
      RateLimits rateLimits,
      StreamSettings streams,
      OpenStreams openStreams) {
    this.versions = versions;
    this.feedbacks = feedbacks;
    this.traces = traces;
    this.chat = chat;
    this.user = user;
    this.rateLimits = rateLimits;
    this.streams = streams;
    this.openStreams = openStreams;
  }

  /** The model for the new version; left out, the model of the answer it stands beside. */
  record RegenerateRequest(@Nullable @Size(max = 200) String model) {}

  record RegeneratedView(UUID conversationId, UUID userStepId, UUID stepId, UUID versionOf) {}

  /**
   * Answers the question of answer {@code stepId} again, as a new version beside it: 202 with the
   * new step. With {@code Accept: text/event-stream} the new answer streams back until it ends.
   */
  @PostMapping(
      path = "/regenerate",
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE})
  @Nullable ResponseEntity<RegeneratedView> regenerate(
      @PathVariable UUID id,
      @PathVariable UUID stepId,
      @Valid @RequestBody(required = false) @Nullable RegenerateRequest request,
      @RequestHeader(value = HttpHeaders.ACCEPT, required = false) @Nullable String accept,
      HttpServletResponse response) {
    rateLimits.message(user.caller()).applyTo(response);
    EventId position = EventStreams.wantsEventStream(accept) ? chat.position(id) : null;
    Versions.Regenerated made =
        versions.regenerate(
            user.id(),
            user.caller().apiKeyId(),
            id,
            stepId,
            request == null ? null : request.model());
    if (position != null) {
      Subscription subscription = chat.subscribeAfter(id, position);
      try (OpenStreams.Tracked tracked = openStreams.track(user.id(), subscription)) {
        EventStreams.stream(response, 202, subscription, made.stepId(), streams, tracked);
      }
      return null;
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .body(
            new RegeneratedView(
                made.conversationId(), made.userStepId(), made.stepId(), made.versionOf()));
  }

  /** A rating of an answer, {@code up}, {@code down} or null, and an optional comment. */
  record FeedbackRequest(
      @Nullable String rating, @Nullable @Size(max = Feedbacks.MAX_COMMENT) String comment) {}

  /**
   * Sets the caller's feedback on an answer (a null rating and no comment clear it): the feedback
   * as stored, returned with the step in the conversation's detail view too.
   */
  @PutMapping(
      path = "/feedback",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  Views.StepFeedbackView feedback(
      @PathVariable UUID id,
      @PathVariable UUID stepId,
      @Valid @RequestBody FeedbackRequest request) {
    String rating = request.rating();
    if (rating != null && !rating.equals("up") && !rating.equals("down")) {
      throw new MessageRejectedException("invalid_rating", "rating must be up, down or null.");
    }
    Feedback stored = feedbacks.give(user.id(), id, stepId, rating, request.comment()).orElse(null);
    return new Views.StepFeedbackView(
        stepId, stored == null ? null : Views.FeedbackView.of(stored));
  }

  /**
   * How the answer was made: its question and the steps of its version (answers, tool calls,
   * follow-ups) with model, provider, fallbacks tried, tokens, cost and times.
   */
  @GetMapping(path = "/trace", produces = MediaType.APPLICATION_JSON_VALUE)
  TraceViews.TraceView trace(@PathVariable UUID id, @PathVariable UUID stepId) {
    return TraceViews.of(id, traces.of(user.id(), id, stepId));
  }
}
