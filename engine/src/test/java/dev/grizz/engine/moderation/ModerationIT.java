package dev.grizz.engine.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.EngineIT;
import dev.grizz.engine.moderation.ModerationVerdict.Action;
import dev.grizz.engine.moderation.ViolationLog.Direction;
import dev.grizz.engine.moderation.ViolationLog.Filter;
import dev.grizz.engine.moderation.ViolationLog.ReviewAction;
import dev.grizz.engine.moderation.ViolationLog.Violation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Moderation on the engine's real PostgreSQL: what is logged, how it is reviewed and listed. */
@EngineIT
class ModerationIT {

  private static final String THREAT = "I'm going to kill you, you idiot";

  @Autowired ModerationService moderation;
  @Autowired ViolationLog violations;
  @Autowired Suspensions suspensions;
  @Autowired JdbcClient jdbc;
  @Autowired MeterRegistry meters;

  @Test
  void aBlockedInputIsLoggedWithItsCategoriesAndARedactedExcerpt() {
    UUID user = newUser("user");
    double before = count("block", "input");

    ModerationVerdict verdict = moderation.checkInput(user, THREAT);

    assertThat(verdict.blocked()).isTrue();
    assertThat(verdict.topCategory()).isEqualTo("harassment/threatening");
    assertThat(verdict.violationId()).isNotNull();
    Map<String, Object> row =
        jdbc.sql(
                """
                select user_id, content, categories::text as categories, scores::text as scores,
                    reviewed, action_taken, direction, step_id, "timestamp"
                from policy_violations where id = :id
                """)
            .param("id", verdict.violationId())
            .query()
            .singleRow();
    assertThat(row)
        .containsEntry("user_id", user)
        .containsEntry("reviewed", false)
        .containsEntry("action_taken", "block")
        .containsEntry("direction", "input")
        .containsEntry("step_id", null);
    assertThat(row.get("categories"))
        .isEqualTo("[\"harassment/threatening\", \"violence\", \"harassment\"]");
    assertThat((String) row.get("scores")).contains("\"harassment/threatening\": 0.95");
    assertThat((String) row.get("content"))
        .contains("[harassment/threatening]")
        .doesNotContain("kill");
    assertThat(count("block", "input")).isEqualTo(before + 1);
  }

  @Test
  void aCleanTextWritesNothing() {
    UUID user = newUser("user");
    double before = count("allow", "input");

    ModerationVerdict verdict =
        moderation.checkInput(user, "How do I kill the process on port 80?");

    assertThat(verdict.action()).isEqualTo(Action.ALLOW);
    assertThat(verdict.violationId()).isNull();
    assertThat(verdict.categories()).isEmpty();
    assertThat(violations.list(Filter.newest(10).user(user))).isEmpty();
    assertThat(count("allow", "input")).isEqualTo(before + 1);
  }

  @Test
  void anOutputBelowFlagIsLoggedWithItsStep() {
    UUID user = newUser("user");
    UUID step = UUID.randomUUID();

    ModerationVerdict verdict = moderation.checkOutput(user, step, "It is on pornhub, apparently.");

    assertThat(verdict.action()).isEqualTo(Action.LOG);
    assertThat(verdict.blocked()).isFalse();
    Violation logged = violations.find(verdict.violationId()).orElseThrow();
    assertThat(logged.actionTaken()).isEqualTo(Action.LOG);
    assertThat(logged.direction()).isEqualTo(Direction.OUTPUT);
    assertThat(logged.stepId()).isEqualTo(step);
    assertThat(logged.categories()).containsExactly("sexual");
    assertThat(logged.scores()).containsEntry("sexual", 0.5);
  }

  @Test
  void reviewingWithSuspendSuspendsTheUserAndIsAudited() {
    UUID user = newUser("user");
    UUID admin = newUser("admin");
    UUID id = moderation.checkInput(user, THREAT).violationId();

    Violation reviewed =
        violations.review(id, ReviewAction.SUSPEND, admin, "threatened staff").orElseThrow();

    assertThat(reviewed.reviewed()).isTrue();
    assertThat(reviewed.reviewAction()).isEqualTo(ReviewAction.SUSPEND);
    assertThat(reviewed.reviewedBy()).isEqualTo(admin);
    assertThat(reviewed.reviewedAt()).isNotNull();
    assertThat(reviewed.reviewNote()).isEqualTo("threatened staff");
    assertThat(suspensions.isSuspended(user)).isTrue();
    assertThat(suspensions.isSuspended(admin)).isFalse();
    assertThat(audit(admin, "violation.review", id.toString())).isEqualTo(1);
    assertThat(audit(admin, "user.suspend", user.toString())).isEqualTo(1);
    assertThat(
            jdbc.sql(
                    "select details->>'review_action' from audit_log"
                        + " where action = 'violation.review' and target_id = :t")
                .param("t", id.toString())
                .query(String.class)
                .single())
        .isEqualTo("suspend");

    assertThat(suspensions.unsuspend(user, admin)).isTrue();
    assertThat(suspensions.isSuspended(user)).isFalse();
    assertThat(audit(admin, "user.unsuspend", user.toString())).isEqualTo(1);
    assertThat(suspensions.unsuspend(user, admin)).isFalse();
  }

  @Test
  void dismissingSuspendsNobodyAndAnUnknownViolationIsEmpty() {
    UUID user = newUser("user");
    UUID admin = newUser("admin");
    UUID id = moderation.checkInput(user, THREAT).violationId();

    Violation dismissed = violations.review(id, ReviewAction.DISMISS, admin, null).orElseThrow();

    assertThat(dismissed.reviewAction()).isEqualTo(ReviewAction.DISMISS);
    assertThat(suspensions.isSuspended(user)).isFalse();
    assertThat(audit(admin, "violation.review", id.toString())).isEqualTo(1);
    assertThat(audit(admin, "user.suspend", user.toString())).isZero();
    assertThat(violations.review(UUID.randomUUID(), ReviewAction.WARN, admin, null)).isEmpty();
    assertThat(suspensions.isSuspended(UUID.randomUUID())).isFalse();
  }

