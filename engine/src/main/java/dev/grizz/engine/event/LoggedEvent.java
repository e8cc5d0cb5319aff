package dev.grizz.engine.event;

/**
 * An event as stored: its id and its JSON payload (the event without its id). {@link #frame()} is
 * the JSON every transport sends, built without re-encoding the payload.
 */
public record LoggedEvent(EventId id, String payload) {

  public String frame() {
    return "{\"id\":\"" + id + "\"," + payload.substring(1);
  }
}
