import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { formatCents } from "../src/lib/format";
import {
  DEFAULT_MAX_CONTENT_BYTES,
  lengthNote,
  limitFromMessage,
  loadDraft,
  loadLimit,
  saveDraft,
  utf8Bytes,
} from "../src/lib/draft";
import { atBottom } from "../src/lib/scroll";
import { applyTheme, readTheme, saveTheme } from "../src/lib/theme";
import { chatError } from "../src/hooks/useChat";
import { ApiError } from "../src/lib/errors";
import { secondsLeft } from "../src/components/ErrorBanner";
import { MessageBox } from "../src/components/MessageBox";
import { segmentModel, turnUsage } from "../src/components/Answer";
import type { Segment } from "../src/lib/turns";

afterEach(cleanup);
beforeEach(() => localStorage.clear());

describe("formatCents", () => {
  it("reads every cost with one precision rule", () => {
    expect(formatCents(0)).toBe("$0.00");
    expect(formatCents(125)).toBe("$1.25");
    expect(formatCents(5)).toBe("$0.05");
    expect(formatCents(1.23)).toBe("$0.0123");
    expect(formatCents(0.42)).toBe("$0.0042");
    expect(formatCents(0.001)).toBe("<$0.0001");
    expect(formatCents(null)).toBe("");
  });
});

describe("drafts and the length limit", () => {
  it("keeps a draft per conversation and forgets an empty one", () => {
    saveDraft(localStorage, "c1", "hello");
    saveDraft(localStorage, "new", "other");
    expect(loadDraft(localStorage, "c1")).toBe("hello");
    saveDraft(localStorage, "c1", "");
    expect(loadDraft(localStorage, "c1")).toBe("");
    expect(localStorage.getItem("grizz.draft.c1")).toBeNull();
    expect(loadDraft(localStorage, "new")).toBe("other");
  });

  it("counts UTF-8 bytes as the engine does", () => {
    expect(utf8Bytes("abc")).toBe(3);
    expect(utf8Bytes("é")).toBe(2);
    expect(utf8Bytes("€")).toBe(3);
    expect(utf8Bytes("😀")).toBe(4);
  });

  it("learns the limit from the engine's refusal and shows a counter near it", () => {
    expect(limitFromMessage("The message is 40000 bytes; the limit is 32768 bytes.")).toBe(32768);
    expect(limitFromMessage("other")).toBeNull();
    expect(loadLimit(localStorage)).toBe(DEFAULT_MAX_CONTENT_BYTES);
    expect(lengthNote(100, 1000)).toBeNull();
    expect(lengthNote(900, 1000)).toEqual({ text: "900 / 1,000 bytes", over: false });
    expect(lengthNote(1200, 1000)).toEqual({ text: "200 bytes over the limit of 1,000", over: true });
  });
});

describe("chatError", () => {
  it("a rate limit carries when sending may work again", () => {
    const e = new ApiError(429, "rate_limited", "slow down", undefined, { retry_after_seconds: 7 });
    expect(chatError(e, 1000)).toEqual({ text: expect.stringContaining("too quickly"), retryAt: 8000 });
    expect(chatError(new ApiError(0, "network", "x")).retryAt).toBeUndefined();
    expect(secondsLeft(8000, 1001)).toBe(7);
    expect(secondsLeft(8000, 9000)).toBe(0);
  });

  it("a content_too_large refusal teaches the limit", () => {
    chatError(new ApiError(400, "content_too_large", "The message is 5000 bytes; the limit is 4096 bytes."));
    expect(loadLimit(localStorage)).toBe(4096);
  });
});

describe("scroll", () => {
  it("is at the bottom within the slack only", () => {
    expect(atBottom({ scrollTop: 500, scrollHeight: 1000, clientHeight: 480 })).toBe(true);
    expect(atBottom({ scrollTop: 300, scrollHeight: 1000, clientHeight: 480 })).toBe(false);
  });
});

describe("theme", () => {
  it("remembers light or dark, and system as no choice", () => {
    expect(readTheme(localStorage)).toBe("system");
    saveTheme(localStorage, "dark");
    expect(readTheme(localStorage)).toBe("dark");
    applyTheme(document.documentElement, "dark");
    expect(document.documentElement.dataset.theme).toBe("dark");
    saveTheme(localStorage, "system");
    expect(localStorage.getItem("grizz.theme")).toBeNull();
    applyTheme(document.documentElement, "system");
    expect(document.documentElement.hasAttribute("data-theme")).toBe(false);
  });
});

