package dev.grizz.engine.security;

/** A request over its rate limit: how many were allowed, and when to try again. */
public class RateLimitedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final RateLimits.Allowance allowance;

  RateLimitedException(RateLimits.Allowance allowance) {
    super(
        "Too many requests: at most "
            + allowance.limit()
            + " per minute. Try again in "
            + allowance.retryAfterSeconds()
            + " s.",
        null,
        false,
        false);
    this.allowance = allowance;
  }

  public RateLimits.Allowance allowance() {
    return allowance;
  }
}
