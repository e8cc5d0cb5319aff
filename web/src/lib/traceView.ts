// How an answer was made, in words for its table (GET …/steps/{id}/trace).

import { formatCents } from "./format";
import type { TraceStep } from "./types";

export function ms(n?: number | null): string {
  if (n == null) return "—";
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`;
}

/** What a step did: the model (and the ones tried before it), or the tool and how it ended. */
export function traceWhat(s: TraceStep): string {
  if (s.type === "tool") return `${s.tool ?? "tool"}${s.outcome ? ` → ${s.outcome}` : ""}`;
  const model = s.model ? `${s.provider ? s.provider + "/" : ""}${s.model}` : s.type;
  const tried = (s.fallbacks ?? []).map(fallbackName).filter(Boolean);
  return tried.length ? `${model} (after ${tried.join(", ")})` : model;
}

function fallbackName(f: unknown): string {
  if (typeof f === "string") return f;
  if (f && typeof f === "object") {
    const o = f as Record<string, unknown>;
    const name = [o.provider, o.model].filter((x) => typeof x === "string").join("/");
    const why = typeof o.error === "string" ? o.error : typeof o.reason === "string" ? o.reason : "";
    return why ? `${name || "?"}: ${why}` : name;
  }
  return "";
}

export function traceTokens(s: { prompt_tokens?: number | null; completion_tokens?: number | null }): string {
  if (s.prompt_tokens == null && s.completion_tokens == null) return "—";
  return `${s.prompt_tokens ?? 0} in · ${s.completion_tokens ?? 0} out`;
}

export function traceCost(c?: number | null): string {
  return c == null ? "—" : formatCents(c);
}

export function traceError(e: unknown): string | undefined {
  if (e == null) return undefined;
  if (typeof e === "string") return e;
  const o = e as Record<string, unknown>;
  return [o.code, o.message].filter((x) => typeof x === "string").join(": ") || JSON.stringify(e);
}
