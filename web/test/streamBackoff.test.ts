import { describe, expect, it } from "vitest";
import { backoffDelay, ReconnectPolicy } from "../src/lib/streamBackoff";

describe("backoffDelay", () => {
  it("grows exponentially with jitter inside [ceiling/2, ceiling]", () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(1, () => 0)).toBe(500);
    expect(backoffDelay(1, () => 1)).toBe(1000);
    expect(backoffDelay(3, () => 0.5)).toBe(3000); // ceiling 4000
    expect(backoffDelay(4, () => 1)).toBe(8000);
  });

  it("never exceeds the 30 s cap", () => {
    for (let attempt = 0; attempt < 60; attempt++) {
      expect(backoffDelay(attempt, () => 1)).toBeLessThanOrEqual(30_000);
    }
    expect(backoffDelay(6, () => 1)).toBe(30_000); // 500 * 64 = 32000 → capped
    expect(backoffDelay(20, () => 0)).toBe(15_000);
  });
});

describe("ReconnectPolicy", () => {
  it("falls back at once from a transport that never opened, and waits after the last", () => {
    const p = new ReconnectPolicy(["ws", "sse", "poll"]);
    expect(p.current).toBe("ws");
    expect(p.failed(false)).toBe("next");
    expect(p.current).toBe("sse");
    expect(p.failed(false)).toBe("next");
    expect(p.current).toBe("poll");
    expect(p.failed(false)).toBe("wait");
    expect(p.current).toBe("ws"); // every transport failed: start over from the first
  });

  it("gives a transport that once opened three failures to open before the next one", () => {
    const p = new ReconnectPolicy(["ws", "sse"]);
    p.opened("ws");
    expect(p.failed(true)).toBe("wait"); // a drop after opening: back off, same transport
    expect(p.failed(false)).toBe("wait");
    expect(p.failed(false)).toBe("wait");
    expect(p.current).toBe("ws");
    expect(p.failed(false)).toBe("next");
    expect(p.current).toBe("sse");
  });

  it("counts back-off attempts until a connection opens", () => {
    const p = new ReconnectPolicy(["ws"]);
    expect([1, 2, 3].map(() => p.nextDelay(() => 1))).toEqual([500, 1000, 2000]);
    p.opened("ws");
    expect(p.nextDelay(() => 1)).toBe(500);
    expect(p.nextDelay(() => 1, 100, 150)).toBe(150);
  });
});
