package dev.grizz.engine.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.grizz.engine.moderation.ModerationVerdict.Action;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's moderation endpoint over the engine's HTTP client, against a fake speaking its wire
 * format.
 */
class OpenAiModeratorTests {

  private final FakeModerationApi api = new FakeModerationApi();
  private final TestClock clock = new TestClock();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void postsTheModelAndTextAndReadsEveryCategoryScore() {
    api.enqueue(FakeModerationApi.ok(FakeModerationApi.VIOLENT));
    OpenAiModerator moderator =
        new OpenAiModerator(
            api.baseUrl(), "sk-test", "omni-moderation-latest", Duration.ofSeconds(5));

    Map<String, Double> scores = moderator.scores("I'm going to hurt you");

    FakeModerationApi.Request request = api.requests.remove();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/moderations");
    assertThat(request.authorization()).isEqualTo("Bearer sk-test");
    assertThat(request.body())
        .contains("\"model\":\"omni-moderation-latest\"")
        .contains("\"input\":\"I'm going to hurt you\"");
    assertThat(scores).containsOnlyKeys(Moderator.CATEGORIES);
    assertThat(scores.get("violence")).isCloseTo(0.9999992735124786, within(1e-12));
    assertThat(scores.get("harassment/threatening")).isCloseTo(0.804985420696006, within(1e-12));
    assertThat(scores.get("sexual/minors")).isCloseTo(2.212566909570261e-8, within(1e-15));
  }

  @Test
  void theRealResponseBlocksUnderTheDefaultPolicy() {
    api.enqueue(FakeModerationApi.ok(FakeModerationApi.VIOLENT));
    Moderator moderator = openAiWithFallback();

    ModerationPolicy.Assessment assessment =
        ModerationPolicy.DEFAULT.assess(moderator.scores("anything"));

    assertThat(assessment.action()).isEqualTo(Action.BLOCK);
    assertThat(assessment.categories())
        // block first, then the flagged ones by score
        .containsExactly("violence", "violence/graphic", "harassment", "harassment/threatening");
  }

  @Test
  void aScoreTheModelLeavesOutIsTakenFromItsFlagNotReadAsZero() {
    String older =
        FakeModerationApi.VIOLENT
            .replace("\"illicit\": 0.030535955153511665,", "")
            .replace("\"illicit/violent\": 0.008925306722380033,", "")
            .replace("\"illicit/violent\": false", "\"illicit/violent\": true");
    api.enqueue(FakeModerationApi.ok(older));
    OpenAiModerator moderator =
        new OpenAiModerator(
            api.baseUrl(), "sk-test", "text-moderation-latest", Duration.ofSeconds(5));

    Map<String, Double> scores = moderator.scores("x");

    assertThat(scores).doesNotContainKey("illicit").containsEntry("illicit/violent", 1.0);
  }

  @Test
  void aServerErrorIsThrownByTheModeratorItself() {
    api.enqueue(new FakeModerationApi.Reply(500, FakeModerationApi.SERVER_ERROR, Duration.ZERO));
    OpenAiModerator moderator =
        new OpenAiModerator(
            api.baseUrl(), "sk-test", "omni-moderation-latest", Duration.ofSeconds(5));

    assertThatThrownBy(() -> moderator.scores("x")).isInstanceOf(RuntimeException.class);
    assertThat(api.requests).hasSize(1); // no retries: falling back is FallbackModerator's job
  }

  @Test
  void whenOpenAiFailsTheOfflinePatternsAnswerAndOpenAiIsLeftAloneForAWhile() {
    api.enqueue(new FakeModerationApi.Reply(500, FakeModerationApi.SERVER_ERROR, Duration.ZERO));
    Moderator moderator = openAiWithFallback();

    Map<String, Double> first = moderator.scores("I'm going to kill you");
    Map<String, Double> second = moderator.scores("you're a worthless idiot");

    assertThat(first.get("harassment/threatening")).isEqualTo(0.95);
    assertThat(ModerationPolicy.DEFAULT.assess(first).action()).isEqualTo(Action.BLOCK);
    assertThat(second.get("harassment")).isEqualTo(0.70);
    assertThat(api.requests).hasSize(1);
    assertThat(((FallbackModerator) moderator).isDown()).isTrue();

    clock.advance(FallbackModerator.COOL_DOWN.plusSeconds(1));
    api.enqueue(FakeModerationApi.ok(FakeModerationApi.VIOLENT));
    Map<String, Double> recovered = moderator.scores("hello");

    assertThat(api.requests).hasSize(2);
    assertThat(recovered.get("violence")).isGreaterThan(0.99);
    assertThat(((FallbackModerator) moderator).isDown()).isFalse();
  }

  @Test
  void aSlowOpenAiTimesOutIntoTheOfflinePatterns() {
    api.enqueue(new FakeModerationApi.Reply(200, FakeModerationApi.VIOLENT, Duration.ofSeconds(3)));
    Moderator moderator =
        ModerationService.moderatorFor(
            settings(api.baseUrl(), Duration.ofMillis(300)), OfflineModerator.builtIn(), clock);

    long started = System.nanoTime();
    Map<String, Double> scores = moderator.scores("have a nice day");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    assertThat(scores.values()).allMatch(score -> score == 0.0);
  }

  private Moderator openAiWithFallback() {
    return ModerationService.moderatorFor(
        settings(api.baseUrl(), Duration.ofSeconds(5)), OfflineModerator.builtIn(), clock);
  }

  private static ModerationSettings settings(String baseUrl, Duration timeout) {
    return new ModerationSettings(
        ModerationSettings.Provider.OPENAI,
        "sk-test",
        null,
        null,
        null,
        baseUrl,
        "omni-moderation-latest",
        timeout,
        null,
        ModerationSettings.StoreContent.REDACTED);
  }

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-24T10:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
