package dev.grizz.engine.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The store's multi-row writes, each one statement: a turn's rows chained after the previous step,
 * and a step's end written only while its worker's claim holds.
 */
@EngineIT
class ConversationStoreIT {

  @LocalServerPort int port;
  @Autowired ConversationStore store;
  @Autowired Summaries summaries;
  @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
  UUID user;
  UUID conversation;

  @BeforeEach
  void setUp() {
    user = new ApiClient(port).userId();
    conversation = store.create(user, "store").id();
  }

  private Turn post(String content, int maxTurns) {
    return store.appendUserTurn(
        user,
        conversation,
        content,
        List.of(),
        1,
        Map.of("model", "demo"),
        null,
        maxTurns,
        TurnParent.ACTIVE);
  }

  @Test
  void aTurnIsChainedAfterThePreviousStepAndCountsTowardsTheLimit() {
    Turn first = post("one", 2);
    Turn second = post("two", 2);

    ConversationDetail detail = store.detail(user, conversation);
    assertThat(detail.steps())
        .extracting(Step::id)
        .containsExactly(first.userStepId(), first.stepId(), second.userStepId(), second.stepId());
    Step secondInput = store.step(second.userStepId()).orElseThrow();
    assertThat(secondInput.parentStepId()).isEqualTo(first.stepId());
    assertThat(store.step(second.stepId()).orElseThrow().parentStepId())
        .isEqualTo(second.userStepId());
    assertThat(store.step(second.stepId()).orElseThrow().status())
        .isEqualTo(Step.StepStatus.QUEUED);
    assertThat(detail.messages())
        .extracting(Message::id, Message::stepId, Message::content)
        .containsExactly(
            tuple(first.userMessageId(), first.userStepId(), "one"),
            tuple(second.userMessageId(), second.userStepId(), "two"));
    assertThat(detail.conversation().updatedAt()).isEqualTo(secondInput.createdAt());

    assertThatThrownBy(() -> post("three", 2)).isInstanceOf(ConversationTooLongException.class);
    assertThat(store.detail(user, conversation).steps()).hasSize(4);
  }

  @Test
  void aStepAnswersFromItsOwnPathOnlyNotFromAnotherBranch() {
    Turn first = post("one", 10);
    ClaimedStep claimed = store.claim(first.stepId(), "pod-a", Duration.ofMinutes(1)).orElseThrow();
    store.finish(claimed, result("first answer"));
    post("two", 10);
    // An edited second message: a user_input step beside "two", under the same answer.
    UUID edited = UUID.randomUUID();
    UUID editedAnswer = UUID.randomUUID();
    jdbc.sql(
            """
            insert into steps (id, task_id, parent_step_id, type, status, created_at, updated_at)
            values (:input, :task, :parent, 'user_input', 'completed', now(), now()),
                   (:answer, :task, :input, 'llm', 'queued', now(), now());
            insert into messages (id, step_id, role, content, created_at)
            values (gen_random_uuid(), :input, 'user', 'two, edited', now());
            """)
        .param("input", edited)
        .param("answer", editedAnswer)
        .param("task", conversation)
        .param("parent", first.stepId())
        .update();

    assertThat(store.pathMessages(editedAnswer))
        .extracting(Message::content)
        .containsExactly("one", "first answer", "two, edited");
    assertThat(store.messages(conversation)).hasSize(4);
  }

