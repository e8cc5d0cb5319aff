package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every event log backend promises; each backend's test runs this suite. */
abstract class EventBackendContract {

  abstract EventBackend backend();

  private static String payload(int n) {
    return "{\"type\":\"message.delta\",\"n\":" + n + "}";
  }

  @Test
  void appendsWithIncreasingIdsAndReadsThemBackInOrder() {
    UUID conversation = UUID.randomUUID();
    List<EventId> ids = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ids.add(backend().append(conversation, payload(i), null));
    }

    assertThat(ids).isSorted().doesNotHaveDuplicates();
    List<LoggedEvent> all = backend().readAfter(conversation, null, 100);
    assertThat(all).extracting(LoggedEvent::id).containsExactlyElementsOf(ids);
    assertThat(all.get(7).payload()).isEqualTo(payload(7));
  }

  @Test
  void readsStrictlyAfterTheCursorAndUpToTheLimit() {
    UUID conversation = UUID.randomUUID();
    List<EventId> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(backend().append(conversation, payload(i), null));
    }

    List<LoggedEvent> page = backend().readAfter(conversation, ids.get(3), 4);

    assertThat(page).extracting(LoggedEvent::id).containsExactlyElementsOf(ids.subList(4, 8));
    assertThat(backend().readAfter(conversation, ids.getLast(), 10)).isEmpty();
  }

  @Test
  void knowsTheNewestIdOfAConversation() {
    UUID conversation = UUID.randomUUID();
    assertThat(backend().last(conversation)).isNull();

    backend().append(conversation, payload(1), null);
    EventId newest = backend().append(conversation, payload(2), null);

    assertThat(backend().last(conversation)).isEqualTo(newest);
  }

  @Test
  void keepsConversationsApart() {
    UUID one = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    backend().append(one, payload(1), null);
    backend().append(other, payload(2), null);

    assertThat(backend().readAfter(one, null, 10))
        .extracting(LoggedEvent::payload)
        .containsExactly(payload(1));
  }

  @Test
  void numbersAboveTheFloorItIsGiven() {
    UUID conversation = UUID.randomUUID();
    EventId floor = new EventId(System.currentTimeMillis() + 60_000, 5);

    EventId id = backend().append(conversation, payload(1), floor);

    assertThat(id).isGreaterThan(floor);
    assertThat(backend().append(conversation, payload(2), null)).isGreaterThan(id);
  }

  @Test
  void wakesWatchersWhenEventsArrive() throws Exception {
    UUID conversation = UUID.randomUUID();
    AtomicInteger signals = new AtomicInteger();
    AutoCloseable watch = backend().watch(conversation, signals::incrementAndGet);
    Thread.ofVirtual().start(() -> backend().append(conversation, payload(1), null));
    await().atMost(Duration.ofSeconds(5)).until(() -> signals.get() > 0);
    watch.close();
  }

  @Test
  void stopsWakingAClosedWatch() throws Exception {
    UUID conversation = UUID.randomUUID();
    AtomicInteger signals = new AtomicInteger();
    AutoCloseable watch = backend().watch(conversation, signals::incrementAndGet);
    watch.close();

    backend().append(conversation, payload(1), null);
    Thread.sleep(700);

    assertThat(signals).hasValue(0);
  }

  @Test
  void dropsALogAfterItsRetention() {
    UUID conversation = UUID.randomUUID();
    backend().append(conversation, payload(1), null);

    backend().expireAfter(conversation, Duration.ofSeconds(1));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> backend().readAfter(conversation, null, 10).isEmpty());
  }
}
