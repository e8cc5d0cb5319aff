// Session manager: an access token (short-lived) and a refresh token, kept in localStorage under
// "grizz.session" so a reload keeps the same (anonymous or signed-in) user and its conversations.
//
// accessToken() returns a token with more than 30 s left: the cached one, else a refreshed one
// (single-flight: concurrent callers share one refresh), else — the refresh token was refused —
// a new anonymous session. fetch, storage and the clock are injectable.

import { ApiError, apiBase, errorFromResponse, readJson } from "./errors";
import { traceparent as makeTraceparent } from "./trace";

export const SESSION_KEY = "grizz.session";
/** A cached access token is used only while it has more than this left. */
export const MIN_VALIDITY_MS = 30_000;

export interface SessionUser {
  id: string;
  kind: "anonymous" | "user" | "admin" | string;
  email?: string;
  display_name?: string;
}

/** The engine's answer to POST /api/v1/sessions, /sessions/refresh and /accounts. */
export interface SessionResponse {
  access_token: string;
  token_type?: string;
  expires_in: number;
  refresh_token: string;
  refresh_expires_in?: number;
  user: SessionUser;
}

export interface StoredSession {
  access_token: string;
  refresh_token: string;
  /** Epoch millis when the access token expires (as told by expires_in on receipt). */
  access_expires_at: number;
  refresh_expires_at?: number;
  user: SessionUser;
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SessionResponseLike {
  ok: boolean;
  status: number;
  statusText?: string;
  text(): Promise<string>;
}

export type SessionFetch = (url: string, init: any) => Promise<SessionResponseLike>;

export interface SessionDeps {
  fetch: SessionFetch;
  /** null: keep the session in memory only. */
  storage?: StorageLike | null;
  now?: () => number;
  baseUrl?: () => string;
  traceparent?: () => string;
}

export type SessionListener = (session: StoredSession | null) => void;

export class SessionManager {
  private readonly deps: SessionDeps;
  private session: StoredSession | null = null;
  private pending: Promise<StoredSession> | null = null;
  private readonly listeners = new Set<SessionListener>();

  constructor(deps: SessionDeps) {
    this.deps = deps;
    this.session = this.read();
  }

  /** The session as known now (possibly with an expired access token), or null. */
  current(): StoredSession | null {
    this.sync();
    return this.session;
  }

  user(): SessionUser | null {
    return this.current()?.user ?? null;
  }

