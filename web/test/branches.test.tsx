import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { Thread, type ThreadActions } from "../src/components/Thread";
import { activeBranch, buildTurns, chainText, versionsOf } from "../src/lib/turns";
import type { LiveAnswers } from "../src/lib/answers";
import type { Conversation, Step } from "../src/lib/types";

afterEach(cleanup);

function step(id: string, parent: string | null, type: Step["type"], siblings: string[] = [id], extra: Partial<Step> = {}): Step {
  return { id, parent_step_id: parent, type, status: "completed", metadata: {}, sibling_ids: siblings, ...extra };
}

/**
 * q1 answered twice (a1, then a1b regenerated); q1 edited as q1e (answered e1) — the edit is
 * shown. q2 follows a1 on the first branch.
 */
function tree(branch: string[]): Conversation {
  return {
    id: "c",
    title: "t",
    active_step_id: branch[branch.length - 1],
    active_branch: branch,
    messages: [
      { id: "m1", step_id: "q1", role: "user", content: "first" },
      { id: "m2", step_id: "a1", role: "assistant", content: "answer one" },
      { id: "m3", step_id: "a1b", role: "assistant", content: "answer one again" },
      { id: "m4", step_id: "q2", role: "user", content: "second" },
      { id: "m5", step_id: "a2", role: "assistant", content: "answer two" },
      { id: "m6", step_id: "q1e", role: "user", content: "first, edited" },
      { id: "m7", step_id: "e1", role: "assistant", content: "edited answer" },
    ],
    steps: [
      step("q1", null, "user_input", ["q1", "q1e"]),
      step("a1", "q1", "llm", ["a1", "a1b"]),
      step("a1b", "q1", "llm", ["a1", "a1b"], { feedback: { rating: "up" } }),
      step("q2", "a1", "user_input"),
      step("a2", "q2", "llm"),
      step("q1e", null, "user_input", ["q1", "q1e"]),
      step("e1", "q1e", "llm"),
    ],
  };
}

describe("branches", () => {
  it("shows only the active branch", () => {
    const turns = buildTurns(tree(["q1", "a1", "q2", "a2"]), {}, null);
    expect(turns.map((t) => t.user?.content)).toEqual(["first", "second"]);
    expect(turns.map((t) => t.answers.map((a) => a.key))).toEqual([["a1"], ["a2"]]);
    expect(turns[0].userStep?.id).toBe("q1");

    const edited = buildTurns(tree(["q1e", "e1"]), {}, null);
    expect(edited.map((t) => t.user?.content)).toEqual(["first, edited"]);
    expect(edited[0].answers[0].segments[0].message?.content).toBe("edited answer");
  });

  it("keeps summary steps (markers) and lists the hidden steps", () => {
    const conv = tree(["q1", "a1b"]);
    conv.steps.push(step("s", "a1b", "summary"));
    const { conv: shown, hidden } = activeBranch(conv);
    expect(shown.steps.map((s) => s.id)).toEqual(["q1", "a1b", "s"]);
    expect([...hidden].sort()).toEqual(["a1", "a2", "e1", "q1e", "q2"]);
  });

  it("shows every step when the engine sends no active_branch", () => {
    const conv = tree([]);
    delete conv.active_branch;
    expect(activeBranch(conv).conv.steps).toHaveLength(7);
  });

  it("does not show a live answer of another branch at the end", () => {
    const live: LiveAnswers = {
      a2: { stepId: "a2", text: "answer two", reasoning: "", status: "completed", finished: true, toolCalls: [], order: 1 } as any,
      new1: { stepId: "new1", text: "new", reasoning: "", status: "running", finished: false, toolCalls: [], order: 2 } as any,
    };
    const turns = buildTurns(tree(["q1", "a1b"]), live, null);
    const keys = turns.flatMap((t) => t.answers.map((a) => a.key));
    expect(keys).toEqual(["a1b", "new1"]);
  });

  it("numbers a step among its versions", () => {
    const conv = tree(["q1", "a1b"]);
    expect(versionsOf(conv.steps[2])).toEqual({ ids: ["a1", "a1b"], index: 2 });
    expect(versionsOf(conv.steps[3])).toBeUndefined();
    expect(versionsOf(undefined)).toBeUndefined();
  });

  it("copies an answer's steps' text blank-line apart", () => {
    const chain = {
      key: "a",
      running: false,
      segments: [
        { stepId: "a", cards: [], message: { id: "x", step_id: "a", role: "assistant", content: "Let me look." } },
        { stepId: "b", cards: [], message: { id: "y", step_id: "b", role: "assistant", content: "" } },
        { stepId: "c", cards: [], live: { text: "It is noon.\n" } },
      ],
    } as any;
    expect(chainText(chain)).toBe("Let me look.\n\nIt is noon.");
  });
});

function actions(over: Partial<ThreadActions> = {}): ThreadActions {
  return {
    busy: false,
    onSwitch: vi.fn(async () => undefined),
    onRegenerate: vi.fn(async () => undefined),
    onEdit: vi.fn(async () => true),
    onRate: vi.fn(async () => undefined),
    onTrace: vi.fn(async () => ({ question_step_id: "q1", started_at: "", prompt_tokens: 0, completion_tokens: 0, usage_cents: 0, steps: [] })),
    errorText: () => "failed",
    ...over,
  };
}

