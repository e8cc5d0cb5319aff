package dev.grizz.engine.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grizz.engine.config.SettingException;
import dev.grizz.engine.moderation.ModerationPolicy.Thresholds;
import dev.grizz.engine.moderation.ModerationVerdict.Action;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GRIZZ_MODERATION_POLICY and the rest of the moderation settings. */
class ModerationPolicyTests {

  private static final double OFF = Double.POSITIVE_INFINITY;

  @Test
  void theBuiltInPolicyHasSensibleDefaults() {
    ModerationPolicy policy = ModerationPolicy.parse(null);

    assertThat(policy.defaults()).isEqualTo(new Thresholds(0.3, 0.6, 0.9));
    assertThat(policy.thresholds("violence")).isEqualTo(new Thresholds(0.3, 0.6, 0.9));
    assertThat(policy.thresholds("sexual/minors")).isEqualTo(new Thresholds(0.1, 0.2, 0.4));
    assertThat(policy.thresholds("self-harm/intent")).isEqualTo(new Thresholds(0.3, 0.6, OFF));
    assertThat(ModerationPolicy.parse("  ")).isEqualTo(policy);
  }

  @Test
  void anEntryReplacesItsCategoryAndTheStarMovesTheRest() {
    ModerationPolicy policy =
        ModerationPolicy.parse(
            "*:log=0.2,flag=0.5,block=0.8;sexual/minors:block=0.3;violence:block=0.95");

    assertThat(policy.defaults()).isEqualTo(new Thresholds(0.2, 0.5, 0.8));
    assertThat(policy.thresholds("hate")).isEqualTo(new Thresholds(0.2, 0.5, 0.8));
    assertThat(policy.thresholds("violence")).isEqualTo(new Thresholds(0.2, 0.5, 0.95));
    // flag, left out, is pulled down to the block threshold that was set
    assertThat(policy.thresholds("sexual/minors")).isEqualTo(new Thresholds(0.2, 0.3, 0.3));
    // built-in entries for categories not named stay
    assertThat(policy.thresholds("self-harm")).isEqualTo(new Thresholds(0.2, 0.5, OFF));
  }

  @Test
  void theExampleFromTheDocsParses() {
    ModerationPolicy policy =
        ModerationPolicy.parse(
            "*:log=0.3,flag=0.6,block=0.9;sexual/minors:block=0.4;violence:block=0.95");

    assertThat(policy.thresholds("sexual/minors")).isEqualTo(new Thresholds(0.3, 0.4, 0.4));
    assertThat(policy.thresholds("violence").block()).isEqualTo(0.95);
  }

  @Test
  void aLowerThresholdSetAlonePushesTheOthersUp() {
    assertThat(ModerationPolicy.parse("hate:log=0.7").thresholds("hate"))
        .isEqualTo(new Thresholds(0.7, 0.7, 0.9));
  }

  @Test
  void theStrongestActionWinsAndCategoriesComeStrongestFirst() {
    ModerationPolicy policy = ModerationPolicy.DEFAULT;

    ModerationPolicy.Assessment assessment =
        policy.assess(
            Map.of("harassment", 0.95, "violence", 0.4, "sexual/minors", 0.45, "hate", 0.1));

    assertThat(assessment.action()).isEqualTo(Action.BLOCK);
    assertThat(assessment.categories()).containsExactly("harassment", "sexual/minors", "violence");
    assertThat(policy.assess(Map.of("hate", 0.29)).action()).isEqualTo(Action.ALLOW);
    assertThat(policy.assess(Map.of("hate", 0.3)).action()).isEqualTo(Action.LOG);
    assertThat(policy.assess(Map.of("hate", 0.6)).action()).isEqualTo(Action.FLAG);
    assertThat(policy.assess(Map.of("self-harm/intent", 1.0)).action()).isEqualTo(Action.FLAG);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "violence",
        "violence:",
        "violence:block",
        "violence:block=high",
        "violence:block=1.5",
        "violence:block=-0.1",
        "violence:ban=0.5",
        "gore:block=0.5",
        "violence:block=0.9;violence:log=0.1",
        "violence:log=0.8,block=0.5",
        "*:flag=0.9,block=0.2",
      })
  void badPoliciesNameTheProperty(String spec) {
    assertThatThrownBy(() -> ModerationPolicy.parse(spec))
        .isInstanceOf(SettingException.class)
        .extracting(e -> ((SettingException) e).property())
        .isEqualTo("grizz.moderation.policy");
  }

  @Test
  void settingsRejectABadPolicyAtStartUp() {
    assertThatThrownBy(() -> settings(ModerationSettings.Provider.OFFLINE, null, "x:block=1"))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("grizz.moderation.policy");
  }

  @Test
  void openAiNeedsAKeyUnlessItIsAnotherServer() {
    assertThatThrownBy(() -> settings(ModerationSettings.Provider.OPENAI, null, null))
        .isInstanceOf(SettingException.class)
        .hasMessageStartingWith("grizz.moderation.openai-api-key");
    assertThat(settings(ModerationSettings.Provider.OPENAI, "sk-shared", null).openaiKey())
        .isEqualTo("sk-shared");
  }

  @Test
  void emptyVariablesMeanTheDefaults() {
    ModerationSettings settings =
        new ModerationSettings(null, null, null, null, null, "", "", null, "", null);

    assertThat(settings.provider()).isEqualTo(ModerationSettings.Provider.OFFLINE);
    assertThat(settings.baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(settings.model()).isEqualTo("omni-moderation-latest");
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.storeContent()).isEqualTo(ModerationSettings.StoreContent.REDACTED);
  }

  @Test
  void theModerationKeyWinsOverTheSharedOne() {
    ModerationSettings settings =
        new ModerationSettings(
            ModerationSettings.Provider.OPENAI,
            "sk-moderation",
            null,
            "sk-shared",
            Path.of(""),
            "https://api.openai.com/v1/",
            "omni-moderation-latest",
            Duration.ofSeconds(5),
            null,
            ModerationSettings.StoreContent.FULL);

    assertThat(settings.openaiKey()).isEqualTo("sk-moderation");
    assertThat(settings.baseUrl()).isEqualTo("https://api.openai.com/v1");
  }

  static ModerationSettings settings(
      ModerationSettings.Provider provider, String sharedKey, String policy) {
    return new ModerationSettings(
        provider,
        null,
        null,
        sharedKey,
        null,
        "https://api.openai.com/v1",
        "omni-moderation-latest",
        Duration.ofSeconds(5),
        policy,
        ModerationSettings.StoreContent.REDACTED);
  }
}