  /** Called with the new session whenever it changes (refresh, new anonymous user, sign-in/out). */
  subscribe(fn: SessionListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** A valid access token (> 30 s left): cached, refreshed, or from a new anonymous session. */
  async accessToken(): Promise<string> {
    if (this.pending) return (await this.pending).access_token;
    this.sync();
    if (this.fresh(this.session)) return this.session!.access_token;
    return (await this.renew()).access_token;
  }

  /**
   * The engine refused `failedToken` (401 token_expired / invalid_token, or a refused socket):
   * refresh now — unless another caller already replaced that token, then use the new one.
   */
  async onUnauthorized(failedToken?: string): Promise<string> {
    if (this.pending) return (await this.pending).access_token;
    this.sync();
    const s = this.session;
    if (failedToken && s && s.access_token !== failedToken && this.fresh(s)) return s.access_token;
    return (await this.renew()).access_token;
  }

  /** Signs in with email and password (the current anonymous session is left behind). */
  async login(email: string, password: string): Promise<StoredSession> {
    await this.settle();
    const res = await this.post("/api/v1/sessions", { email, password });
    return this.adopt(res, { email });
  }

  /**
   * Creates an account. From an anonymous session the request carries its bearer, so the engine
   * upgrades that user in place and its conversations stay.
   */
  async signUp(email: string, password: string, displayName?: string): Promise<StoredSession> {
    await this.settle();
    let token: string | undefined;
    if (this.current()?.user.kind === "anonymous") token = await this.accessToken();
    const body: Record<string, string> = { email, password };
    if (displayName) body.display_name = displayName;
    const res = await this.post("/api/v1/accounts", body, token);
    return this.adopt(res, { email, display_name: displayName });
  }

  /** Forgets the stored session and starts a new anonymous one. */
  async logout(): Promise<StoredSession> {
    await this.settle();
    this.session = null;
    try {
      this.deps.storage?.removeItem(SESSION_KEY);
    } catch {
      // storage unavailable
    }
    this.emit();
    return this.renew();
  }

  // --- internals -------------------------------------------------------------------------

  private now(): number {
    return this.deps.now ? this.deps.now() : Date.now();
  }

  private fresh(s: StoredSession | null): boolean {
    return !!s && s.access_expires_at - this.now() > MIN_VALIDITY_MS;
  }

  private async settle(): Promise<void> {
    if (this.pending) await this.pending.catch(() => undefined);
  }

  private renew(): Promise<StoredSession> {
    if (!this.pending) {
      const p = this.doRenew().finally(() => {
        if (this.pending === p) this.pending = null;
      });
      this.pending = p;
    }
    return this.pending;
  }

  private async doRenew(): Promise<StoredSession> {
    const s = this.session;
    if (s?.refresh_token && !(s.refresh_expires_at && s.refresh_expires_at <= this.now())) {
      try {
        const res = await this.post("/api/v1/sessions/refresh", { refresh_token: s.refresh_token });
        return this.adopt(res, res.user?.id === s.user.id ? s.user : undefined);
      } catch (e) {
        // The refresh token was refused: start over as a new anonymous user. Anything else
        // (network, 5xx, 429) is passed on so the caller can retry later with the same session.
        if (!(e instanceof ApiError && (e.status === 401 || e.status === 400))) throw e;
      }
    }
    return this.adopt(await this.post("/api/v1/sessions", {}));
  }

  private adopt(res: SessionResponse, extra?: Partial<SessionUser>): StoredSession {
    const now = this.now();
    const user: SessionUser = { ...(extra ?? {}), ...res.user } as SessionUser;
    for (const k of ["email", "display_name"] as const) {
      if (user[k] == null && extra?.[k]) user[k] = extra[k];
    }
    const session: StoredSession = {
      access_token: res.access_token,
      refresh_token: res.refresh_token,
      access_expires_at: now + Math.max(0, Number(res.expires_in) || 0) * 1000,
      refresh_expires_at: res.refresh_expires_in ? now + res.refresh_expires_in * 1000 : undefined,
      user,
    };
    this.session = session;
    try {
      this.deps.storage?.setItem(SESSION_KEY, JSON.stringify(session));
    } catch {
      // storage full or unavailable: the session lives in memory for this page
    }
    this.emit();
    return session;
  }

  private emit(): void {
    for (const fn of [...this.listeners]) {
      try {
        fn(this.session);
      } catch {
        // a listener's problem
      }
    }
  }

  private read(): StoredSession | null {
    try {
      const raw = this.deps.storage?.getItem(SESSION_KEY);
      if (!raw) return null;
      const s = JSON.parse(raw);
      if (s && typeof s.access_token === "string" && typeof s.refresh_token === "string" && s.user?.id) {
        return s as StoredSession;
      }
    } catch {
      // unreadable: ignore
    }
    return null;
  }

  /** Picks up a session another tab stored (it may have refreshed or signed in meanwhile). */
  private sync(): void {
    const stored = this.read();
    if (!stored || (this.session && stored.access_token === this.session.access_token)) return;
    const changedUser = stored.user.id !== this.session?.user.id;
    // Same user, older token (e.g. our own newer one could not be stored): keep ours.
    if (!changedUser && stored.access_expires_at < this.session!.access_expires_at) return;
    this.session = stored;
    if (changedUser) this.emit();
  }

  private async post(path: string, body: unknown, token?: string): Promise<SessionResponse> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "Content-Type": "application/json",
      traceparent: (this.deps.traceparent ?? makeTraceparent)(),
    };
    if (token) headers.Authorization = `Bearer ${token}`;
    const base = this.deps.baseUrl ? this.deps.baseUrl() : "";
    let res: SessionResponseLike;
    try {
      res = await this.deps.fetch(base + path, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        cache: "no-store",
      });
    } catch {
      throw new ApiError(0, "network", "The engine could not be reached.");
    }
    const json = await readJson(res);
    if (!res.ok) throw errorFromResponse(res, json);
    if (!json || typeof json.access_token !== "string" || !json.user?.id) {
      throw new ApiError(res.status, "bad_response", "The engine sent no session.");
    }
    return json as SessionResponse;
  }
}

function browserStorage(): StorageLike | null {
  try {
    const ls = (globalThis as { localStorage?: StorageLike }).localStorage;
    return ls ?? null;
  } catch {
    return null; // e.g. blocked by the browser's privacy settings
  }
}

let shared: SessionManager | null = null;

/** The page's session manager (created on first use, with the browser's fetch and storage). */
export function getSession(): SessionManager {
  if (!shared) {
    shared = new SessionManager({
      fetch: (url, init) => (globalThis as any).fetch(url, init),
      storage: browserStorage(),
      baseUrl: apiBase,
    });
  }
  return shared;
}

/** Replaces the page's session manager (tests). */
export function setSession(manager: SessionManager | null): void {
  shared = manager;
}
