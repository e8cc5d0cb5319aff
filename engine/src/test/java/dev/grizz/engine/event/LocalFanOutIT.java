package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Subscribers are served their own pod's appends from memory; with two pods appending to one
 * conversation at once, every subscriber on either pod still gets every event exactly once, in the
 * stream's order.
 */
class LocalFanOutIT {

  private static PrivateRedis redis;
  private static EngineInstance a;
  private static EngineInstance b;

  @BeforeAll
  static void twoPods() {
    TestServers.Database db = TestServers.newDatabase();
    redis = new PrivateRedis();
    a = EngineInstance.start(db, redis.url(), Map.of("grizz.events.workers", "0"));
    b = EngineInstance.start(db, redis.url(), Map.of("grizz.events.workers", "0"));
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
    redis.close();
  }

  @Test
  void interleavedAppendsFromTwoPodsReachSubscribersOnBothInOrder() throws Exception {
    UUID conversation = UUID.randomUUID();
    UUID step = UUID.randomUUID();
    int perPod = 300;
    List<Subscription> subscriptions = new ArrayList<>();
    for (EngineInstance pod : List.of(a, a, b)) {
      subscriptions.add(pod.bean(EventLog.class).subscribe(conversation, null, null));
    }
    Set<EventId> appended = new ConcurrentSkipListSet<>();
    Map<Integer, List<EventId>> received = new ConcurrentHashMap<>();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < subscriptions.size(); i++) {
      Subscription subscription = subscriptions.get(i);
      List<EventId> ids = new ArrayList<>();
      received.put(i, ids);
      readers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (ids.size() < 2 * perPod && System.nanoTime() < deadline) {
                      for (Subscription.Frame frame : subscription.next(Duration.ofSeconds(1))) {
                        ids.add(frame.id());
                      }
                    }
                  }));
    }
    // Each event is its own frame: only a reader with a backlog merges deltas, and these are
    // step events of two steps, which never merge.
    List<Thread> writers = new ArrayList<>();
    for (EngineInstance pod : List.of(a, b)) {
      EventLog log = pod.bean(EventLog.class);
      UUID writerStep = pod == a ? step : UUID.randomUUID();
      writers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int seq = 1; seq <= perPod; seq++) {
                      appended.add(
                          log.append(
                              new ChatEvent(
                                  conversation,
                                  conversation,
                                  writerStep,
                                  seq,
                                  1,
                                  Instant.now(),
                                  new EventData.StepStarted("m", 1))));
                    }
                  }));
    }
    for (Thread writer : writers) {
      writer.join();
    }
    for (Thread reader : readers) {
      reader.join();
    }
    subscriptions.forEach(Subscription::close);

    assertThat(appended).hasSize(2 * perPod);
    for (List<EventId> ids : received.values()) {
      assertThat(ids).containsExactlyElementsOf(appended);
    }
  }
}
