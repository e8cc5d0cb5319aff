package dev.grizz.engine.api;

import dev.grizz.engine.event.ChatEvent;
import dev.grizz.engine.event.EventData;
import dev.grizz.engine.event.Subscription;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/** Writes a subscription as server-sent events or as a long-poll JSON array. */
final class EventStreams {

  private EventStreams() {}

  static boolean wantsEventStream(@Nullable String accept) {
    return accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE);
  }

  /**
   * Streams the subscription as server-sent events on the calling (virtual) thread until the client
   * goes away, or, with {@code untilStep}, until the end of that step's turn (its {@code
   * step.finished}, or when it handed on to tool steps, the turn's last {@code step.finished}), or
   * until the user may no longer act ({@code tracked} then closes the subscription; an {@code
   * error} event ends the stream).
   */
  static void stream(
      HttpServletResponse response,
      int status,
      Subscription subscription,
      @Nullable UUID untilStep,
      StreamSettings settings,
      OpenStreams.Tracked tracked) {
    response.setStatus(status);
    response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache, no-transform");
    response.setHeader("X-Accel-Buffering", "no");
    try (subscription) {
      OutputStream out = response.getOutputStream();
      write(out, "retry: 2000\n\n");
      boolean wholeTurn = false;
      while (!Thread.currentThread().isInterrupted()) {
        List<Subscription.Frame> frames = subscription.next(settings.heartbeat());
        if (subscription.isClosed()) {
          String revoked = tracked.errorFrame();
          if (revoked != null) {
            write(out, "data: " + revoked + "\n\n");
          }
          return;
        }
        if (frames.isEmpty()) {
          write(out, ": heartbeat\n\n");
          continue;
        }
        StringBuilder chunk = new StringBuilder();
        boolean done = false;
        for (Subscription.Frame frame : frames) {
          chunk
              .append("id: ")
              .append(frame.id())
              .append("\ndata: ")
              .append(frame.json())
              .append("\n\n");
          if (untilStep != null) {
            ChatEvent event = subscription.event(frame);
            if (event.data() instanceof EventData.StepFinished finished
                && (wholeTurn || event.stepId().equals(untilStep))) {
              wholeTurn |= finished.continues();
              done |= finished.endsTurn();
            }
          }
        }
        write(out, chunk.toString());
        if (done) {
          return;
        }
      }
    } catch (IOException clientGone) {
      // the client closed the stream; it resumes from its last id
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  static String jsonArray(List<Subscription.Frame> frames) {
    StringBuilder array = new StringBuilder("[");
    for (int i = 0; i < frames.size(); i++) {
      if (i > 0) {
        array.append(',');
      }
      array.append(frames.get(i).json());
    }
    return array.append(']').toString();
  }

  /** {@code wait} as "25s", "500ms" or seconds; absent means answer at once. */
  static Duration parseWait(@Nullable String wait) {
    if (wait == null || wait.isBlank()) {
      return Duration.ZERO;
    }
    try {
      Duration parsed =
          wait.chars().allMatch(Character::isDigit)
              ? Duration.ofSeconds(Long.parseLong(wait))
              : DurationStyle.detectAndParse(wait);
      if (parsed.isNegative() || parsed.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new InvalidWaitException(wait);
      }
      return parsed;
    } catch (IllegalArgumentException e) {
      throw new InvalidWaitException(wait);
    }
  }

  /** A long-poll wait that is not a duration between 0 and 60 s. */
  static final class InvalidWaitException extends IllegalArgumentException {
    InvalidWaitException(String wait) {
      super("wait must be a duration from 0 to 60s, such as 25s (got '" + wait + "')");
    }
  }
}
