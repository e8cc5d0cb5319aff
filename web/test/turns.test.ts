import { describe, expect, it } from "vitest";
import { applyEvent, type LiveAnswers } from "../src/lib/answers";
import { mergeCards, prettyJson, storedCards } from "../src/lib/toolCards";
import { buildTurns, stepToStop } from "../src/lib/turns";
import type { ChatEvent, Conversation, Message, Step } from "../src/lib/types";

function step(id: string, parent: string | null, type: Step["type"], status: Step["status"], metadata = {}): Step {
  return { id, parent_step_id: parent, type, status, metadata };
}

const TOKYO = '{"timezone":"Asia/Tokyo"}';
const PARIS = '{"timezone":"Europe/Paris"}';
const user: Message = { id: "m-u", step_id: "u", role: "user", content: "What time is it in Tokyo and in Paris?" };
const caller: Message = {
  id: "m-a",
  step_id: "a",
  role: "assistant",
  content: "",
  tool_calls: [
    { id: "c0", name: "current_time", arguments: TOKYO },
    { id: "c1", name: "current_time", arguments: PARIS },
  ],
};

/** The conversation as GET returns it after both calls ran and the follow-up answered. */
function finished(): Conversation {
  return {
    id: "conv",
    title: "t",
    messages: [
      user,
      caller,
      { id: "m-r1", step_id: "t1", role: "tool", content: "The user denied this call.", tool_call_id: "c1" },
      { id: "m-r0", step_id: "t0", role: "tool", content: '{"timezone":"Asia/Tokyo"}', tool_call_id: "c0" },
      { id: "m-f", step_id: "f", role: "assistant", content: "In Asia/Tokyo it is 20:49." },
    ],
    steps: [
      step("u", null, "user_input", "completed"),
      step("a", "u", "llm", "completed", { finish_reason: "tool_calls" }),
      step("t0", "a", "tool", "completed", { call_id: "c0", name: "current_time", index: 0, outcome: "ok", duration_ms: 14 }),
      step("t1", "a", "tool", "failed", { call_id: "c1", name: "current_time", index: 1, outcome: "denied", duration_ms: 0 }),
      step("f", "a", "llm", "completed", { finish_reason: "stop" }),
    ],
  };
}

function ev(stepId: string, seq: number, type: string, data: Record<string, unknown> = {}): ChatEvent {
  return { id: `1-${seq}`, type, conversation_id: "conv", task_id: "conv", step_id: stepId, seq, attempt: 1, ts: "", data } as ChatEvent;
}

describe("turns with tool calls", () => {
  it("reads a stored turn with tools as one answer: the calling step, its cards in call order, the follow-up", () => {
    const turns = buildTurns(finished(), {}, null);
    expect(turns).toHaveLength(1);
    expect(turns[0].answers).toHaveLength(1);
    const answer = turns[0].answers[0];
    expect(answer.running).toBe(false);
    expect(answer.segments.map((s) => s.stepId)).toEqual(["a", "f"]);
    expect(answer.segments[0].cards).toEqual([
      expect.objectContaining({ callId: "c0", state: "ok", result: TOKYO, durationMs: 14, stepId: "t0" }),
      expect.objectContaining({ callId: "c1", state: "denied", result: "The user denied this call.", stepId: "t1" }),
    ]);
    expect(answer.segments[1].message?.content).toBe("In Asia/Tokyo it is 20:49.");
  });

  it("keeps a turn running while a call waits for approval, and offers the waiting step", () => {
    const conv = finished();
    conv.messages = [user, caller];
    conv.steps = [
      conv.steps[0],
      conv.steps[1],
      step("t0", "a", "tool", "waiting", { call_id: "c0", name: "current_time", approval_expires_at: "2030-01-01T00:00:00Z" }),
      step("t1", "a", "tool", "completed", { call_id: "c1", name: "current_time", outcome: "ok" }),
    ];
    const answer = buildTurns(conv, {}, null)[0].answers[0];
    expect(answer.running).toBe(true);
    expect(answer.segments[0].cards[0]).toMatchObject({ state: "waiting", stepId: "t0", expiresAt: "2030-01-01T00:00:00Z" });
  });

  it("ends a stopped turn even though its calling step went on to tools", () => {
    const conv = finished();
    conv.messages = [user, caller];
    conv.steps = [
      conv.steps[0],
      conv.steps[1],
      step("t0", "a", "tool", "cancelled", { call_id: "c0", name: "current_time", outcome: "cancelled" }),
      step("t1", "a", "tool", "cancelled", { call_id: "c1", name: "current_time", outcome: "cancelled" }),
    ];
    expect(buildTurns(conv, {}, null)[0].answers[0].running).toBe(false);
  });

  it("live: the turn runs past the calling step's step.finished and the follow-up joins the same answer", () => {
    const conv = finished();
    conv.messages = [user];
    conv.steps = [conv.steps[0], step("a", "u", "llm", "running")];
    let live: LiveAnswers = {};
    for (const e of [
      ev("a", 1, "step.started", { model: "demo", attempt: 1 }),
      ev("a", 2, "tool.call", { call_id: "c0", name: "current_time", arguments: '{"timezone":' }),
      ev("a", 3, "tool.call", { call_id: "c0", name: "current_time", arguments: '"Asia/Tokyo"}' }),
      ev("a", 4, "step.finished", { status: "completed", continues: true }),
    ]) live = applyEvent(live, e);
    let answer = buildTurns(conv, live, null)[0].answers[0];
    expect(answer.running).toBe(true);
    expect(answer.segments[0].cards).toEqual([expect.objectContaining({ callId: "c0", arguments: TOKYO, state: "running" })]);

    for (const e of [
      ev("t0", 1, "tool.approval", { call_id: "c0", name: "current_time", arguments: TOKYO, expires_at: "2030-01-01T00:00:00Z" }),
    ]) live = applyEvent(live, e);
    answer = buildTurns(conv, live, null)[0].answers[0];
    expect(answer.segments[0].cards[0]).toMatchObject({ state: "waiting", stepId: "t0" });

    for (const e of [
      ev("t0", 2, "tool.result", { call_id: "c0", name: "current_time", status: "ok", result: "{}", truncated: false, duration_ms: 3 }),
      ev("t0", 3, "step.finished", { status: "completed", continues: true }),
      ev("f", 1, "step.started", { model: "demo", attempt: 1 }),
      ev("f", 2, "message.delta", { text: "In Asia/Tokyo" }),
    ]) live = applyEvent(live, e);
    const turns = buildTurns(conv, live, null);
    expect(turns).toHaveLength(1);
    answer = turns[0].answers[0];
    expect(answer.running).toBe(true);
    expect(answer.segments.map((s) => s.live?.text ?? "")).toContain("In Asia/Tokyo");
    expect(answer.segments[0].cards[0]).toMatchObject({ state: "ok", durationMs: 3 });
    expect(stepToStop(answer)).toBe("f");

    live = applyEvent(live, ev("f", 3, "step.finished", { status: "completed" }));
    expect(buildTurns(conv, live, null)[0].answers[0].running).toBe(false);
  });

  it("never shows tool messages as answers of their own", () => {
    const answers = buildTurns(finished(), {}, null).flatMap((t) => t.answers);
    expect(answers.flatMap((a) => a.segments.map((s) => s.message?.role))).not.toContain("tool");
  });
});

