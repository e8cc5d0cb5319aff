package dev.grizz.engine.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.llm.Usage;
import org.junit.jupiter.api.Test;

/** The usage of an answer that took several rounds. */
class DirectToolLoopTests {

  @Test
  void sumsTheRoundsCounts() {
    Usage sum = DirectToolLoop.plus(new Usage(30, 7, false, 10, 2), new Usage(50, 4, false, 20, 1));

    assertThat(sum).isEqualTo(new Usage(80, 11, false, 30, 3));
  }

  @Test
  void aCountOneRoundDidNotReportMakesTheSumUnknownNotLow() {
    Usage sum = DirectToolLoop.plus(new Usage(30, 7, false), new Usage(null, 4, true));

    assertThat(sum.promptTokens()).isNull();
    assertThat(sum.completionTokens()).isEqualTo(11);
    assertThat(sum.estimated()).isTrue();
    assertThat(sum.cachedPromptTokens()).isNull();
  }
}
