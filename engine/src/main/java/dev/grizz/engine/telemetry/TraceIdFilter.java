package dev.grizz.engine.telemetry;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Gives every request a trace id (the caller's, from traceparent, when it sends one). */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class TraceIdFilter extends OncePerRequestFilter {

  static final String RESPONSE_HEADER = "X-Trace-Id";

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String traceId = TraceIds.fromTraceparent(request.getHeader("traceparent"));
    MDC.put(TraceIds.MDC_KEY, traceId);
    response.setHeader(RESPONSE_HEADER, traceId);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(TraceIds.MDC_KEY);
    }
  }
}
