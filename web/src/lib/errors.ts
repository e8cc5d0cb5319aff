// The engine's error shape: {"error": {"code", "message", "trace_id", "details"?}}, and errors in
// plain words for people.

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

/** Reads a response body as JSON (null when empty or not JSON). */
export async function readJson(res: { text(): Promise<string> }): Promise<any> {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** The ApiError for a failed response and its parsed body. */
export function errorFromResponse(res: { status: number; statusText?: string }, json: any): ApiError {
  const err = json?.error;
  return new ApiError(
    res.status,
    err?.code ?? `http_${res.status}`,
    err?.message ?? res.statusText ?? "",
    err?.trace_id,
    err?.details,
  );
}

/** API origin: window.GRIZZ_API_BASE if set, otherwise the page's own origin. */
export function apiBase(): string {
  const g = globalThis as { GRIZZ_API_BASE?: string };
  return typeof g.GRIZZ_API_BASE === "string" ? g.GRIZZ_API_BASE.replace(/\/$/, "") : "";
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
