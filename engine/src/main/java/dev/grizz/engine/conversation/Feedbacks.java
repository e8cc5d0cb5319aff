package dev.grizz.engine.conversation;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Users' ratings of answers, kept on the answer step; listed for admins newest first. */
@Service
public class Feedbacks {

  public static final int MAX_COMMENT = 2000;

  /** Fixed width, so that the stored times sort as text as they do as times. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final StepRepository steps;
  private final FeedbackRepository rows;
  private final Clock clock;

  Feedbacks(StepRepository steps, FeedbackRepository rows, Clock clock) {
    this.steps = steps;
    this.rows = rows;
    this.clock = clock;
  }

  /**
   * Sets the user's feedback on an answer of their conversation; a null rating without a comment
   * clears it.
   *
   * @return the feedback as stored, or empty when cleared
   * @throws ConversationNotFoundException for an unknown or foreign conversation or step
   * @throws InvalidStepException when the step is not an answer
   */
  @Transactional
  public Optional<Feedback> give(
      UUID userId,
      UUID conversationId,
      UUID stepId,
      @Nullable String rating,
      @Nullable String comment) {
    steps
        .findOwned(userId, conversationId, stepId)
        .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    Step step = steps.find(stepId).orElseThrow(() -> new ConversationNotFoundException(stepId));
    if (step.type() != Step.StepType.LLM) {
      throw new InvalidStepException(
          "invalid_step", "step_id", "Feedback is given on an answer (an llm step).");
    }
    String text = comment == null || comment.isBlank() ? null : comment.strip();
    if (rating == null && text == null) {
      rows.set(stepId, null);
      return Optional.empty();
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Map<String, Object> feedback = new LinkedHashMap<>();
    feedback.put("rating", rating);
    if (text != null) {
      feedback.put("comment", text);
    }
    feedback.put("updated_at", TIME.format(now));
    rows.set(stepId, feedback);
    return Optional.of(new Feedback(rating, text, now));
  }

  /** Feedback of every user, newest first, optionally of one rating: for admins. */
  @Transactional(readOnly = true)
  public List<Feedback.Given> newest(@Nullable String rating, int limit) {
    return rows.newest(rating, limit);
  }
}
