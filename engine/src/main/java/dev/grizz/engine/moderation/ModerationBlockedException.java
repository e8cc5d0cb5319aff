package dev.grizz.engine.moderation;

import java.util.LinkedHashMap;
import java.util.Map;

/** A message the content policy blocks: it is not stored and no model sees it. */
public class ModerationBlockedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient ModerationVerdict verdict;

  public ModerationBlockedException(ModerationVerdict verdict) {
    super(
        "This message was blocked by the content policy (" + verdict.topCategory() + ").",
        null,
        false,
        false);
    this.verdict = verdict;
  }

  public ModerationVerdict verdict() {
    return verdict;
  }

  /** What a client may know: the categories, never the scores' thresholds. */
  public Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("category", String.valueOf(verdict.topCategory()));
    details.put("categories", verdict.categories());
    if (verdict.violationId() != null) {
      details.put("violation_id", verdict.violationId().toString());
    }
    return details;
  }
}
