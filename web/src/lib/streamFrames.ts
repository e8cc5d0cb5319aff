// Frame decoding of the stream client: a frame's JSON, step events told from other frames, and
// the order of step events by (step_id, seq) (including merged deltas' `seq_from`): duplicates,
// gaps, and the cursor (the last event id delivered in order) a reconnect resumes from.

import type { StepEvent } from "./types";

/** Compares two event ids of the form "<millis>-<n>". */
export function compareEventIds(a: string, b: string): number {
  const [am, an] = a.split("-").map((x) => Number(x));
  const [bm, bn] = b.split("-").map((x) => Number(x));
  if (am !== bm) return (am || 0) - (bm || 0);
  return (an || 0) - (bn || 0);
}

/**
 * A frame as received (JSON text or an object) as an object with a string `type`, or null to
 * ignore it. A server-sent event's id stands in for a missing `id`.
 */
export function decodeFrame(raw: unknown, sseId?: string): any | null {
  let frame: any = raw;
  if (typeof raw === "string") {
    try {
      frame = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (!frame || typeof frame !== "object" || typeof frame.type !== "string") return null;
  if (!frame.id && sseId) frame.id = sseId;
  return frame;
}

/** A step event (it has step_id and seq), not a reply or error of the socket. */
export function isStepEvent(frame: any): frame is StepEvent {
  return typeof frame.step_id === "string" && typeof frame.seq === "number";
}

/** An error frame saying the cursor has expired (the log moved past it). */
export function isInvalidCursor(frame: any): boolean {
  return frame.type === "error" && (frame.data?.code ?? frame.code) === "invalid_cursor";
}

/**
 * What a step event is to the events delivered so far: "next" (delivered; the cursor moves),
 * "duplicate" (seen already), "gap" (events are missing before it) or "overlap" (a merged delta
 * overlapping text already shown: it cannot be split).
 */
export type EventPlace = "next" | "duplicate" | "gap" | "overlap";

/** The highest seq delivered per step, and the cursor. */
export class EventOrder {
  private cursorValue: string | null;
  private readonly stepSeq = new Map<string, number>();

  constructor(cursor: string | null) {
    this.cursorValue = cursor;
  }

  /** The id of the last event delivered in order: where a reconnect resumes. */
  get cursor(): string | null {
    return this.cursorValue;
  }

  /** Highest seq delivered for a step. */
  lastSeq(stepId: string): number | undefined {
    return this.stepSeq.get(stepId);
  }

  /** Places an event; a "next" one counts as delivered. */
  accept(event: StepEvent): EventPlace {
    const last = this.stepSeq.get(event.step_id);
    if (last !== undefined && event.seq <= last) return "duplicate";
    const from =
      event.type === "message.delta" && typeof event.data?.seq_from === "number" ? event.data.seq_from : event.seq;
    const expected = last === undefined ? 1 : last + 1;
    if (from > expected) return "gap";
    if (from < expected) return "overlap";
    this.stepSeq.set(event.step_id, event.seq);
    if (event.id && (!this.cursorValue || compareEventIds(event.id, this.cursorValue) > 0)) {
      this.cursorValue = event.id;
    }
    return "next";
  }

  /** Forgets everything: the stream starts over from the latest answer. */
  reset(): void {
    this.cursorValue = null;
    this.stepSeq.clear();
  }
}
