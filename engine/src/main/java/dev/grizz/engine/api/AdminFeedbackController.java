package dev.grizz.engine.api;

import dev.grizz.engine.agent.MessageRejectedException;
import dev.grizz.engine.conversation.Feedback;
import dev.grizz.engine.conversation.Feedbacks;
import dev.grizz.engine.security.CurrentUser;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Admins read what users said of answers, newest first, to see which models and prompts fail. */
@RestController
class AdminFeedbackController {

  static final int MAX_LIMIT = 200;

  private final Feedbacks feedbacks;
  private final CurrentUser user;

  AdminFeedbackController(Feedbacks feedbacks, CurrentUser user) {
    this.feedbacks = feedbacks;
    this.user = user;
  }

  record GivenFeedbackView(
      UUID stepId,
      UUID conversationId,
      UUID userId,
      @Nullable String provider,
      @Nullable String model,
      Views.FeedbackView feedback) {

    static GivenFeedbackView of(Feedback.Given given) {
      return new GivenFeedbackView(
          given.stepId(),
          given.conversationId(),
          given.userId(),
          given.provider(),
          given.model(),
          Views.FeedbackView.of(given.feedback()));
    }
  }

  record FeedbackPageView(List<GivenFeedbackView> items) {}

  @GetMapping(path = "/api/v1/admin/feedback", produces = MediaType.APPLICATION_JSON_VALUE)
  FeedbackPageView list(
      @RequestParam(required = false) @Nullable String rating,
      @RequestParam(defaultValue = "50") @Min(1) @Max(MAX_LIMIT) int limit) {
    user.admin();
    if (rating != null && !rating.equals("up") && !rating.equals("down")) {
      throw new MessageRejectedException("invalid_rating", "rating must be up or down.");
    }
    return new FeedbackPageView(
        feedbacks.newest(rating, limit).stream().map(GivenFeedbackView::of).toList());
  }
}
