package dev.grizz.engine.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Gives every request a trace id (the caller's, from traceparent, when it sends one) and a server
 * span. The span covers the whole exchange, so for a server-sent event stream, which is written on
 * the request's own thread, it is also the delivery span: one per connection, never one per event.
 * A WebSocket gets no delivery span: its handshake is a short request and the socket may stay open
 * for hours, longer than most trace stores keep a span open; the deltas it carries are counted on
 * the worker's {@code chat.step} span.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class TraceIdFilter extends OncePerRequestFilter {

  static final String RESPONSE_HEADER = "X-Trace-Id";
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final Logger log = LoggerFactory.getLogger(TraceIdFilter.class);

  private final Tracing tracing;

  TraceIdFilter(Tracing tracing) {
    this.tracing = tracing;
  }

  @SuppressWarnings("try") // the scope is used for its side effect: the current span
  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String traceparent = request.getHeader("traceparent");
    String method = request.getMethod();
    Span span =
        tracing
            .tracer()
            .spanBuilder(method)
            .setSpanKind(SpanKind.SERVER)
            .setParent(Tracing.parent(traceparent))
            .setAttribute(METHOD, method)
            .setAttribute(PATH, request.getRequestURI())
            .startSpan();
    String traceId = Tracing.traceId(span, traceparent);
    response.setHeader(RESPONSE_HEADER, traceId);
    long started = System.nanoTime();
    try (Scope scope = Tracing.activate(span, traceId)) {
      chain.doFilter(request, response);
      if (log.isDebugEnabled()) {
        log.debug(
            "{} {} -> {} in {} ms",
            method,
            request.getRequestURI(),
            response.getStatus(),
            (System.nanoTime() - started) / 1_000_000);
      }
    } catch (IOException | ServletException | RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      end(span, request, response.getStatus());
    }
  }

  private static void end(Span span, HttpServletRequest request, int status) {
    if (span.isRecording()) {
      // The route is known only once a handler matched; without one the name stays the method,
      // which keeps span names few (never a raw path with ids in it).
      if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)
          instanceof String route) {
        span.updateName(request.getMethod() + " " + route);
        span.setAttribute(ROUTE, route);
      }
      span.setAttribute(STATUS, (long) status);
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
    }
    span.end();
  }
}
