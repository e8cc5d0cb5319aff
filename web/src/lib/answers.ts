// Pure reducer: the live state of each answer (llm step) built from stream events.

import type { ChatEvent } from "./types";

export interface LiveUsage {
  provider?: string;
  model?: string;
  prompt_tokens?: number;
  completion_tokens?: number;
  usage_cents?: number;
  estimated?: boolean;
}

export interface LiveAnswer {
  stepId: string;
  text: string;
  status: "running" | "completed" | "failed" | "cancelled";
  finished: boolean;
  model?: string;
  usage?: LiveUsage;
  error?: { code: string; message: string };
  /** The content policy blocked this answer (its top category): the text is not shown. */
  blocked?: string;
  messageId?: string;
  /** Order in which the answer was first seen, for steps not yet in the fetched conversation. */
  order: number;
}

export type LiveAnswers = Record<string, LiveAnswer>;

function base(state: LiveAnswers, stepId: string): LiveAnswer {
  return (
    state[stepId] ?? {
      stepId,
      text: "",
      status: "running",
      finished: false,
      order: Object.keys(state).length,
    }
  );
}

export function applyEvent(state: LiveAnswers, event: ChatEvent): LiveAnswers {
  const stepId = event.step_id;
  if (!stepId) return state;
  const data = event.data ?? {};
  const prev = base(state, stepId);
  let next: LiveAnswer = prev;
  switch (event.type) {
    case "step.started":
      next = { ...prev, status: "running", finished: false, model: data.model ?? prev.model };
      break;
    case "step.restarted":
      next = { ...prev, text: "", status: "running", finished: false, error: undefined };
      break;
    case "message.delta":
      next = { ...prev, text: prev.text + (typeof data.text === "string" ? data.text : "") };
      break;
    case "message.completed":
      next = {
        ...prev,
        text: typeof data.text === "string" ? data.text : prev.text,
        messageId: data.message_id ?? prev.messageId,
        status: prev.status === "running" ? "completed" : prev.status,
      };
      break;
    case "usage":
      next = {
        ...prev,
        usage: {
          provider: data.provider,
          model: data.model,
          prompt_tokens: data.prompt_tokens,
          completion_tokens: data.completion_tokens,
          usage_cents: data.usage_cents,
          estimated: data.estimated,
        },
      };
      break;
    case "step.cancelled":
      next = { ...prev, status: "cancelled" };
      break;
    case "step.failed":
      next = {
        ...prev,
        status: "failed",
        error: { code: String(data.code ?? "error"), message: String(data.message ?? "") },
      };
      break;
    case "moderation.blocked":
      next = { ...prev, blocked: String(data.category ?? "policy") };
      break;
    case "error":
      next = {
        ...prev,
        error: { code: String(data.code ?? "error"), message: String(data.message ?? "") },
      };
      break;
    case "step.finished": {
      const status = data.status;
      next = {
        ...prev,
        finished: true,
        status:
          status === "completed" || status === "failed" || status === "cancelled"
            ? status
            : prev.status === "running"
              ? "completed"
              : prev.status,
      };
      break;
    }
    default:
      return state;
  }
  return { ...state, [stepId]: next };
}
