package dev.grizz.engine.agent;

import dev.grizz.engine.event.Broadcast;
import dev.grizz.engine.llm.CancelSignal;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Stops a running step wherever it runs: a cancel is broadcast to every pod, and the pod running
 * the step fires that step's signal.
 */
@Component
public class Cancels {

  private static final String PREFIX = "cancel:";

  private final Map<UUID, CancelSignal> running = new ConcurrentHashMap<>();
  private final Broadcast broadcast;

  Cancels(Broadcast broadcast) {
    this.broadcast = broadcast;
    broadcast.listen(this::onBroadcast);
  }

  CancelSignal register(UUID stepId) {
    CancelSignal signal = new CancelSignal();
    running.put(stepId, signal);
    return signal;
  }

  /**
   * Forgets the signal of one attempt; a later attempt of the step that runs on this pod meanwhile
   * (a takeover of a stalled worker) keeps its own.
   */
  void unregister(UUID stepId, CancelSignal signal) {
    running.remove(stepId, signal);
  }

  public void cancelEverywhere(UUID stepId) {
    CancelSignal local = running.get(stepId);
    if (local != null) {
      local.cancel();
    }
    broadcast.publish(PREFIX + stepId);
  }

  private void onBroadcast(String message) {
    if (message.startsWith(PREFIX)) {
      CancelSignal signal = running.get(UUID.fromString(message.substring(PREFIX.length())));
      if (signal != null) {
        signal.cancel();
      }
    }
  }
}
