package dev.grizz.engine.telemetry;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/** The trace id of the work in progress on this thread, as 32 lowercase hex digits. */
public final class TraceIds {

  static final String MDC_KEY = "trace_id";
  private static final Pattern TRACEPARENT =
      Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$");
  private static final String INVALID = "00000000000000000000000000000000";

  private TraceIds() {}

  /** The current trace id; a new one if none was set, so an error body always carries one. */
  public static String current() {
    String id = MDC.get(MDC_KEY);
    return id != null ? id : random();
  }

  /** A W3C traceparent for work started now (a job), carrying the current trace id. */
  public static String currentTraceparent() {
    byte[] span = new byte[8];
    ThreadLocalRandom.current().nextBytes(span);
    return "00-" + current() + "-" + HexFormat.of().formatHex(span) + "-01";
  }

  /** The trace id of a W3C traceparent header, or a new one when the header is absent or bad. */
  static String fromTraceparent(@Nullable String header) {
    if (header != null) {
      var match = TRACEPARENT.matcher(header.strip());
      if (match.matches() && !INVALID.equals(match.group(1))) {
        return match.group(1);
      }
    }
    return random();
  }

  /**
   * The span a W3C traceparent names, as a remote parent; an invalid context when there is none.
   */
  static SpanContext remoteParent(@Nullable String header) {
    if (header != null) {
      var match = TRACEPARENT.matcher(header.strip());
      if (match.matches()) {
        // SpanContext checks the ids itself: all-zero trace or span ids make it invalid.
        return SpanContext.createFromRemoteParent(
            match.group(1),
            match.group(2),
            TraceFlags.fromHex(match.group(3), 0),
            TraceState.getDefault());
      }
    }
    return SpanContext.getInvalid();
  }

  static String random() {
    byte[] bytes = new byte[16];
    ThreadLocalRandom.current().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
