package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecentEventsTests {

  private final RecentEvents recent = new RecentEvents();
  private final UUID conversation = UUID.randomUUID();

  private static EventId id(long seq) {
    return new EventId(1000, seq);
  }

  private static LoggedEvent event(long seq) {
    return new LoggedEvent(id(seq), "{\"n\":" + seq + "}");
  }

  @Test
  void ourAppendsAreServedInStreamOrderFromAnyCursor() {
    recent.appended(conversation, null, event(1));
    recent.appended(conversation, id(1), event(2));
    recent.appended(conversation, id(2), event(3));

    assertThat(recent.after(conversation, id(1), 10)).containsExactly(event(2), event(3));
    assertThat(recent.after(conversation, EventId.ZERO, 2)).containsExactly(event(1), event(2));
  }

  @Test
  void aCaughtUpCursorGetsNothingWithoutAskingRedis() {
    recent.appended(conversation, null, event(1));

    assertThat(recent.after(conversation, id(1), 10)).isEmpty();
  }

  @Test
  void anotherPodsEventEndsTheChainAndSendsTheReaderToRedis() {
    recent.appended(conversation, null, event(1));
    recent.appended(conversation, id(2), event(3)); // 2 came from another pod

    assertThat(recent.after(conversation, id(1), 10)).isNull();
    assertThat(recent.after(conversation, id(2), 10)).containsExactly(event(3));
  }

  @Test
  void anotherPodsEventReadByTheWatchLoopIsServedFromMemory() {
    recent.appended(conversation, null, event(1));

    assertThat(recent.observed(conversation, id(1), event(1))).isTrue(); // ours, told already
    assertThat(recent.observed(conversation, id(1), event(2))).isFalse(); // another pod's
    assertThat(recent.after(conversation, id(1), 10)).containsExactly(event(2));
    assertThat(recent.after(conversation, id(2), 10)).isEmpty();
  }

  @Test
  void ourAppendReadByTheWatchLoopFirstIsKeptOnce() {
    recent.appended(conversation, null, event(1));

    // The loop's XREAD returned before the appending thread recorded its reply.
    assertThat(recent.observed(conversation, id(1), event(2))).isFalse();
    recent.appended(conversation, id(1), event(2));

    assertThat(recent.after(conversation, EventId.ZERO, 10)).containsExactly(event(1), event(2));
    assertThat(recent.observed(conversation, id(1), event(2))).isTrue();
  }

  @Test
  void aWatchFromAPositionThatIsNoEventLinksItsFirstReadToThatPosition() {
    // A subscriber resuming from a cursor between events: the loop reads from that cursor.
    EventId cursor = new EventId(999, 0);

    assertThat(recent.observed(conversation, cursor, event(1))).isFalse();
    assertThat(recent.after(conversation, cursor, 10)).containsExactly(event(1));
    assertThat(recent.after(conversation, EventId.ZERO, 10)).isNull();
  }

  @Test
  void anUnknownConversationOrACursorOlderThanWhatIsKeptGoesToRedis() {
    assertThat(recent.after(conversation, id(1), 10)).isNull();

    EventId previous = null;
    for (long seq = 1; seq <= RecentEvents.PER_CONVERSATION + 10; seq++) {
      recent.appended(conversation, previous, event(seq));
      previous = id(seq);
    }
    assertThat(recent.after(conversation, id(5), 10)).isNull();
    List<LoggedEvent> newest = recent.after(conversation, id(20), 1000);
    assertThat(newest).hasSize(RecentEvents.PER_CONVERSATION - 10 + 10 - 10);
    assertThat(newest.getLast()).isEqualTo(event(RecentEvents.PER_CONVERSATION + 10));
  }

  @Test
  void forgettingAConversationSendsItsReadersToRedis() {
    recent.appended(conversation, null, event(1));
    recent.forget(conversation);

    assertThat(recent.after(conversation, id(1), 10)).isNull();
  }
}
