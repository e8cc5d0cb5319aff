package dev.grizz.engine.moderation;

import dev.grizz.engine.moderation.ModerationSettings.Provider;
import dev.grizz.engine.moderation.ModerationVerdict.Action;
import dev.grizz.engine.moderation.ViolationLog.Direction;
import dev.grizz.engine.moderation.ViolationLog.NewViolation;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Checks what users send and what models answer against the moderation policy. Every text at or
 * above a log threshold is written to the {@link ViolationLog}; what to do with a {@link
 * ModerationVerdict} (refuse the message, stop the stream) is the caller's decision.
 *
 * <p>Moderation never fails a chat: a remote moderator that is down is replaced by the offline
 * patterns, and a violation that cannot be written is logged and the verdict still returned. Calls
 * may block on the network for up to {@code GRIZZ_MODERATION_TIMEOUT}; do not call inside a
 * database transaction.
 */
@Service
public class ModerationService {

  /** How much of a violating text a redacted excerpt keeps. */
  static final int EXCERPT_CHARS = 280;

  static final String METRIC = "grizz.moderation.results";

  private static final Logger log = LoggerFactory.getLogger(ModerationService.class);

  private final ModerationSettings settings;
  private final ModerationPolicy policy;
  private final OfflineModerator offline;
  private final @Nullable Moderator moderator;
  private final ViolationLog violations;
  private final MeterRegistry meters;

  ModerationService(
      ModerationSettings settings, ViolationLog violations, MeterRegistry meters, Clock clock) {
    this.settings = settings;
    this.policy = settings.parsedPolicy();
    this.offline = OfflineModerator.builtIn();
    this.moderator = moderatorFor(settings, offline, clock);
    this.violations = violations;
    this.meters = meters;
  }

  /** The moderator a setting asks for; null when moderation is off. */
  static @Nullable Moderator moderatorFor(
      ModerationSettings settings, OfflineModerator offline, Clock clock) {
    return switch (settings.provider()) {
      case OFF -> null;
      case OFFLINE -> offline;
      case OPENAI ->
          new FallbackModerator(
              "OpenAI",
              new OpenAiModerator(
                  settings.baseUrl(), settings.openaiKey(), settings.model(), settings.timeout()),
              offline,
              clock);
    };
  }

  /** Whether anything is checked at all ({@code GRIZZ_MODERATION_PROVIDER} is not off). */
  public boolean enabled() {
    return settings.provider() != Provider.OFF;
  }

  /** Checks a user's message before it reaches a model. */
  public ModerationVerdict checkInput(UUID userId, String text) {
    return check(userId, null, text, Direction.INPUT);
  }

  /**
   * Checks a model's answer before it reaches the user. Each call that reaches a log threshold
   * writes a row: when checking a stream as it grows, stop checking once a verdict is not ALLOW (or
   * check only the completed answer), or one answer is logged many times.
   */
  public ModerationVerdict checkOutput(UUID userId, @Nullable UUID stepId, String text) {
    return check(userId, stepId, text, Direction.OUTPUT);
  }

  private ModerationVerdict check(
      UUID userId, @Nullable UUID stepId, String text, Direction direction) {
    ModerationVerdict verdict = assess(text);
    if (verdict.action() != Action.ALLOW) {
      verdict = withViolation(verdict, userId, stepId, text, direction);
    }
    Counter.builder(METRIC)
        .description("Texts checked by moderation, by the action taken")
        .tag("action", verdict.action().wire())
        .tag("direction", ViolationLog.wire(direction))
        .register(meters)
        .increment();
    return verdict;
  }

  /** Scores a text and applies the policy, writing nothing. */
  ModerationVerdict assess(String text) {
    if (moderator == null || text.isBlank()) {
      return ModerationVerdict.allowed();
    }
    Map<String, Double> scores = moderator.scores(text);
    ModerationPolicy.Assessment assessment = policy.assess(scores);
    return new ModerationVerdict(assessment.action(), scores, assessment.categories(), null);
  }

  private ModerationVerdict withViolation(
      ModerationVerdict verdict,
      UUID userId,
      @Nullable UUID stepId,
      String text,
      Direction direction) {
    Map<String, Double> logged = new LinkedHashMap<>();
    verdict
        .scores()
        .forEach(
            (category, score) -> {
              if (score > 0) {
                logged.put(category, score);
              }
            });
    try {
      UUID id =
          violations.record(
              new NewViolation(
                  userId,
                  content(text),
                  verdict.categories(),
                  logged,
                  verdict.action(),
                  direction,
                  stepId));
      return new ModerationVerdict(verdict.action(), verdict.scores(), verdict.categories(), id);
    } catch (DataAccessException e) {
      log.warn(
          "could not log a {} violation ({}): {}",
          verdict.action().wire(),
          verdict.topCategory(),
          e.getMostSpecificCause().toString());
      return verdict;
    }
  }

  private @Nullable String content(String text) {
    return switch (settings.storeContent()) {
      case FULL -> text;
      case NONE -> null;
      case REDACTED -> offline.redact(text, EXCERPT_CHARS);
    };
  }
}
