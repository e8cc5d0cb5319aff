// The TypeScript half of the event contract test. test/fixtures/events.json is written by the
// engine's EventContractTests from its Java event records (and checked there against them), so
// comparing it with the union in src/lib/types.ts catches a field added, dropped or retyped on one
// side only. After a deliberate change: rerun EventContractTests with -Dgrizz.contract.write=true,
// then update types.ts until this passes.
import { describe, expect, it } from "vitest";
import { applyEvent } from "../src/lib/answers";
import { EVENT_SHAPES, isChatEvent, type ChatEvent } from "../src/lib/types";
import written from "./fixtures/events.json";

const fixture = written as unknown as {
  schema: Record<string, Record<string, unknown>>;
  samples: Array<Record<string, unknown>>;
};

describe("event contract (Java records ↔ TypeScript union)", () => {
  it("has the same event types and fields, with the same kinds, as the engine", () => {
    expect(EVENT_SHAPES).toEqual(fixture.schema);
  });

  it("accepts every sample the engine's codec wrote, and each one reaches the reducer", () => {
    for (const sample of fixture.samples) {
      expect(isChatEvent(sample), JSON.stringify(sample)).toBe(true);
      const event = sample as unknown as ChatEvent;
      const keys = Object.keys(event.data).sort();
      expect(keys, event.type).toEqual(Object.keys(EVENT_SHAPES[event.type]).sort());
      if (event.type !== "error") {
        expect(applyEvent({}, event)[event.step_id], event.type).toBeDefined();
      }
    }
    expect(new Set(fixture.samples.map((s) => s.type))).toEqual(
      new Set(Object.keys(EVENT_SHAPES).filter((k) => k !== "envelope")),
    );
  });

  it("refuses an unknown type and a missing or mistyped field", () => {
    const delta = fixture.samples.find((s) => s.type === "message.delta")!;
    expect(isChatEvent({ ...delta, type: "message.paused" })).toBe(false);
    expect(isChatEvent({ ...delta, data: {} })).toBe(false);
    expect(isChatEvent({ ...delta, data: { text: 3 } })).toBe(false);
    expect(isChatEvent({ ...delta, seq: undefined })).toBe(false);
    const usage = fixture.samples.find((s) => s.type === "usage")!;
    const unreported = { ...(usage.data as object), prompt_tokens: null };
    expect(isChatEvent({ ...usage, data: unreported })).toBe(true);
  });
});