describe("MessageBox draft", () => {
  it("keeps a refused message in the box and in storage", async () => {
    let resolve: (ok: boolean) => void = () => {};
    const onSend = vi.fn(() => new Promise<boolean>((r) => (resolve = r)));
    render(<MessageBox onSend={onSend} draftKey="c1" />);
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "please keep me" } });
    expect(localStorage.getItem("grizz.draft.c1")).toBe("please keep me");
    fireEvent.keyDown(box, { key: "Enter" });
    expect(box.value).toBe("");
    await act(async () => resolve(false));
    expect(box.value).toBe("please keep me");
    expect(localStorage.getItem("grizz.draft.c1")).toBe("please keep me");
  });

  it("forgets the draft once the message is accepted, and restores one on load", async () => {
    localStorage.setItem("grizz.draft.c2", "from before");
    const onSend = vi.fn(async () => true);
    render(<MessageBox onSend={onSend} draftKey="c2" />);
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    expect(box.value).toBe("from before");
    await act(async () => fireEvent.keyDown(box, { key: "Enter" }));
    expect(onSend).toHaveBeenCalledWith("from before", []);
    expect(localStorage.getItem("grizz.draft.c2")).toBeNull();
  });

  it("counts down a rate limit on Send and refuses a message over the limit", () => {
    vi.useFakeTimers({ now: 10_000 });
    try {
      const onSend = vi.fn();
      render(<MessageBox onSend={onSend} waitUntil={13_000} maxBytes={10} />);
      const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
      fireEvent.change(box, { target: { value: "hi" } });
      expect(screen.getByRole("button", { name: "Wait 3 s" })).toBeTruthy();
      act(() => vi.advanceTimersByTime(1000));
      expect(screen.getByRole("button", { name: "Wait 2 s" })).toBeTruthy();
      act(() => vi.advanceTimersByTime(2500));
      fireEvent.change(box, { target: { value: "way too long text" } });
      expect(screen.getByText("7 bytes over the limit of 10")).toBeTruthy();
      fireEvent.keyDown(box, { key: "Enter" });
      expect(onSend).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("answer meta", () => {
  const seg = (over: Partial<Segment>): Segment => ({ stepId: "s1", cards: [], ...over });

  it("names the model from step.started while the stored step still says auto", () => {
    const s = seg({
      step: { id: "s1", status: "running", model: "auto" } as any,
      live: { text: "Hi", reasoning: "", status: "running", finished: false, model: "demo", toolCalls: [] } as any,
    });
    expect(segmentModel(s)).toBe("demo");
    expect(turnUsage([s]).model).toBe("demo");
  });

  it("shows no charge for a failed answer that wrote nothing", () => {
    const s = seg({
      step: { id: "s1", status: "failed", model: "m", prompt_tokens: 10, completion_tokens: 0, usage_cents: 3 } as any,
    });
    expect(turnUsage([s]).cents).toBeUndefined();
    const ok = seg({
      step: { id: "s1", status: "completed", model: "m", prompt_tokens: 10, completion_tokens: 5, usage_cents: 3 } as any,
    });
    expect(turnUsage([ok]).cents).toBe(3);
  });
});

describe("outage", () => {
  it("tells an unreachable engine from other errors and probes with a short capped back-off", async () => {
    const { isOutage, probeDelay, engineUp } = await import("../src/lib/outage");
    expect(isOutage(new ApiError(0, "network", "x"))).toBe(true);
    expect(isOutage(new ApiError(503, "http_503", ""))).toBe(true);
    expect(isOutage(new ApiError(502, "upstream_unavailable", ""))).toBe(true);
    expect(isOutage(new ApiError(429, "rate_limited", ""))).toBe(false);
    expect(isOutage(new Error("x"))).toBe(false);
    expect([0, 1, 2, 3, 10].map(probeDelay)).toEqual([500, 1000, 2000, 3000, 3000]);
    expect(await engineUp("", async () => ({ ok: true }))).toBe(true);
    expect(await engineUp("", async () => ({ ok: false }))).toBe(false);
    expect(await engineUp("", async () => Promise.reject(new Error("down")))).toBe(false);
    expect(chatError(new ApiError(0, "network", "x")).outage).toBe(true);
  });
});

describe("MessageBox draft across conversations", () => {
  it("keeps the text when a new chat becomes a conversation under it (a file attached first)", () => {
    const onSend = vi.fn();
    const { rerender } = render(<MessageBox onSend={onSend} draftKey="new" filesKey={1} />);
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "chart this file" } });
    rerender(<MessageBox onSend={onSend} draftKey="c9" filesKey={1} />);
    expect(box.value).toBe("chart this file");
    expect(localStorage.getItem("grizz.draft.c9")).toBe("chart this file");
    expect(localStorage.getItem("grizz.draft.new")).toBeNull();
  });

  it("shows another conversation's own draft when one is opened", () => {
    localStorage.setItem("grizz.draft.c7", "seven");
    const onSend = vi.fn();
    const { rerender } = render(<MessageBox onSend={onSend} draftKey="new" filesKey={1} />);
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "typed in a new chat" } });
    rerender(<MessageBox onSend={onSend} draftKey="c8" filesKey={2} />);
    expect(box.value).toBe("");
    rerender(<MessageBox onSend={onSend} draftKey="c7" filesKey={3} />);
    expect(box.value).toBe("seven");
    rerender(<MessageBox onSend={onSend} draftKey="new" filesKey={4} />);
    expect(box.value).toBe("typed in a new chat");
  });
});
