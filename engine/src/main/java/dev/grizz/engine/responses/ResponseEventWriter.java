package dev.grizz.engine.responses;

import dev.grizz.engine.llm.CancelSignal;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes events as server-sent events, {@code event:} and {@code data:} as OpenAI sends them. The
 * stream starts with the first event; a client that went away cancels the upstream call.
 */
final class ResponseEventWriter {
  private final JsonMapper json;
  private final HttpServletResponse response;
  private final CancelSignal cancel;
  private @Nullable OutputStream out;

  ResponseEventWriter(JsonMapper json, HttpServletResponse response, CancelSignal cancel) {
    this.json = json;
    this.response = response;
    this.cancel = cancel;
  }

  void write(ObjectNode event) {
    if (cancel.isCancelled()) {
      return;
    }
    String frame =
        "event: "
            + event.path("type").asString()
            + "\ndata: "
            + json.writeValueAsString(event)
            + "\n\n";
    try {
      OutputStream stream = out;
      if (stream == null) {
        response.setStatus(200);
        response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-cache, no-transform");
        response.setHeader("X-Accel-Buffering", "no");
        stream = response.getOutputStream();
        out = stream;
      }
      stream.write(frame.getBytes(StandardCharsets.UTF_8));
      stream.flush();
    } catch (IOException clientGone) {
      cancel.cancel();
    }
  }
}
