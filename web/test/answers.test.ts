import { describe, expect, it } from "vitest";
import { applyEvent, type LiveAnswers } from "../src/lib/answers";
import type { ChatEvent } from "../src/lib/types";

function event(seq: number, type: string, data: Record<string, unknown> = {}): ChatEvent {
  return {
    id: `1764072000000-${seq}`,
    type,
    conversation_id: "c1",
    task_id: "c1",
    step_id: "s1",
    seq,
    ts: "2026-11-25T12:00:00Z",
    data,
  } as ChatEvent;
}

describe("answers reducer", () => {
  it("marks an answer the content policy blocked, with its category", () => {
    let live: LiveAnswers = {};
    for (const e of [
      event(1, "step.started"),
      event(2, "message.delta", { text: "something bad" }),
      event(3, "message.completed", { text: "something bad", message_id: "m1" }),
      event(4, "moderation.blocked", { direction: "output", category: "violence" }),
      event(5, "step.finished", { status: "completed" }),
    ]) {
      live = applyEvent(live, e);
    }
    expect(live.s1.blocked).toBe("violence");
    expect(live.s1.finished).toBe(true);
  });

  it("keeps a thinking model's reasoning apart from its text, and a restart clears both", () => {
    let live: LiveAnswers = {};
    for (const e of [
      event(1, "step.started"),
      event(2, "reasoning.delta", { text: "The user wants " }),
      event(3, "reasoning.delta", { text: "a greeting." }),
      event(4, "message.delta", { text: "Hello!" }),
    ]) {
      live = applyEvent(live, e);
    }
    expect(live.s1.reasoning).toBe("The user wants a greeting.");
    expect(live.s1.text).toBe("Hello!");
    live = applyEvent(live, event(5, "step.restarted", { attempt: 2, reason: "worker_lost" }));
    expect(live.s1.reasoning).toBe("");
    expect(live.s1.text).toBe("");
  });

  it("leaves other answers unmarked", () => {
    let live: LiveAnswers = {};
    live = applyEvent(live, event(1, "message.delta", { text: "fine" }));
    expect(live.s1.blocked).toBeUndefined();
  });
});
