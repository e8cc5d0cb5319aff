package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which cursors a client may send: those a log could have issued, with a successor. */
class EventIdTests {

  @Test
  void parsesWhatItPrints() {
    EventId id = new EventId(1_767_225_600_000L, 3);
    assertThat(EventId.parse(id.toString())).isEqualTo(id);
    assertThat(EventId.parse("0-0")).isEqualTo(EventId.ZERO);
    assertThat(EventId.parseNullable("  12-0 ")).isEqualTo(new EventId(12, 0));
    assertThat(EventId.parseNullable(" ")).isNull();
  }

  @Test
  void acceptsTheLargestIdsThatHaveASuccessor() {
    EventId last = EventId.parse("9223372036854775807-9223372036854775806");
    assertThat(last.next()).isEqualTo(new EventId(Long.MAX_VALUE, Long.MAX_VALUE));
    assertThat(last.next().toString()).doesNotContain("--");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // no successor: its successor overflowed into an id Redis refused
        "9223372036854775807-9223372036854775807",
        "0-9223372036854775807",
        // beyond a long
        "9223372036854775808-0",
        "1-9223372036854775808",
        "1-99999999999999999999",
        // signs, spaces and digits other than ASCII, which Long.parseLong takes
        "+1-2",
        "1-+2",
        "1--2",
        "-1-2",
        "1- 2",
        "١-٢",
        // not <ms>-<seq>
        "",
        "12",
        "12-",
        "-12",
        "1-2-3",
        "abc-1",
        "1.5-2",
        "$",
        "+"
      })
  void refusesCursorsNoLogIssues(String cursor) {
    assertThatThrownBy(() -> EventId.parse(cursor))
        .isInstanceOf(EventId.InvalidCursorException.class)
        .hasMessageContaining("is not an event id");
  }

  @Test
  void quotesALongCursorCutShort() {
    assertThatThrownBy(() -> EventId.parse("9".repeat(10_000)))
        .hasMessageStartingWith("'" + "9".repeat(48) + "…'")
        .hasMessageEndingWith("is not an event id (expected <ms>-<seq>)");
  }

  @Test
  void anIdWithoutASuccessorSaysSoInsteadOfWrapping() {
    assertThatThrownBy(() -> new EventId(1, Long.MAX_VALUE).next())
        .isInstanceOf(ArithmeticException.class);
  }
}
