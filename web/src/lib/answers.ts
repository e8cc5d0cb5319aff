// Pure reducer: the live state of each answer (llm step) built from stream events.

import type { ChatEvent, FileRef, MemoryUsed } from "./types";

/** Live output of a running call is kept up to this many characters (the newest); the rest is cut. */
export const MAX_LIVE_OUTPUT = 20_000;

/** A piece of a running call's output, from one stream. */
export interface OutputChunk {
  stream: "stdout" | "stderr";
  text: string;
}

/** The chunks with `chunk` appended, keeping only the newest MAX_LIVE_OUTPUT characters. */
export function appendOutput(
  chunks: OutputChunk[] = [],
  chunk: OutputChunk,
  cut = false,
): { chunks: OutputChunk[]; cut: boolean } {
  const last = chunks[chunks.length - 1];
  const next =
    last && last.stream === chunk.stream
      ? [...chunks.slice(0, -1), { stream: last.stream, text: last.text + chunk.text }]
      : [...chunks, chunk];
  let total = next.reduce((n, c) => n + c.text.length, 0);
  while (total > MAX_LIVE_OUTPUT && next.length) {
    const over = total - MAX_LIVE_OUTPUT;
    const first = next[0];
    if (first.text.length <= over) {
      next.shift();
      total -= first.text.length;
    } else {
      next[0] = { stream: first.stream, text: first.text.slice(over) };
      total -= over;
    }
    cut = true;
  }
  return { chunks: next, cut };
}

export interface LiveUsage {
  provider?: string;
  model?: string;
  /** Null when the provider did not report it (missing is not zero). */
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  usage_cents?: number;
  estimated?: boolean;
  memories_used?: MemoryUsed[];
}

/** A tool call of an answer, as its events arrive (arguments stream; the result comes later). */
export interface LiveToolCall {
  callId: string;
  name: string;
  arguments: string;
  /** The tool step that runs the call, once it has sent an event. */
  stepId?: string;
  /** Set while the call waits for the user's approval. */
  approval?: { expiresAt: string };
  status?: string;
  result?: string;
  truncated?: boolean;
  durationMs?: number;
  /** What the call printed while it ran (tool.output), newest MAX_LIVE_OUTPUT characters. */
  output?: OutputChunk[];
  /** True when older output was dropped to keep within MAX_LIVE_OUTPUT. */
  outputCut?: boolean;
  /** The files the call wrote (a chart), from its result. */
  files?: FileRef[];
}

export interface LiveAnswer {
  stepId: string;
  text: string;
  /** A thinking model's reasoning, shown apart from the answer. */
  reasoning: string;
  status: "running" | "completed" | "failed" | "cancelled";
  finished: boolean;
  model?: string;
  usage?: LiveUsage;
  error?: { code: string; message: string };
  /** The content policy blocked this answer (its top category): the text is not shown. */
  blocked?: string;
  messageId?: string;
  /** The tools this answer called, in the order the model called them. */
  toolCalls: LiveToolCall[];
  /** False when more steps of the turn follow this one (it called tools). */
  endsTurn: boolean;
  /** Order in which the answer was first seen, for steps not yet in the fetched conversation. */
  order: number;
}

export type LiveAnswers = Record<string, LiveAnswer>;

function base(state: LiveAnswers, stepId: string): LiveAnswer {
  return (
    state[stepId] ?? {
      stepId,
      text: "",
      reasoning: "",
      status: "running",
      finished: false,
      toolCalls: [],
      endsTurn: true,
      order: Object.keys(state).length,
    }
  );
}

/** The answer holding a tool call, when the call's own step reports on it. */
function withCall(
  state: LiveAnswers,
  callId: string,
  change: (call: LiveToolCall) => LiveToolCall,
): LiveAnswers | null {
  for (const answer of Object.values(state)) {
    const index = answer.toolCalls.findIndex((c) => c.callId === callId);
    if (index >= 0) {
      const toolCalls = answer.toolCalls.slice();
      toolCalls[index] = change(toolCalls[index]);
      return { ...state, [answer.stepId]: { ...answer, toolCalls } };
    }
  }
  return null;
}