  @Test
  void theListFiltersAndPagesNewestFirst() {
    UUID alice = newUser("user");
    UUID bob = newUser("user");
    UUID admin = newUser("admin");
    Instant now = Instant.now();
    UUID oldest = moderation.checkInput(alice, THREAT).violationId();
    UUID middle = moderation.checkInput(alice, "it's all on pornhub").violationId();
    UUID newest = moderation.checkOutput(alice, null, "send me your nudes").violationId();
    UUID bobs = moderation.checkInput(bob, THREAT).violationId();
    at(oldest, now.minus(Duration.ofHours(3)));
    at(middle, now.minus(Duration.ofHours(2)));
    at(newest, now.minus(Duration.ofHours(1)));
    violations.review(middle, ReviewAction.WARN, admin, null);

    Filter alices = Filter.newest(10).user(alice);
    assertThat(ids(violations.list(alices))).containsExactly(newest, middle, oldest);
    assertThat(ids(violations.list(alices.reviewed(false)))).containsExactly(newest, oldest);
    assertThat(ids(violations.list(alices.reviewed(true)))).containsExactly(middle);
    assertThat(ids(violations.list(alices.category("sexual")))).containsExactly(newest, middle);
    assertThat(ids(violations.list(alices.category("violence")))).containsExactly(oldest);
    assertThat(ids(violations.list(alices.since(now.minus(Duration.ofMinutes(150))))))
        .containsExactly(newest, middle);
    assertThat(ids(violations.list(Filter.newest(10).user(bob)))).containsExactly(bobs);

    List<Violation> page = violations.list(Filter.newest(2).user(alice));
    assertThat(ids(page)).containsExactly(newest, middle);
    assertThat(ids(violations.list(Filter.newest(2).user(alice).before(page.getLast().id()))))
        .containsExactly(oldest);
    assertThat(ids(violations.list(Filter.newest(500).reviewed(false)))).contains(bobs, newest);
  }

  @Test
  void rowsWrittenBeforeModerationWasBuiltStillRead() {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            """
            insert into policy_violations (id, content, categories, scores, "timestamp")
            values (:id, 'old', '{"harassment": true, "hate": false}', '{"harassment": 0.9}', :t)
            """)
        .param("id", id)
        .param("t", Timestamp.from(Instant.now()))
        .update();

    Violation old = violations.find(id).orElseThrow();

    assertThat(old.categories()).containsExactly("harassment");
    assertThat(old.actionTaken()).isNull();
    assertThat(old.direction()).isNull();
  }

  @Test
  void storedContentFollowsTheSetting() {
    UUID user = newUser("user");
    String text = "mail me at someone@example.com, " + THREAT;

    assertThat(content(service(ModerationSettings.StoreContent.FULL).checkInput(user, text)))
        .isEqualTo(text);
    assertThat(content(service(ModerationSettings.StoreContent.NONE).checkInput(user, text)))
        .isNull();
    assertThat(content(service(ModerationSettings.StoreContent.REDACTED).checkInput(user, text)))
        .isEqualTo("mail me at [email], [harassment/threatening], [harassment]");
  }

  @Test
  void offChecksNothingAndLogsNothing() {
    UUID user = newUser("user");
    ModerationService off =
        new ModerationService(
            ModerationPolicyTests.settings(ModerationSettings.Provider.OFF, null, null),
            violations,
            new SimpleMeterRegistry(),
            Clock.systemUTC());

    ModerationVerdict verdict = off.checkInput(user, THREAT);

    assertThat(off.enabled()).isFalse();
    assertThat(verdict.action()).isEqualTo(Action.ALLOW);
    assertThat(verdict.scores()).isEmpty();
    assertThat(violations.list(Filter.newest(10).user(user))).isEmpty();
  }

  private ModerationService service(ModerationSettings.StoreContent store) {
    ModerationSettings settings =
        new ModerationSettings(
            ModerationSettings.Provider.OFFLINE,
            null,
            null,
            null,
            null,
            "",
            "",
            Duration.ofSeconds(5),
            null,
            store);
    return new ModerationService(
        settings, violations, new SimpleMeterRegistry(), Clock.systemUTC());
  }

  private String content(ModerationVerdict verdict) {
    return violations.find(verdict.violationId()).orElseThrow().content();
  }

  private UUID newUser(String kind) {
    UUID id = UUID.randomUUID();
    jdbc.sql("insert into users (id, kind) values (:id, :kind)")
        .param("id", id)
        .param("kind", kind)
        .update();
    return id;
  }

  private void at(UUID violation, Instant when) {
    jdbc.sql("update policy_violations set \"timestamp\" = :t where id = :id")
        .param("t", Timestamp.from(when))
        .param("id", violation)
        .update();
  }

  private long audit(UUID actor, String action, String target) {
    return jdbc.sql(
            "select count(*) from audit_log"
                + " where actor_id = :a and action = :action and target_id = :t")
        .param("a", actor)
        .param("action", action)
        .param("t", target)
        .query(Long.class)
        .single();
  }

  private double count(String action, String direction) {
    var counter =
        meters
            .find(ModerationService.METRIC)
            .tags("action", action, "direction", direction)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static List<UUID> ids(List<Violation> list) {
    return list.stream().map(Violation::id).toList();
  }
}
