// The shared fetch helper of the REST modules (src/lib/*Api.ts): each call with a fresh W3C
// traceparent header and the session's bearer token (src/lib/session.ts), refreshed once and
// retried once when the engine says the token expired.

import { traceparent } from "./trace";
import { ApiError, apiBase, errorFromResponse, readJson } from "./errors";
import { getSession } from "./session";

/** 401 codes after which a fresh token may help: refresh once and retry once. */
const RETRY_AFTER_REFRESH = new Set(["token_expired", "invalid_token"]);

/** A body that is JSON text already (a file's): sent as it is, not serialised again. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The error of a call that never reached the engine. */
export function networkError(): ApiError {
  return new ApiError(0, "network", "The engine could not be reached.");
}

/** The path of a conversation's resource. */
export const conv = (id: string) => `/api/v1/conversations/${encodeURIComponent(id)}`;

/** One JSON call, with the token when there is one. */
export async function send(method: string, path: string, body: unknown, token: string | null): Promise<Response> {
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
    throw networkError();
  }
}

/**
 * Makes an attempt with the session's access token; on 401 token_expired/invalid_token (read by
 * `body401`) it refreshes the token once and makes the attempt again; another 401 is thrown.
 */
export async function withRefresh<R extends { status: number; statusText?: string }>(
  attempt: (token: string | null) => Promise<R>,
  body401: (res: R) => Promise<any>,
): Promise<R> {
  const session = getSession();
  let token = await session.accessToken();
  let res = await attempt(token);
  if (res.status === 401) {
    const json = await body401(res);
    if (!RETRY_AFTER_REFRESH.has(json?.error?.code)) throw errorFromResponse(res, json);
    token = await session.onUnauthorized(token);
    res = await attempt(token);
  }
  return res;
}

/** A 429 whose body says no wait: the Retry-After header's seconds, if it has them. */
function withRetryAfter(e: ApiError, res: Response): ApiError {
  const header = Number(res.headers?.get?.("Retry-After"));
  if (res.status !== 429 || !(header > 0) || Number(e.details?.retry_after_seconds) > 0) return e;
  return new ApiError(e.status, e.code, e.message, e.traceId, { ...(e.details ?? {}), retry_after_seconds: header });
}

/** A call with the session's bearer token; on 401 token_expired/invalid_token it refreshes once and retries once. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await withRefresh((token) => send(method, path, body, token), (r) => readJson(r));
  if (res.status === 204) return undefined as T;
  const json = await readJson(res);
  if (!res.ok) throw withRetryAfter(errorFromResponse(res, json), res);
  return json as T;
}

/** A fetch of a path that is not JSON (a file's bytes) with the bearer token; refreshed and retried once on 401. */
export async function authorizedFetch(method: string, path: string): Promise<Response> {
  const go = async (token: string | null) => {
    const headers: Record<string, string> = { traceparent: traceparent() };
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await fetch(apiBase() + path, { method, headers, cache: "no-store" });
    } catch {
      throw networkError();
    }
  };
  const res = await withRefresh(go, (r) => readJson(r.clone()));
  if (!res.ok) throw errorFromResponse(res, await readJson(res));
  return res;
}
