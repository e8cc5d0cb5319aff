// REST calls to the engine, each with a fresh W3C traceparent header.

import { traceparent } from "./trace";
import type {
  Conversation,
  ConversationPage,
  ConversationSummary,
  ModelsResponse,
  PostedMessage,
} from "./types";

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly traceId?: string;
  readonly details?: Record<string, any>;

  constructor(status: number, code: string, message: string, traceId?: string, details?: any) {
    super(message);
    this.status = status;
    this.code = code;
    this.traceId = traceId;
    this.details = details;
  }
}

/** API origin: window.GRIZZ_API_BASE if set, otherwise the page's own origin. */
export function apiBase(): string {
  const g = globalThis as { GRIZZ_API_BASE?: string };
  return typeof g.GRIZZ_API_BASE === "string" ? g.GRIZZ_API_BASE.replace(/\/$/, "") : "";
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", traceparent: traceparent() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(apiBase() + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "network", "The engine could not be reached.");
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = json?.error;
    throw new ApiError(
      res.status,
      err?.code ?? `http_${res.status}`,
      err?.message ?? res.statusText,
      err?.trace_id,
      err?.details,
    );
  }
  return json as T;
}

const conv = (id: string) => `/api/v1/conversations/${encodeURIComponent(id)}`;

export const api = {
  listConversations: (cursor?: string | null, limit = 20) =>
    request<ConversationPage>(
      "GET",
      `/api/v1/conversations?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    ),
  createConversation: (body: { title?: string; message?: string; model?: string }) =>
    request<Conversation>("POST", "/api/v1/conversations", body),
  getConversation: (id: string) => request<Conversation>("GET", conv(id)),
  renameConversation: (id: string, title: string) =>
    request<ConversationSummary>("PATCH", conv(id), { title }),
  deleteConversation: (id: string) => request<void>("DELETE", conv(id)),
  postMessage: (id: string, body: { content: string; model?: string; client_msg_id?: string }) =>
    request<PostedMessage>("POST", `${conv(id)}/messages`, body),
  cancelStep: (id: string, stepId: string) =>
    request<unknown>("POST", `${conv(id)}/steps/${encodeURIComponent(stepId)}/cancel`),
  models: () => request<ModelsResponse>("GET", "/api/v1/models"),
};

/** An error in plain words for people. */
export function plainError(code: string, message?: string, details?: Record<string, any>): string {
  switch (code) {
    case "rate_limited":
      return "You are sending messages too quickly. Wait a moment and try again.";
    case "budget_exceeded": {
      let s = "Your spending limit has been reached.";
      if (details?.resets_at) s += ` It resets ${new Date(details.resets_at).toLocaleString()}.`;
      return s;
    }
    case "content_too_large":
      return "That message is too long. Shorten it and try again.";
    case "content_empty":
      return "The message is empty.";
    case "unknown_model":
      return "That model is not available. Pick another one.";
    case "not_found":
      return "This conversation no longer exists.";
    case "upstream_unavailable":
      return "The language model is not answering right now. Try again in a moment.";
    case "moderation_blocked":
      return "This message was blocked by the content policy.";
    case "network":
      return "The engine could not be reached. Check your connection.";
    case "cancelled":
      return "The answer was stopped.";
    default:
      return message ? `Something went wrong: ${message}` : "Something went wrong.";
  }
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return plainError(e.code, e.message, e.details);
  return plainError("unknown", e instanceof Error ? e.message : String(e));
}
