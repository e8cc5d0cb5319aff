// REST calls to the engine, each with a fresh W3C traceparent header and the session's bearer
// token (src/lib/session.ts).

import { traceparent } from "./trace";
import type {
  AnswerTrace,
  Share,
  SharedConversation,
  ConversationSettings,
  Conversation,
  ConversationPage,
  ConversationSummary,
  FileRef,
  ModelsResponse,
  PostedMessage,
  Rating,
  Regenerated,
  StepFeedback,
  ToolInfo,
} from "./types";

import { ApiError, apiBase, errorFromResponse, readJson } from "./errors";
import type { MemoryApi, MemoryItem, MemoryModeName, MemoryModeView } from "../components/MemoryPanel";
import type { ImportResult } from "../components/ImportPanel";
import { getSession, type SessionUser, type StoredSession } from "./session";
import type { StreamAuth } from "./streamClient";
import type { SearchHit } from "./search";

export { ApiError, apiBase };

/** 401 codes after which a fresh token may help: refresh once and retry once. */
const RETRY_AFTER_REFRESH = new Set(["token_expired", "invalid_token"]);

/** A body that is JSON text already (a file's): sent as it is, not serialised again. */
export class RawJson {
  constructor(readonly text: string) {}
}

async function send(method: string, path: string, body: unknown, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", traceparent: traceparent() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(apiBase() + path, {
      method,
      headers,
      body: body === undefined ? undefined : body instanceof RawJson ? body.text : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, "network", "The engine could not be reached.");
  }
}

/** A 429 whose body says no wait: the Retry-After header's seconds, if it has them. */
function withRetryAfter(e: ApiError, res: Response): ApiError {
  const header = Number(res.headers?.get?.("Retry-After"));
  if (res.status !== 429 || !(header > 0) || Number(e.details?.retry_after_seconds) > 0) return e;
  return new ApiError(e.status, e.code, e.message, e.traceId, { ...(e.details ?? {}), retry_after_seconds: header });
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
  if (!res.ok) throw withRetryAfter(errorFromResponse(res, json), res);
  return json as T;
}

/** A fetch of a path that is not JSON (a file's bytes) with the bearer token; refreshed and retried once on 401. */
async function authorizedFetch(method: string, path: string): Promise<Response> {
  const session = getSession();
  const go = async (token: string | null) => {
    const headers: Record<string, string> = { traceparent: traceparent() };
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetch(apiBase() + path, { method, headers, cache: "no-store" });
    } catch {
      throw new ApiError(0, "network", "The engine could not be reached.");
    }
  };
  let token = await session.accessToken();
  let res = await go(token);
  if (res.status === 401) {
    const json = await readJson(res.clone());
    if (!RETRY_AFTER_REFRESH.has(json?.error?.code)) throw errorFromResponse(res, json);
    token = await session.onUnauthorized(token);
    res = await go(token);
  }
  if (!res.ok) throw errorFromResponse(res, await readJson(res));
  return res;
}

/** A file of a conversation, as the files API lists it. */
export interface ConversationFile extends FileRef {
  conversation_id: string;
  origin: "upload" | "sandbox" | (string & {});
  created_at: string;
  url?: string;
}

/** The upload limit the engine enforces by default (GRIZZ_MAX_UPLOAD_BYTES). */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

/** One upload over XMLHttpRequest (fetch reports no upload progress). */
function xhrUpload(
  url: string,
  token: string | null,
  file: Blob,
  onProgress?: (fraction: number) => void,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("traceparent", traceparent());
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(new ApiError(0, "network", "The engine could not be reached."));
    xhr.send(file);
  });
}

/** Uploads a file into a conversation (its code interpreter sees it in /mnt/data). */
async function uploadFile(
  conversationId: string,
  file: File,
  onProgress?: (fraction: number) => void,
): Promise<ConversationFile> {
  const session = getSession();
  const url = `${apiBase()}${conv(conversationId)}/files?name=${encodeURIComponent(file.name || "file")}`;
  const parse = (text: string) => readJson({ text: async () => text });
  let token = await session.accessToken();
  let res = await xhrUpload(url, token, file, onProgress);
  if (res.status === 401) {
    const json = await parse(res.text);
    if (!RETRY_AFTER_REFRESH.has(json?.error?.code)) throw errorFromResponse(res, json);
    token = await session.onUnauthorized(token);
    res = await xhrUpload(url, token, file, onProgress);
  }
  const json = await parse(res.text);
  if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, json);
  return json as ConversationFile;
}

/** Why an upload failed, in plain words. */
export function uploadErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 413) return "file too large (max 16 MiB)";
    if (e.code === "invalid_file_name") return "the file name is not allowed";
    if (e.code === "not_found") return "the conversation no longer exists";
    if (e.code === "network") return "the engine could not be reached";
  }
  return errorText(e);
}

export interface Me extends SessionUser {
  limits?: { messages_per_minute?: number };
}

const conv = (id: string) => `/api/v1/conversations/${encodeURIComponent(id)}`;

/** The file name a download was sent with (Content-Disposition), else the fallback. */
export function fileNameOf(disposition: string | null | undefined, fallback: string): string {
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition ?? "");
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ""));
    } catch {
      /* the plain name below */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition ?? "");
  return plain ? plain[1].trim() : fallback;
}

