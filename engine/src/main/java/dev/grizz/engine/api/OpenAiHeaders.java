package dev.grizz.engine.api;

import dev.grizz.engine.security.RateLimits;
import dev.grizz.engine.telemetry.TraceIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The response headers OpenAI's clients read, on every {@code /v1} answer. {@value #REQUEST_ID} is
 * the trace id: the SDKs show it as the request's id (and in their exceptions), and it is the id
 * operators search the logs and traces for, the same as {@code trace_id} in error bodies. It is set
 * before the rest of the chain runs, so refusals made by later filters, errors and streams all
 * carry it. The {@code x-ratelimit-*} names sit beside the IETF {@code RateLimit-*} ones, which the
 * rest of the API uses.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class OpenAiHeaders extends OncePerRequestFilter {

  static final String REQUEST_ID = "x-request-id";

  static boolean isOpenAiPath(String path) {
    return path.startsWith("/v1/");
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !isOpenAiPath(request.getRequestURI());
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    // Inside the trace-id filter, so this is the id that filter put on X-Trace-Id.
    response.setHeader(REQUEST_ID, TraceIds.current());
    chain.doFilter(request, response);
  }

  /** OpenAI's names for what a request was allowed. */
  static HttpHeaders rateLimits(RateLimits.Allowance allowance) {
    HttpHeaders headers = new HttpHeaders();
    headers.set("x-ratelimit-limit-requests", Long.toString(allowance.limit()));
    headers.set("x-ratelimit-remaining-requests", Long.toString(allowance.remaining()));
    headers.set("x-ratelimit-reset-requests", duration(allowance.resetSeconds()));
    return headers;
  }

  static void applyRateLimits(RateLimits.Allowance allowance, HttpServletResponse response) {
    allowance.applyTo(response);
    rateLimits(allowance).forEach((name, values) -> response.setHeader(name, values.getFirst()));
  }

  /** A duration as OpenAI writes its resets (Go's notation): {@code 20s}, {@code 1m0s}. */
  static String duration(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    long hours = seconds / 3600;
    long minutes = seconds % 3600 / 60;
    String rest = minutes + "m" + seconds % 60 + "s";
    return hours > 0 ? hours + "h" + rest : rest;
  }
}
