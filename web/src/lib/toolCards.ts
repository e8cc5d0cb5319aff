// What a tool card shows, from the stored conversation (the answer's tool_calls, the tool steps
// and the `tool` messages with the results) overlaid by the live events of the same calls.

import type { LiveToolCall, OutputChunk } from "./answers";
import type { FileRef, Message, Step } from "./types";

/** `running` and `waiting` (for approval) while the call is open, then the result's status. */
export type ToolCardState =
  | "running"
  | "waiting"
  | "ok"
  | "error"
  | "invalid_arguments"
  | "timeout"
  | "cancelled"
  | "denied"
  | "interrupted"
  | "unknown_tool"
  | (string & {});

export interface ToolCard {
  callId: string;
  name: string;
  arguments: string;
  /** The tool step running the call (approvals are posted to it), once known. */
  stepId?: string;
  state: ToolCardState;
  result?: string;
  truncated?: boolean;
  durationMs?: number;
  /** While waiting: when the approval expires (ISO time). */
  expiresAt?: string;
  /** What the call printed while running (live only; the result holds it once the call ends). */
  output?: OutputChunk[];
  outputCut?: boolean;
  /** The files the call wrote (a chart, a CSV). */
  files?: FileRef[];
}

/** A step's stored `metadata.files` as file references (the fields the engine writes, checked). */
export function storedFiles(value: unknown): FileRef[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const files: FileRef[] = [];
  for (const f of value) {
    if (!f || typeof f !== "object") continue;
    const r = f as Record<string, unknown>;
    const id = str(r.id);
    if (!id) continue;
    files.push({
      id,
      name: str(r.name) ?? "file",
      media_type: str(r.media_type) ?? str(r.mediaType) ?? "application/octet-stream",
      size: typeof r.size === "number" ? r.size : 0,
    });
  }
  return files.length ? files : undefined;
}

/** Whether a card's call is still open. */
export function cardOpen(card: ToolCard): boolean {
  return card.state === "running" || card.state === "waiting";
}

/** Arguments or a result as shown: indented JSON when it parses, else the text as it is. */
export function prettyJson(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return text;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return text;
  }
}

function meta(step: Step): Record<string, unknown> {
  return step.metadata ?? {};
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function storedState(step: Step | undefined): ToolCardState {
  if (!step) return "running";
  switch (step.status) {
    case "waiting":
      return "waiting";
    case "queued":
    case "running":
      return "running";
    default:
      // The outcome names why a call ended (denied, timeout…); a step without one says it plainly.
      return str(meta(step).outcome) ?? (step.status === "completed" ? "ok" : step.status);
  }
}

/**
 * The stored cards of one answer step: its message's calls in the order made (or, before the
 * message is fetched, its tool steps in call order), each with its step's state and its result.
 */
export function storedCards(
  message: Message | undefined,
  toolSteps: Step[],
  results: Map<string, Message>,
): ToolCard[] {
  const stepByCall = new Map<string, Step>();
  for (const s of toolSteps) {
    const callId = str(meta(s).call_id);
    if (callId) stepByCall.set(callId, s);
  }
  const calls =
    message?.tool_calls ??
    toolSteps
      .slice()
      .sort((a, b) => Number(meta(a).index ?? 0) - Number(meta(b).index ?? 0))
      .map((s) => ({ id: str(meta(s).call_id) ?? s.id, name: str(meta(s).name) ?? "tool", arguments: str(meta(s).arguments) ?? "" }));
  return calls.map((call) => {
    const step = stepByCall.get(call.id);
    const state = storedState(step);
    const m = step ? meta(step) : {};
    const result = results.get(call.id)?.content;
    return {
      callId: call.id,
      name: call.name,
      arguments: call.arguments,
      stepId: step?.id,
      state: result !== undefined && (state === "running" || state === "waiting") ? "ok" : state,
      result,
      truncated: typeof m.truncated === "boolean" ? m.truncated : undefined,
      durationMs: typeof m.duration_ms === "number" ? m.duration_ms : undefined,
      expiresAt: state === "waiting" ? str(m.approval_expires_at) : undefined,
      files: storedFiles(m.files),
    };
  });
}

function liveState(call: LiveToolCall): ToolCardState | undefined {
  if (call.status) return call.status;
  if (call.approval) return "waiting";
  return undefined;
}

/**
 * Stored cards overlaid by the live calls of the same answer: a live result or approval is newer
 * than the fetched conversation, and a call seen only live (not fetched yet) is added in its order.
 */
export function mergeCards(stored: ToolCard[], live: LiveToolCall[] = []): ToolCard[] {
  const cards = stored.slice();
  for (const call of live) {
    const index = cards.findIndex((c) => c.callId === call.callId);
    const current = index >= 0 ? cards[index] : undefined;
    const fromLive = liveState(call);
    // A stored end state wins over a live "waiting": the decision came after the approval event.
    const state =
      call.status ?? (current && !cardOpen(current) ? current.state : (fromLive ?? current?.state ?? "running"));
    const merged: ToolCard = {
      callId: call.callId,
      name: call.name || current?.name || "tool",
      arguments: current && current.arguments.length >= call.arguments.length ? current.arguments : call.arguments,
      stepId: call.stepId ?? current?.stepId,
      state,
      result: call.result ?? current?.result,
      truncated: call.truncated ?? current?.truncated,
      durationMs: call.durationMs ?? current?.durationMs,
      expiresAt: state === "waiting" ? (call.approval?.expiresAt ?? current?.expiresAt) : undefined,
      output: call.output ?? current?.output,
      outputCut: call.outputCut ?? current?.outputCut,
      files: call.files?.length ? call.files : current?.files,
    };
    if (index >= 0) cards[index] = merged;
    else cards.push(merged);
  }
  return cards;
}