describe("tool cards", () => {
  it("shows JSON indented and other text as it is", () => {
    expect(prettyJson(TOKYO)).toBe('{\n  "timezone": "Asia/Tokyo"\n}');
    expect(prettyJson("{not json")).toBe("{not json");
    expect(prettyJson("plain")).toBe("plain");
  });

  it("builds cards from tool steps before the calling message is fetched", () => {
    const cards = storedCards(undefined, [step("t1", "a", "tool", "running", { call_id: "c1", name: "current_time", index: 1, arguments: PARIS }), step("t0", "a", "tool", "queued", { call_id: "c0", name: "current_time", index: 0, arguments: TOKYO })], new Map());
    expect(cards.map((c) => [c.callId, c.state])).toEqual([["c0", "running"], ["c1", "running"]]);
  });

  it("a stored decision wins over a live approval that has not seen it yet", () => {
    const stored = storedCards(caller, [step("t0", "a", "tool", "failed", { call_id: "c0", outcome: "denied" })], new Map());
    const merged = mergeCards(stored, [{ callId: "c0", name: "current_time", arguments: TOKYO, stepId: "t0", approval: { expiresAt: "x" } }]);
    expect(merged[0].state).toBe("denied");
  });
});

describe("summaries in the thread", () => {
  function long(): Conversation {
    return {
      id: "conv",
      title: "t",
      messages: [
        { id: "m1", step_id: "u1", role: "user", content: "My cat is Miso." },
        { id: "m2", step_id: "a1", role: "assistant", content: "Nice." },
        { id: "m3", step_id: "u2", role: "user", content: "And you?" },
        { id: "m4", step_id: "a2", role: "assistant", content: "Fine." },
        { id: "m5", step_id: "s1", role: "assistant", content: "- The user said: My cat is Miso." },
      ],
      steps: [
        step("u1", null, "user_input", "completed"),
        step("a1", "u1", "llm", "completed"),
        step("u2", "a1", "user_input", "completed"),
        step("a2", "u2", "llm", "completed"),
        step("s1", "a1", "summary", "completed"),
      ],
    };
  }

  it("shows a summary's text only as the marker after the last turn it covers", () => {
    const turns = buildTurns(long(), {}, null);
    expect(turns).toHaveLength(2);
    expect(turns.flatMap((t) => t.answers.flatMap((a) => a.segments.map((s) => s.message?.content)))).toEqual([
      "Nice.",
      "Fine.",
    ]);
    expect(turns[0].summary).toBe("- The user said: My cat is Miso.");
    expect(turns[1].summary).toBeUndefined();
  });

  it("shows no marker for a summary still being written", () => {
    const conv = long();
    conv.steps[4] = step("s1", "a1", "summary", "running");
    conv.messages.pop();
    expect(buildTurns(conv, {}, null).some((t) => t.summary)).toBe(false);
  });
});
