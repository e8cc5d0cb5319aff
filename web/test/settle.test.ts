import { describe, expect, it } from "vitest";
import { applyEvent, type LiveAnswers } from "../src/lib/answers";
import { awaitingFollowUp, settle, withPosted } from "../src/lib/settle";
import { buildTurns, chainText } from "../src/lib/turns";
import { turnUsage } from "../src/components/Answer";
import type { ChatEvent, Conversation, Step } from "../src/lib/types";

function ev(stepId: string, seq: number, type: string, data: Record<string, unknown> = {}): ChatEvent {
  return { id: `1-${seq}`, type, conversation_id: "conv", task_id: "conv", step_id: stepId, seq, attempt: 1, ts: "", data } as ChatEvent;
}

function fold(events: ChatEvent[], live: LiveAnswers = {}): LiveAnswers {
  return events.reduce(applyEvent, live);
}

const step = (id: string, parent: string | null, type: Step["type"], status: Step["status"], more: Partial<Step> = {}): Step => ({
  id,
  parent_step_id: parent,
  type,
  status,
  sibling_ids: [id],
  ...more,
});

/** One finished turn, as GET returns it when the conversation is opened. */
function opened(): Conversation {
  return {
    id: "conv",
    title: "t",
    messages: [
      { id: "m-u1", step_id: "u1", role: "user", content: "Hi" },
      { id: "m-a1", step_id: "a1", role: "assistant", content: "Hello." },
    ],
    steps: [
      step("u1", null, "user_input", "completed"),
      step("a1", "u1", "llm", "completed", { provider: "demo", model: "demo-1", prompt_tokens: 3, completion_tokens: 2, usage_cents: 0.01 }),
    ],
    active_branch: ["u1", "a1"],
    active_step_id: "a1",
  };
}

const MEMORY = { id: "mem-1", content: "Likes teal" };

/** The same conversation as a reload shows it after the second answer ended. */
function reloaded(): Conversation {
  const c = opened();
  return {
    ...c,
    messages: [
      ...c.messages,
      { id: "m-u2", step_id: "u2", role: "user", content: "What colour?" },
      { id: "m-a2", step_id: "a2", role: "assistant", content: "Teal, you said." },
    ],
    steps: [
      ...c.steps,
      step("u2", "a1", "user_input", "completed"),
      step("a2", "u2", "llm", "completed", {
        provider: "demo",
        model: "demo-1",
        prompt_tokens: 12,
        completion_tokens: 4,
        usage_cents: 0.0123,
        metadata: { finish_reason: "stop", memories_used: [MEMORY] },
      }),
    ],
    active_branch: ["u1", "a1", "u2", "a2"],
    active_step_id: "a2",
  };
}

const answerEvents = [
  ev("a2", 1, "step.started", { model: "auto", attempt: 1 }),
  ev("a2", 2, "message.delta", { text: "Teal, " }),
  ev("a2", 3, "message.delta", { text: "you said." }),
  ev("a2", 4, "message.completed", { message_id: "m-a2", text: "Teal, you said." }),
  ev("a2", 5, "usage", {
    provider: "demo",
    model: "demo-1",
    prompt_tokens: 12,
    completion_tokens: 4,
    usage_cents: 0.0123,
    estimated: false,
    memories_used: [MEMORY],
  }),
  ev("a2", 6, "step.finished", { status: "completed" }),
];

/** What a reader sees of each answer: its text, model, usage, whether it runs, and its head step for the actions. */
function shown(conv: Conversation | null, live: LiveAnswers) {
  return buildTurns(conv, live, null).map((t) => ({
    user: t.user?.content,
    answers: t.answers.map((a) => ({
      text: chainText(a),
      running: a.running,
      usage: turnUsage(a.segments),
      head: a.segments[0]?.step?.id,
      status: a.segments[0]?.step?.status,
      memories: a.segments[0]?.step?.metadata?.memories_used,
    })),
  }));
}