export function applyEvent(state: LiveAnswers, event: ChatEvent): LiveAnswers {
  const stepId = event.step_id;
  if (!stepId) return state;
  // A tool step's events belong to the answer that made the call; without it (its events came
  // before this client's cursor) the tool step holds the call itself.
  if (event.type === "tool.approval" || event.type === "tool.result" || event.type === "tool.output") {
    const data = event.data;
    const change = (call: LiveToolCall): LiveToolCall => {
      switch (event.type) {
        case "tool.approval":
          return { ...call, stepId, approval: { expiresAt: event.data.expires_at } };
        case "tool.output": {
          const text = typeof event.data.text === "string" ? event.data.text : "";
          const stream = event.data.stream === "stderr" ? "stderr" : "stdout";
          const { chunks, cut } = appendOutput(call.output, { stream, text }, call.outputCut);
          return { ...call, stepId, approval: undefined, output: chunks, outputCut: cut || undefined };
        }
        case "tool.result":
          return {
            ...call,
            stepId,
            approval: undefined,
            status: event.data.status,
            result: event.data.result,
            truncated: event.data.truncated,
            durationMs: event.data.duration_ms,
            files: Array.isArray(event.data.files) ? event.data.files : call.files,
          };
      }
    };
    const found = withCall(state, data.call_id, change);
    if (found) return found;
    const own = base(state, stepId);
    const call = change({ callId: data.call_id, name: "name" in data ? data.name : "", arguments: "" });
    return { ...state, [stepId]: { ...own, toolCalls: [...own.toolCalls, call] } };
  }
  // A tool step's end is told by its call's tool.result: it is not an answer of its own.
  if (!state[stepId] && Object.values(state).some((a) => a.toolCalls.some((c) => c.stepId === stepId))) return state;
  const prev = base(state, stepId);
  let next: LiveAnswer = prev;
  // Exhaustive over the union: a new event type fails to compile until it is handled here.
  switch (event.type) {
    case "step.started":
      next = { ...prev, status: "running", finished: false, model: event.data.model ?? prev.model };
      break;
    case "step.model":
      next = { ...prev, model: event.data.model };
      break;
    case "step.restarted":
      next = { ...prev, text: "", reasoning: "", status: "running", finished: false, error: undefined };
      break;
    case "message.delta":
      next = { ...prev, text: prev.text + (typeof event.data.text === "string" ? event.data.text : "") };
      break;
    case "reasoning.delta":
      next = {
        ...prev,
        reasoning: prev.reasoning + (typeof event.data.text === "string" ? event.data.text : ""),
      };
      break;
    case "message.completed":
      next = {
        ...prev,
        text: typeof event.data.text === "string" ? event.data.text : prev.text,
        messageId: event.data.message_id ?? prev.messageId,
        status: prev.status === "running" ? "completed" : prev.status,
      };
      break;
    case "usage": {
      const usage = event.data;
      next = {
        ...prev,
        usage: {
          provider: usage.provider,
          model: usage.model,
          prompt_tokens: usage.prompt_tokens,
          completion_tokens: usage.completion_tokens,
          usage_cents: usage.usage_cents,
          estimated: usage.estimated,
          ...(usage.memories_used?.length ? { memories_used: usage.memories_used } : {}),
        },
      };
      break;
    }
    case "step.cancelled":
      next = { ...prev, status: "cancelled" };
      break;
    case "step.failed":
      next = {
        ...prev,
        status: "failed",
        error: { code: String(event.data.code ?? "error"), message: String(event.data.message ?? "") },
      };
      break;
    case "moderation.blocked":
      next = { ...prev, blocked: String(event.data.category ?? "policy") };
      break;
    case "error":
      next = {
        ...prev,
        error: { code: String(event.data.code ?? "error"), message: String(event.data.message ?? "") },
      };
      break;
    case "tool.call": {
      const data = event.data;
      const toolCalls = prev.toolCalls.slice();
      const index = toolCalls.findIndex((c) => c.callId === data.call_id);
      if (index >= 0) {
        toolCalls[index] = { ...toolCalls[index], arguments: toolCalls[index].arguments + data.arguments };
      } else {
        toolCalls.push({ callId: data.call_id, name: data.name, arguments: data.arguments });
      }
      next = { ...prev, toolCalls };
      break;
    }
    case "step.finished": {
      const status = event.data.status;
      next = {
        ...prev,
        finished: true,
        endsTurn: !event.data.continues,
        status:
          status === "completed" || status === "failed" || status === "cancelled"
            ? status
            : prev.status === "running"
              ? "completed"
              : prev.status,
      };
      break;
    }
    default: {
      // An engine newer than this client may send types it does not know: they change nothing.
      const unknown: never = event;
      void unknown;
      return state;
    }
  }
  return { ...state, [stepId]: next };
}
