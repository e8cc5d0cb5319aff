// When and over which transport the stream client tries again: exponential back-off with jitter,
// and the ladder WebSocket → server-sent events → long-poll (a transport that once opened gets
// more tries before the next one is used).

import type { TransportKind } from "./streamTypes";

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): an exponential ceiling
 * min(cap, base * 2^attempt), of which a random half is jitter ("equal jitter"), so the delay
 * lies in [ceiling / 2, ceiling] and never exceeds the cap.
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  baseMs = BACKOFF_BASE_MS,
  capMs = BACKOFF_CAP_MS,
): number {
  const ceiling = Math.min(capMs, baseMs * Math.pow(2, Math.max(0, Math.min(attempt, 30))));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
}

/** How many failures to open, in a row, before moving to the next transport. */
const UNPROVEN_FAILURES = 1;
const PROVEN_FAILURES = 3;

/** The transport to try, and the back-off attempt, as connections open and fail. */
export class ReconnectPolicy {
  private readonly transports: TransportKind[];
  private index = 0;
  private readonly proven = new Set<TransportKind>();
  private openFailures = 0;
  private attempt = 0;

  /** `transports`: the available ones in the order to try them (at least one). */
  constructor(transports: TransportKind[]) {
    this.transports = transports;
  }

  /** The transport of the next attempt. */
  get current(): TransportKind {
    return this.transports[this.index];
  }

  /** A connection opened: its transport is proven, and the back-off starts over. */
  opened(kind: TransportKind): void {
    this.proven.add(kind);
    this.openFailures = 0;
    this.attempt = 0;
  }

  /**
   * A connection failed (`opened`: after it had opened). "next": fall back to the next transport
   * at once; "wait": back off (after every transport failed, starting over from the first).
   */
  failed(opened: boolean): "next" | "wait" {
    if (!opened) {
      this.openFailures++;
      const limit = this.proven.has(this.current) ? PROVEN_FAILURES : UNPROVEN_FAILURES;
      if (this.openFailures >= limit) {
        this.openFailures = 0;
        if (this.index + 1 < this.transports.length) {
          this.index++;
          return "next";
        }
        this.index = 0;
      }
    }
    return "wait";
  }

  /** The delay before the next attempt; each call counts one attempt more. */
  nextDelay(random: () => number, baseMs = BACKOFF_BASE_MS, capMs = BACKOFF_CAP_MS): number {
    const delay = backoffDelay(this.attempt, random, baseMs, capMs);
    this.attempt++;
    return delay;
  }
}