describe("the conversation settled from the events", () => {
  it("writes a finished answer from message.completed, usage and step.finished as a reload shows it", () => {
    const posted = withPosted(opened(), { conversation_id: "conv", user_step_id: "u2", user_message_id: "m-u2", step_id: "a2", status: "queued" }, "What colour?");
    expect(posted.active_branch).toEqual(["u1", "a1", "u2", "a2"]);
    expect(posted.steps.find((s) => s.id === "u2")?.parent_step_id).toBe("a1");

    const streaming = fold(answerEvents.slice(0, 3));
    expect(shown(settle(posted, streaming), streaming)[1].answers[0]).toMatchObject({ running: true, text: "Teal, you said." });

    const live = fold(answerEvents);
    const settled = settle(posted, live)!;
    const a2 = settled.steps.find((s) => s.id === "a2")!;
    expect(a2).toMatchObject({ status: "completed", provider: "demo", model: "demo-1", prompt_tokens: 12, completion_tokens: 4, usage_cents: 0.0123 });
    expect(a2.metadata?.memories_used).toEqual([MEMORY]);
    expect(settled.messages.find((m) => m.step_id === "a2")).toMatchObject({ id: "m-a2", role: "assistant", content: "Teal, you said." });
    expect(shown(settled, live)).toEqual(shown(reloaded(), {}));
  });

  it("keeps the fetched state of a step the fetch already holds finished", () => {
    const stored = reloaded();
    const live = fold([ev("a2", 1, "message.delta", { text: "partial" }), ev("a2", 2, "step.finished", { status: "failed" })]);
    expect(settle(stored, live)!.steps.find((s) => s.id === "a2")!.status).toBe("completed");
    expect(settle(stored, {})).toBe(stored);
  });

  it("places a tool turn's follow-up under the calling step; the tool step is no answer of its own", () => {
    const conv = withPosted(opened(), { conversation_id: "conv", user_step_id: "u2", user_message_id: "m-u2", step_id: "a2", status: "queued" }, "Time in Tokyo?");
    let live = fold([
      ev("a2", 1, "step.started", { model: "demo-1", attempt: 1 }),
      ev("a2", 2, "tool.call", { call_id: "c0", name: "current_time", arguments: "{}" }),
      ev("a2", 3, "message.completed", { message_id: "m-a2", text: "" }),
      ev("a2", 4, "usage", { provider: "demo", model: "demo-1", prompt_tokens: 5, completion_tokens: 1, usage_cents: 0.001, estimated: false }),
      ev("a2", 5, "step.finished", { status: "completed", continues: true }),
      ev("t0", 1, "tool.result", { call_id: "c0", name: "current_time", status: "ok", result: "20:49", truncated: false, duration_ms: 3 }),
      ev("t0", 2, "step.finished", { status: "completed", continues: true }),
    ]);
    expect(Object.keys(live)).toEqual(["a2"]);
    expect(awaitingFollowUp(settle(conv, live)!, live)?.id).toBe("a2");
    expect(buildTurns(settle(conv, live), live, null)[1].answers[0].running).toBe(true);

    live = fold(
      [
        ev("f", 1, "step.started", { model: "demo-1", attempt: 1 }),
        ev("f", 2, "message.delta", { text: "It is 20:49." }),
        ev("f", 3, "message.completed", { message_id: "m-f", text: "It is 20:49." }),
        ev("f", 4, "usage", { provider: "demo", model: "demo-1", prompt_tokens: 8, completion_tokens: 4, usage_cents: 0.002, estimated: false }),
        ev("f", 5, "step.finished", { status: "completed" }),
      ],
      live,
    );
    const settled = settle(conv, live)!;
    expect(settled.steps.find((s) => s.id === "f")).toMatchObject({ parent_step_id: "a2", type: "llm", status: "completed" });
    expect(settled.active_branch).toEqual(["u1", "a1", "u2", "a2", "f"]);
    expect(awaitingFollowUp(settled, live)).toBeUndefined();
    const answer = buildTurns(settled, live, null)[1].answers[0];
    expect(answer.running).toBe(false);
    expect(answer.segments.map((s) => s.stepId)).toEqual(["a2", "f"]);
    expect(answer.segments[0].cards).toEqual([expect.objectContaining({ callId: "c0", state: "ok", result: "20:49" })]);
    expect(turnUsage(answer.segments)).toMatchObject({ prompt: 13, completion: 5 });
    // The next message goes under the follow-up, the shown branch's newest step, as the engine puts it.
    const next = withPosted(settled, { conversation_id: "conv", user_step_id: "u3", user_message_id: "m-u3", step_id: "a3", status: "queued" }, "Thanks");
    expect(next.steps.find((s) => s.id === "u3")?.parent_step_id).toBe("f");
  });

  it("leaves a step it cannot place (sent from another tab) to a fetch", () => {
    const live = fold([ev("x", 1, "step.started", { model: "auto", attempt: 1 }), ev("x", 2, "message.delta", { text: "elsewhere" })]);
    const settled = settle(opened(), live)!;
    expect(settled.steps.some((s) => s.id === "x")).toBe(false);
  });
});
