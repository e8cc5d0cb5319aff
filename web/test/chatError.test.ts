import { afterEach, describe, expect, it, vi } from "vitest";
import { act, renderHook } from "@testing-library/react";
import { chosenModel, newClientMsgId, titleFrom } from "../src/lib/chatError";
import { useQueuedStops } from "../src/hooks/useQueuedStops";
import { setSession, type SessionManager } from "../src/lib/session";

afterEach(() => {
  vi.unstubAllGlobals();
  setSession(null);
});

describe("titleFrom", () => {
  it("is the first line, cut at a word near 60 characters", () => {
    expect(titleFrom("  Hello there\nsecond line")).toBe("Hello there");
    expect(titleFrom("   \n")).toBe("New conversation");
    const long = "word ".repeat(20).trim();
    const t = titleFrom(long);
    expect(t.endsWith("…")).toBe(true);
    expect(t.length).toBeLessThanOrEqual(61);
    expect(t).toBe(long.slice(0, long.lastIndexOf(" ", 60)) + "…");
    expect(titleFrom("x".repeat(80))).toBe("x".repeat(60) + "…");
  });
});

describe("chosenModel and newClientMsgId", () => {
  it("asks for no model when the picker says auto", () => {
    expect(chosenModel("auto")).toBeUndefined();
    expect(chosenModel("")).toBeUndefined();
    expect(chosenModel("demo/demo")).toBe("demo/demo");
  });

  it("gives a fresh id each time", () => {
    expect(newClientMsgId()).not.toBe(newClientMsgId());
  });
});

describe("useQueuedStops", () => {
  it("keeps one Stop per step and sends them all once", async () => {
    const calls: string[] = [];
    setSession({ accessToken: async () => "at1", onUnauthorized: async () => "at2" } as unknown as SessionManager);
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init: any) => {
        calls.push(`${init.method} ${url}`);
        return { ok: true, status: 204, statusText: "", text: async () => "", headers: new Headers() };
      }),
    );
    const { result } = renderHook(() => useQueuedStops(() => undefined));
    expect(result.current.stopQueued).toBe(false);
    act(() => {
      result.current.queueStop("c1", "s1");
      result.current.queueStop("c1", "s1");
      result.current.queueStop("c1", "s2");
    });
    expect(result.current.stopQueued).toBe(true);
    act(() => result.current.sendQueuedStops());
    expect(result.current.stopQueued).toBe(false);
    await vi.waitFor(() => expect(calls.filter((c) => c.includes("/cancel"))).toHaveLength(2));
    expect(calls.filter((c) => c.includes("/cancel"))).toEqual([
      "POST /api/v1/conversations/c1/steps/s1/cancel",
      "POST /api/v1/conversations/c1/steps/s2/cancel",
    ]);
    act(() => result.current.sendQueuedStops()); // nothing left to send
    await new Promise((r) => setTimeout(r, 0));
    expect(calls.filter((c) => c.includes("/cancel"))).toHaveLength(2);
  });
});
