package dev.grizz.engine.moderation;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What moderation decided about one text.
 *
 * @param action the strongest action over all categories
 * @param scores every category's score, 0..1, as the moderator reported it (empty when moderation
 *     is off)
 * @param categories the categories at or above their log threshold, strongest action first, then
 *     highest score
 * @param violationId the {@code policy_violations} row written for this text; null when nothing
 *     reached the log threshold
 */
public record ModerationVerdict(
    Action action,
    Map<String, Double> scores,
    List<String> categories,
    @Nullable UUID violationId) {

  /** What to do with a text, weakest first: the order is the order of strength. */
  public enum Action {
    /** Nothing to note. */
    ALLOW,
    /** Recorded for statistics and review; the text goes through. */
    LOG,
    /** Recorded and queued for a person to review; the text goes through. */
    FLAG,
    /** Recorded; the text must not be sent on (to the model, or to the user). */
    BLOCK;

    /** The lower-case name stored in {@code policy_violations.action_taken} and metric tags. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public ModerationVerdict {
    scores = Map.copyOf(scores);
    categories = List.copyOf(categories);
  }

  /** A verdict when moderation is off or nothing was checked. */
  static ModerationVerdict allowed() {
    return new ModerationVerdict(Action.ALLOW, Map.of(), List.of(), null);
  }

  /** The text must not be passed on. */
  public boolean blocked() {
    return action == Action.BLOCK;
  }

  /** A person should look at this (flagged or blocked). */
  public boolean needsReview() {
    return action.compareTo(Action.FLAG) >= 0;
  }

  /** The category that decided the action, or null when nothing reached a threshold. */
  public @Nullable String topCategory() {
    return categories.isEmpty() ? null : categories.getFirst();
  }

  /** A category's score, 0 when the moderator did not report it. */
  public double score(String category) {
    return scores.getOrDefault(category, 0.0);
  }
}
