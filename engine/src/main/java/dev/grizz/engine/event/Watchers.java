package dev.grizz.engine.event;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Who on this pod waits for news of which conversation. */
final class Watchers {

  private final Map<UUID, Set<Runnable>> byConversation = new ConcurrentHashMap<>();

  AutoCloseable add(UUID conversationId, Runnable signal) {
    byConversation.computeIfAbsent(conversationId, id -> ConcurrentHashMap.newKeySet()).add(signal);
    return () ->
        byConversation.computeIfPresent(
            conversationId,
            (id, signals) -> {
              signals.remove(signal);
              return signals.isEmpty() ? null : signals;
            });
  }

  void signal(UUID conversationId) {
    Set<Runnable> signals = byConversation.get(conversationId);
    if (signals != null) {
      signals.forEach(Runnable::run);
    }
  }

  Set<UUID> conversations() {
    return byConversation.keySet();
  }

  boolean isEmpty() {
    return byConversation.isEmpty();
  }
}