  @Test
  void aSummaryBelongsToTheBranchThroughTheStepItCovers() {
    Turn first = post("one", 10);
    store.finish(
        store.claim(first.stepId(), "pod-a", Duration.ofMinutes(1)).orElseThrow(),
        result("first answer"));
    Turn second = post("two", 10);
    UUID summary = summaries.open(conversation, first.stepId(), null, Map.of()).orElseThrow();
    assertThat(summaries.open(conversation, first.stepId(), null, Map.of())).isEmpty();
    jdbc.sql(
            """
            update steps set status = 'completed' where id = :id;
            insert into messages (id, step_id, role, content, created_at)
            values (gen_random_uuid(), :id, 'assistant', 'They said one.', now());
            """)
        .param("id", summary)
        .update();
    // The first message edited: a branch from the root, beside "one".
    UUID edited = UUID.randomUUID();
    jdbc.sql(
            """
            insert into steps (id, task_id, type, status, created_at, updated_at)
            values (:id, :task, 'user_input', 'completed', now(), now());
            insert into messages (id, step_id, role, content, created_at)
            values (gen_random_uuid(), :id, 'user', 'one, edited', now());
            """)
        .param("id", edited)
        .param("task", conversation)
        .update();

    Summaries.PathContext onBranch = summaries.context(second.stepId());
    assertThat(onBranch.summary()).isNotNull();
    assertThat(onBranch.summary().text()).isEqualTo("They said one.");
    assertThat(onBranch.messages()).extracting(Message::content).containsExactly("two");
    Summaries.PathContext elsewhere = summaries.context(edited);
    assertThat(elsewhere.summary()).isNull();
    assertThat(elsewhere.messages()).extracting(Message::content).containsExactly("one, edited");
    // The next turn goes after the newest answer, never after the summary step.
    assertThat(store.step(post("three", 10).userStepId()).orElseThrow().parentStepId())
        .isNotEqualTo(summary);
  }

  @Test
  void aWorkerWhoseClaimWasTakenOverStoresNothing() throws InterruptedException {
    Turn turn = post("hello", 10);
    ClaimedStep lost = store.claim(turn.stepId(), "pod-a", Duration.ofMinutes(1)).orElseThrow();
    Thread.sleep(5);
    ClaimedStep taken = store.claim(turn.stepId(), "pod-b", Duration.ZERO).orElseThrow();
    assertThat(taken.attempt()).isEqualTo(2);

    ConversationStore.Finished late = store.finish(lost, result("from a"));
    assertThat(late.stored()).isFalse();
    assertThat(late.messageId()).isNull();
    assertThat(store.messages(conversation)).extracting(Message::content).containsExactly("hello");

    ConversationStore.Finished done = store.finish(taken, result("from b"));
    assertThat(done.stored()).isTrue();
    assertThat(store.messages(conversation))
        .extracting(Message::id, Message::content, Message::role)
        .last()
        .isEqualTo(tuple(done.messageId(), "from b", Message.Role.ASSISTANT));
    assertThat(store.messages(conversation).getLast().reasoning()).isEqualTo("thought about it");
    Step step = store.step(turn.stepId()).orElseThrow();
    assertThat(step.status()).isEqualTo(Step.StepStatus.COMPLETED);
    assertThat(step.completionTokens()).isEqualTo(2);
    assertThat(store.find(user, conversation).orElseThrow().updatedAt())
        .isEqualTo(step.updatedAt());
  }

  @Test
  void anEndWithoutAnAnswerStoresNoMessage() {
    Turn turn = post("hello", 10);
    ClaimedStep claimed = store.claim(turn.stepId(), "pod-a", Duration.ofMinutes(1)).orElseThrow();
    StepResult failed =
        new StepResult(
            Step.StepStatus.FAILED,
            "demo",
            null,
            null,
            BigDecimal.ZERO,
            null,
            Map.of(),
            null,
            null,
            null);

    ConversationStore.Finished finished = store.finish(claimed, failed);

    assertThat(finished.stored()).isTrue();
    assertThat(finished.messageId()).isNull();
    assertThat(store.messages(conversation)).hasSize(1);
    assertThat(store.step(turn.stepId()).orElseThrow().status()).isEqualTo(Step.StepStatus.FAILED);
  }

  private static StepResult result(String answer) {
    return new StepResult(
        Step.StepStatus.COMPLETED,
        "demo",
        1,
        2,
        BigDecimal.ZERO,
        null,
        Map.of("finish_reason", "stop"),
        answer,
        2,
        "thought about it");
  }
}
