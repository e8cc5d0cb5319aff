package dev.grizz.engine.llm;

import okhttp3.internal.sse.ServerSentEventReader;

/**
 * One vendor's streamed answer as its server-sent events arrive (see {@link StreamingPost#stream}):
 * the text goes to the sink as it comes, and what the vendor reports of the end is kept.
 *
 * <p>okhttp-sse's reader is used directly: its {@code EventSources.processResponse} would wrap the
 * same loop, but in 4.12.0 it always throws (a {@code lateinit} call only {@code connect} sets,
 * square/okhttp#6668).
 */
public interface StreamedAnswer extends ServerSentEventReader.Callback {

  /**
   * Whether the vendor has said all it will (its last event, or an error): no more events are read,
   * even if the server keeps the connection open.
   */
  boolean ended();

  /** Token counts as far as the stream has reported them. */
  Usage usage();

  /** How the answer ended, once its events have been read (a cancel is not the answer's to say). */
  LlmOutcome outcome();

  @Override
  default void onRetryChange(long timeMs) {
    // A stream is never reconnected here: a broken one fails, and the router falls back.
  }
}
