// Telling an outage (the engine or the network down) from other errors, and probing for the
// engine to be back: GET /health with a short back-off capped at a few seconds, so the page
// notices within seconds that the engine answers again.

import { ApiError } from "./errors";

export const PROBE_DELAYS_MS = [500, 1000, 2000, 3000];

/** The engine could not be reached, or a proxy in front of it answered that it is down. */
export function isOutage(e: unknown): boolean {
  return e instanceof ApiError && (e.code === "network" || e.status === 502 || e.status === 503 || e.status === 504);
}

export function probeDelay(attempt: number): number {
  return PROBE_DELAYS_MS[Math.min(attempt, PROBE_DELAYS_MS.length - 1)];
}

export type Fetch = (url: string, init?: RequestInit) => Promise<{ ok: boolean }>;

/** One probe: whether the engine answers its health check. */
export async function engineUp(base: string, fetchFn: Fetch): Promise<boolean> {
  try {
    const res = await fetchFn(`${base}/health`, { cache: "no-store" });
    return res.ok;
  } catch {
    return false;
  }
}
