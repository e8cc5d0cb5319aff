// REST calls to the engine, each with a fresh W3C traceparent header and the session's bearer
// token (src/lib/session.ts).

import { traceparent } from "./trace";
import type {
  ConversationSettings,
  Conversation,
  ConversationPage,
  ConversationSummary,
  ModelsResponse,
  PostedMessage,
  ToolInfo,
} from "./types";

import { ApiError, apiBase, errorFromResponse, readJson } from "./errors";
import { getSession, type SessionUser, type StoredSession } from "./session";
import type { StreamAuth } from "./streamClient";

export { ApiError, apiBase };

/** 401 codes after which a fresh token may help: refresh once and retry once. */
const RETRY_AFTER_REFRESH = new Set(["token_expired", "invalid_token"]);

async function send(method: string, path: string, body: unknown, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", traceparent: traceparent() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(apiBase() + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "network", "The engine could not be reached.");
  }
}

/** A call with the session's bearer token; on 401 token_expired/invalid_token it refreshes once and retries once. */
async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const session = getSession();
  let token = await session.accessToken();
  let res = await send(method, path, body, token);
  if (res.status === 401) {
    const json = await readJson(res);
    const code = json?.error?.code;
    if (!RETRY_AFTER_REFRESH.has(code)) throw errorFromResponse(res, json);
    token = await session.onUnauthorized(token);
    res = await send(method, path, body, token);
  }
  if (res.status === 204) return undefined as T;
  const json = await readJson(res);
  if (!res.ok) throw errorFromResponse(res, json);
  return json as T;
}

export interface Me extends SessionUser {
  limits?: { messages_per_minute?: number };
}

const conv = (id: string) => `/api/v1/conversations/${encodeURIComponent(id)}`;

export const api = {
  listConversations: (cursor?: string | null, limit = 20) =>
    request<ConversationPage>(
      "GET",
      `/api/v1/conversations?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    ),
  createConversation: (body: { title?: string; message?: string; model?: string; images?: string[] }) =>
    request<Conversation>("POST", "/api/v1/conversations", body),
  getConversation: (id: string) => request<Conversation>("GET", conv(id)),
  renameConversation: (id: string, title: string) =>
    request<ConversationSummary>("PATCH", conv(id), { title }),
  updateSettings: (id: string, settings: ConversationSettings) =>
    request<ConversationSummary>("PATCH", conv(id), { settings }),
  deleteConversation: (id: string) => request<void>("DELETE", conv(id)),
  postMessage: (
    id: string,
    body: { content: string; model?: string; client_msg_id?: string; images?: string[] },
  ) =>
    request<PostedMessage>("POST", `${conv(id)}/messages`, body),
  cancelStep: (id: string, stepId: string) =>
    request<unknown>("POST", `${conv(id)}/steps/${encodeURIComponent(stepId)}/cancel`),
  /** Approve or deny a tool call waiting on its step; 409 approval_not_pending once it no longer waits. */
  decideToolCall: (id: string, stepId: string, approve: boolean) =>
    request<unknown>("POST", `${conv(id)}/steps/${encodeURIComponent(stepId)}/approval`, { approve }),
  tools: () => request<{ tools: ToolInfo[] }>("GET", "/api/v1/tools").then((r) => r.tools ?? []),
  models: () => request<ModelsResponse>("GET", "/api/v1/models"),
  me: () => request<Me>("GET", "/api/v1/me"),
  /** A one-minute ticket for the server-sent events URL (EventSource cannot send headers). */
  streamTicket: () =>
    request<{ ticket: string; expires_in?: number }>("POST", "/api/v1/stream-tickets").then((t) => {
      if (!t || typeof t.ticket !== "string") throw new ApiError(200, "bad_response", "No stream ticket.");
      return t.ticket;
    }),
  login: (email: string, password: string): Promise<StoredSession> => getSession().login(email, password),
  signUp: (email: string, password: string, displayName?: string): Promise<StoredSession> =>
    getSession().signUp(email, password, displayName),
  /** Forgets the stored session and starts a new anonymous one. */
  logout: (): Promise<StoredSession> => getSession().logout(),
};

/** Credentials for the stream client, from the page's session. */
export function streamAuth(): StreamAuth {
  const session = getSession();
  return {
    token: () => session.accessToken(),
    ticket: () => api.streamTicket(),
    rejected: (token) => {
      void session.onUnauthorized(token).catch(() => undefined);
    },
  };
}

/** An error in plain words for people. */
export function plainError(code: string, message?: string, details?: Record<string, any>): string {
  switch (code) {
    case "rate_limited": {
      const wait = Number(details?.retry_after_seconds);
      return wait > 0
        ? `You are sending messages too quickly. Wait ${Math.ceil(wait)} s and try again.`
        : "You are sending messages too quickly. Wait a moment and try again.";
    }
    case "unauthenticated":
    case "invalid_token":
    case "token_expired":
      return "Your session ended. Reload the page.";
    case "account_suspended":
      return "This account is suspended.";
    case "invalid_credentials":
      return "Wrong email or password.";
    case "email_taken":
      return "An account with this email already exists.";
    case "weak_password":
      return "Use at least 10 characters.";
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