describe("Thread with versions", () => {
  const decide = async () => undefined;

  it("moves between an answer's versions, regenerates its first step, rates it", () => {
    const a = actions();
    render(<Thread turns={buildTurns(tree(["q1", "a1b"]), {}, null)} conversationKey="c" onDecide={decide} actions={a} />);
    expect(screen.getByLabelText("Version 2 of 2")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Next version of this answer" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Previous version of this answer" }));
    expect(a.onSwitch).toHaveBeenCalledWith("a1");
    fireEvent.click(screen.getByRole("button", { name: "Regenerate answer" }));
    expect(a.onRegenerate).toHaveBeenCalledWith("a1b");
    expect(screen.getByRole("button", { name: "Good answer" }).getAttribute("aria-pressed")).toBe("true");
    fireEvent.click(screen.getByRole("button", { name: "Good answer" }));
    expect(a.onRate).toHaveBeenCalledWith("a1b", null);
    fireEvent.click(screen.getByRole("button", { name: "Bad answer" }));
    expect(a.onRate).toHaveBeenCalledWith("a1b", "down");
  });

  it("edits a message in place and sends it; Escape cancels", async () => {
    const a = actions();
    render(<Thread turns={buildTurns(tree(["q1", "a1", "q2", "a2"]), {}, null)} conversationKey="c" onDecide={decide} actions={a} />);
    fireEvent.click(screen.getAllByRole("button", { name: "Edit message" })[1]);
    const box = screen.getByRole("textbox", { name: "Edited message" }) as HTMLTextAreaElement;
    expect(box.value).toBe("second");
    fireEvent.keyDown(box, { key: "Escape" });
    expect(screen.queryByRole("textbox", { name: "Edited message" })).toBeNull();
    fireEvent.click(screen.getAllByRole("button", { name: "Edit message" })[0]);
    fireEvent.change(screen.getByRole("textbox", { name: "Edited message" }), { target: { value: "first, again" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(a.onEdit).toHaveBeenCalledWith("q1", "first, again");
    await screen.findAllByRole("button", { name: "Edit message" });
  });

  it("offers no Regenerate or version change while a turn runs", () => {
    render(<Thread turns={buildTurns(tree(["q1", "a1b"]), {}, null)} conversationKey="c" onDecide={decide} actions={actions({ busy: true })} />);
    expect((screen.getByRole("button", { name: "Regenerate answer" }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Previous version of this answer" }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("search snippets and traces", () => {
  it("splits a snippet into text and marked matches", async () => {
    const { snippetParts } = await import("../src/lib/search");
    expect(snippetParts("the **cat** sat on the **mat**.")).toEqual([
      { text: "the ", match: false },
      { text: "cat", match: true },
      { text: " sat on the ", match: false },
      { text: "mat", match: true },
      { text: ".", match: false },
    ]);
    expect(snippetParts("open **end")).toEqual([{ text: "open **end", match: false }]);
  });

  it("describes trace steps in words", async () => {
    const { ms, traceWhat, traceTokens, traceError } = await import("../src/lib/traceView");
    expect(ms(840)).toBe("840 ms");
    expect(ms(2500)).toBe("2.50 s");
    expect(ms(null)).toBe("—");
    expect(traceWhat({ id: "a", type: "llm", status: "completed", model: "m", provider: "p", fallbacks: [{ provider: "q", model: "n", error: "timeout" }] })).toBe(
      "p/m (after q/n: timeout)",
    );
    expect(traceWhat({ id: "t", type: "tool", status: "completed", tool: "current_time", outcome: "ok" })).toBe("current_time → ok");
    expect(traceTokens({ prompt_tokens: 3 })).toBe("3 in · 0 out");
    expect(traceError({ code: "upstream_unavailable", message: "down" })).toBe("upstream_unavailable: down");
  });
});

describe("share and export helpers", () => {
  it("takes the download's name from Content-Disposition", async () => {
    const { fileNameOf } = await import("../src/lib/api");
    expect(fileNameOf('attachment; filename="conversation-1.md"', "x")).toBe("conversation-1.md");
    expect(fileNameOf("attachment; filename*=UTF-8''caf%C3%A9.json", "x")).toBe("café.json");
    expect(fileNameOf(null, "fallback.md")).toBe("fallback.md");
  });

  it("links a share to the static shared page with the token in the hash", async () => {
    const { sharedPageUrl } = await import("../src/components/SharedPage");
    expect(sharedPageUrl("abc_12", "https://grizz.example")).toBe("https://grizz.example/shared/index.html#abc_12");
  });
});

describe("while a new version is made", () => {
  it("leaves out live answers the stored conversation does not place yet", () => {
    const live: LiveAnswers = {
      new1: { stepId: "new1", text: "new", reasoning: "", status: "running", finished: false, toolCalls: [], order: 2 } as any,
    };
    const conv = tree(["q1", "a1", "q2", "a2"]);
    expect(buildTurns(conv, live, null, { hideUnplaced: true }).flatMap((t) => t.answers.map((a) => a.key))).toEqual(["a1", "a2"]);
    expect(buildTurns(conv, live, null).flatMap((t) => t.answers.map((a) => a.key))).toEqual(["a1", "a2", "new1"]);
  });
});