export const api = {
  shares: {
    create: (id: string) => request<Share>("POST", `${conv(id)}/shares`),
    list: (id: string) => request<{ items: Share[] }>("GET", `${conv(id)}/shares`).then((r) => r.items ?? []),
    revoke: (id: string, shareId: string) =>
      request<void>("DELETE", `${conv(id)}/shares/${encodeURIComponent(shareId)}`),
  },
  /** A shared conversation, for anyone with its token (no bearer is sent). */
  shared: async (token: string): Promise<SharedConversation> => {
    const res = await send("GET", `/api/v1/shared/${encodeURIComponent(token)}`, undefined, null);
    const json = await readJson(res);
    if (!res.ok) throw errorFromResponse(res, json);
    return json as SharedConversation;
  },
  /** The shown branch as a file (markdown or JSON), with the name the engine gives it. */
  exportConversation: async (id: string, format: "markdown" | "json") => {
    const res = await authorizedFetch("GET", `${conv(id)}/export?format=${format}`);
    const name = fileNameOf(res.headers.get("Content-Disposition"), `conversation-${id}.${format === "markdown" ? "md" : "json"}`);
    return { name, blob: await res.blob() };
  },
  searchConversations: (q: string, limit = 20) =>
    request<{ items: SearchHit[] }>(
      "GET",
      `/api/v1/conversations/search?q=${encodeURIComponent(q)}&limit=${limit}`,
    ).then((r) => r.items ?? []),
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
    body: { content: string; model?: string; client_msg_id?: string; images?: string[]; parent_step_id?: string },
  ) =>
    request<PostedMessage>("POST", `${conv(id)}/messages`, body),
  /** Shows the branch through a step (the newest leaf under it). */
  switchBranch: (id: string, stepId: string) =>
    request<{ active_step_id?: string | null }>("PATCH", conv(id), { active_step_id: stepId }),
  /** A new version of an answer (its first llm step); 409 step_running while its turn runs. */
  regenerate: (id: string, stepId: string, model?: string) =>
    request<Regenerated>("POST", `${conv(id)}/steps/${encodeURIComponent(stepId)}/regenerate`, model ? { model } : {}),
  /** How an answer was made: its steps with model, provider, fallbacks, tokens, cost and times. */
  trace: (id: string, stepId: string) =>
    request<AnswerTrace>("GET", `${conv(id)}/steps/${encodeURIComponent(stepId)}/trace`),
  rate: (id: string, stepId: string, rating: Rating | null) =>
    request<{ step_id: string; feedback: StepFeedback | null }>(
      "PUT",
      `${conv(id)}/steps/${encodeURIComponent(stepId)}/feedback`,
      { rating },
    ),
  cancelStep: (id: string, stepId: string) =>
    request<unknown>("POST", `${conv(id)}/steps/${encodeURIComponent(stepId)}/cancel`),
  /** Approve or deny a tool call waiting on its step; 409 approval_not_pending once it no longer waits. */
  decideToolCall: (id: string, stepId: string, approve: boolean) =>
    request<unknown>("POST", `${conv(id)}/steps/${encodeURIComponent(stepId)}/approval`, { approve }),
  tools: () => request<{ tools: ToolInfo[] }>("GET", "/api/v1/tools").then((r) => r.tools ?? []),
  models: () => request<ModelsResponse>("GET", "/api/v1/models"),
  me: () => request<Me>("GET", "/api/v1/me"),
  uploadFile,
  listFiles: (id: string) =>
    request<{ items: ConversationFile[] }>("GET", `${conv(id)}/files`).then((r) => r.items ?? []),
  /** A file's bytes (an <img src> cannot carry the bearer token: show it through a blob: URL). */
  fileBlob: (fileId: string) =>
    authorizedFetch("GET", `/api/v1/files/${encodeURIComponent(fileId)}`).then((r) => r.blob()),
  deleteFile: (fileId: string) => request<void>("DELETE", `/api/v1/files/${encodeURIComponent(fileId)}`),
  /** Imports a ChatGPT export's conversations.json (its text, sent as it is). */
  importChatGpt: (json: string) => request<ImportResult>("POST", "/api/v1/conversations/import", new RawJson(json)),
  /** The caller's long-term memories and memory mode. */
  memories: {
    list: () => request<{ items: MemoryItem[] }>("GET", "/api/v1/memories").then((r) => r.items ?? []),
    add: (content: string) => request<MemoryItem>("POST", "/api/v1/memories", { content }),
    update: (id: string, change: { content?: string; status?: "active" }) =>
      request<MemoryItem>("PATCH", `/api/v1/memories/${encodeURIComponent(id)}`, change),
    remove: (id: string) => request<void>("DELETE", `/api/v1/memories/${encodeURIComponent(id)}`),
    mode: () => request<MemoryModeView>("GET", "/api/v1/memories/settings"),
    setMode: (mode: MemoryModeName) => request<MemoryModeView>("PUT", "/api/v1/memories/settings", { mode }),
  } satisfies MemoryApi,
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
    case "step_running":
      return "Wait for the answer to finish first.";
    default:
      return message ? `Something went wrong: ${message}` : "Something went wrong.";
  }
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return plainError(e.code, e.message, e.details);
  return plainError("unknown", e instanceof Error ? e.message : String(e));
}
