// The engine's error shape: {"error": {"code", "message", "trace_id", "details"?}}.

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
