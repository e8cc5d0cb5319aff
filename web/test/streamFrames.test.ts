import { describe, expect, it } from "vitest";
import { compareEventIds, decodeFrame, EventOrder, isInvalidCursor, isStepEvent } from "../src/lib/streamFrames";
import type { StepEvent } from "../src/lib/types";

const ev = (step: string, seq: number, id?: string, seqFrom?: number) =>
  ({
    type: seqFrom === undefined ? "step.started" : "message.delta",
    step_id: step,
    seq,
    ...(id ? { id } : {}),
    data: seqFrom === undefined ? {} : { text: "x", seq_from: seqFrom },
  }) as unknown as StepEvent;

describe("decodeFrame", () => {
  it("parses JSON text, keeps objects, and drops what has no string type", () => {
    expect(decodeFrame('{"type":"pong"}')).toEqual({ type: "pong" });
    expect(decodeFrame({ type: "pong" })).toEqual({ type: "pong" });
    expect(decodeFrame("not json")).toBeNull();
    expect(decodeFrame('{"seq":1}')).toBeNull();
    expect(decodeFrame(null)).toBeNull();
  });

  it("takes the server-sent event's id when the frame has none", () => {
    expect(decodeFrame('{"type":"x"}', "5-0")).toEqual({ type: "x", id: "5-0" });
    expect(decodeFrame('{"type":"x","id":"4-0"}', "5-0")).toEqual({ type: "x", id: "4-0" });
  });

  it("tells step events from replies, and an expired cursor in either error shape", () => {
    expect(isStepEvent({ type: "pong" })).toBe(false);
    expect(isStepEvent(ev("s1", 1))).toBe(true);
    expect(isInvalidCursor({ type: "error", data: { code: "invalid_cursor" } })).toBe(true);
    expect(isInvalidCursor({ type: "error", code: "invalid_cursor" })).toBe(true);
    expect(isInvalidCursor({ type: "error", code: "rate_limited" })).toBe(false);
  });
});

describe("compareEventIds", () => {
  it("orders by millis, then by sequence", () => {
    expect(compareEventIds("2-0", "10-0")).toBeLessThan(0);
    expect(compareEventIds("10-2", "10-1")).toBeGreaterThan(0);
    expect(compareEventIds("10-1", "10-1")).toBe(0);
  });
});

describe("EventOrder", () => {
  it("delivers each step's events in order, drops duplicates and finds gaps", () => {
    const o = new EventOrder(null);
    expect(o.accept(ev("s1", 1, "1-0"))).toBe("next");
    expect(o.accept(ev("s1", 2, "2-0"))).toBe("next");
    expect(o.accept(ev("s1", 2, "2-0"))).toBe("duplicate");
    expect(o.accept(ev("s1", 4, "4-0"))).toBe("gap");
    expect(o.accept(ev("s2", 2))).toBe("gap"); // a step starts at seq 1
    expect(o.lastSeq("s1")).toBe(2);
    expect(o.cursor).toBe("2-0");
  });

  it("places a merged delta by seq_from; one overlapping text shown is an overlap", () => {
    const o = new EventOrder(null);
    o.accept(ev("s1", 1));
    expect(o.accept(ev("s1", 5, undefined, 2))).toBe("next");
    expect(o.lastSeq("s1")).toBe(5);
    expect(o.accept(ev("s1", 8, undefined, 7))).toBe("gap");
    expect(o.accept(ev("s1", 8, undefined, 5))).toBe("overlap");
  });

  it("moves the cursor forward only, and forgets all on reset", () => {
    const o = new EventOrder("5-0");
    o.accept(ev("s1", 1, "3-0"));
    expect(o.cursor).toBe("5-0");
    o.accept(ev("s1", 2, "6-0"));
    expect(o.cursor).toBe("6-0");
    o.reset();
    expect(o.cursor).toBeNull();
    expect(o.lastSeq("s1")).toBeUndefined();
  });
});
