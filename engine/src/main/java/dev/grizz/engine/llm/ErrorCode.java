package dev.grizz.engine.llm;

/** The stable codes provider failures are mapped to, once, at each adapter's edge. */
public final class ErrorCode {

  public static final String AUTH_FAILED = "auth_failed";
  public static final String RATE_LIMITED = "rate_limited";
  public static final String CONTEXT_TOO_LONG = "context_too_long";
  public static final String UPSTREAM_UNAVAILABLE = "upstream_unavailable";
  public static final String UPSTREAM_TIMEOUT = "upstream_timeout";
  public static final String CONTENT_FILTERED = "content_filtered";
  public static final String INVALID_REQUEST = "upstream_rejected";
  public static final String BUDGET_EXCEEDED = "budget_exceeded";

  private ErrorCode() {}
}
