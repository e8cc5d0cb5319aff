// Framework-free event stream of one conversation: WebSocket first, server-sent events when the
// WebSocket cannot connect, long-poll as the last resort. It reconnects with exponential back-off
// and jitter, resumes from the last event id, drops duplicates by (step_id, seq) and reacts to gaps.
// Every outside dependency (WebSocket, EventSource, fetch, timers, randomness, credentials) is
// injectable. With `auth`, each attempt first fetches its credential (asynchronously): the access
// token for the WebSocket (sent as the subprotocol "bearer.<token>" next to "grizz.v1") and for
// long-poll (Authorization header), a one-use ticket for server-sent events (EventSource cannot
// send headers).

import type { ChatEvent, StepEvent } from "./types";
import { traceparent as makeTraceparent } from "./trace";

export type TransportKind = "ws" | "sse" | "poll";
export type ConnectionState = "connecting" | "live" | "reconnecting" | "fallback" | "offline" | "closed";

export interface WebSocketLike {
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: { data: any }) => void) | null;
  onerror: ((ev: any) => void) | null;
  onclose: ((ev: any) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface EventSourceLike {
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: { data: string; lastEventId?: string }) => void) | null;
  onerror: ((ev: any) => void) | null;
  close(): void;
}

export interface ResponseLike {
  ok: boolean;
  status: number;
  json(): Promise<any>;
}

export type FetchLike = (url: string, init?: any) => Promise<ResponseLike>;

/** Credentials for the stream. */
export interface StreamAuth {
  /** A valid access token. */
  token(): Promise<string>;
  /** A short-lived ticket for the server-sent events URL (POST /api/v1/stream-tickets). */
  ticket(): Promise<string>;
  /** The engine refused this token (socket closed with 1008, long-poll 401): renew it. */
  rejected?(token: string): void;
}

/** WebSocket subprotocol of the Grizz stream; the engine selects it. */
export const WS_PROTOCOL = "grizz.v1";

export interface StreamClientDeps {
  WebSocket?: new (url: string, protocols?: string | string[]) => WebSocketLike;
  EventSource?: new (url: string) => EventSourceLike;
  fetch?: FetchLike;
  setTimeout: (fn: () => void, ms: number) => unknown;
  clearTimeout: (handle: any) => void;
  random: () => number;
  isOnline?: () => boolean;
  traceparent?: () => string;
  /** Absent: connect without credentials (an engine without authentication). */
  auth?: StreamAuth;
}

export interface StreamClientOptions {
  conversationId: string;
  /** Origin of the API, e.g. "http://localhost:8080"; empty means the page's own origin. */
  baseUrl?: string;
  /** Origin for the WebSocket ("ws://…"); derived from baseUrl or the page location if absent. */
  wsBaseUrl?: string;
  /** Transports in the order to try them. */
  transports?: TransportKind[];
  /** Resume after this event id (absent: from the first event of the latest answer). */
  lastEventId?: string | null;
  onEvent: (event: ChatEvent) => void;
  onState?: (state: ConnectionState, transport: TransportKind | null) => void;
  /** Frames that are not stream events: message.accepted, pong, error replies. */
  onFrame?: (frame: any) => void;
  /** The client lost track (repeated gaps, expired cursor): it restarts from the latest answer. */
  onResync?: () => void;
  /** A WebSocket or event source that neither opens nor fails within this time counts as failed. */
  openTimeoutMs?: number;
  /** Long-poll wait parameter. */
  pollWait?: string;
  backoffBaseMs?: number;
  backoffCapMs?: number;
}

export const DEFAULT_TRANSPORTS: TransportKind[] = ["ws", "sse", "poll"];
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

/**
 * Delay before reconnect attempt `attempt` (0-based): an exponential ceiling
 * min(cap, base * 2^attempt), of which a random half is jitter ("equal jitter"), so the delay
 * lies in [ceiling / 2, ceiling] and never exceeds the cap.
 */
export function backoffDelay(
  attempt: number,
  random: () => number,
  baseMs = BACKOFF_BASE_MS,
  capMs = BACKOFF_CAP_MS,
): number {
  const ceiling = Math.min(capMs, baseMs * Math.pow(2, Math.max(0, Math.min(attempt, 30))));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
}

/** Compares two event ids of the form "<millis>-<n>". */
export function compareEventIds(a: string, b: string): number {
  const [am, an] = a.split("-").map((x) => Number(x));
  const [bm, bn] = b.split("-").map((x) => Number(x));
  if (am !== bm) return (am || 0) - (bm || 0);
  return (an || 0) - (bn || 0);
}

interface Connection {
  kind: TransportKind;
  close(): void;
}

/** How many failures to open, in a row, before moving to the next transport. */
const UNPROVEN_FAILURES = 1;
const PROVEN_FAILURES = 3;
/** Gaps in a row (without progress) before giving up on resuming and restarting the stream. */
const GAPS_BEFORE_RESYNC = 2;

export class StreamClient {
  private readonly deps: StreamClientDeps;
  private readonly opts: StreamClientOptions;
  private readonly transports: TransportKind[];
  private index = 0;
  private readonly proven = new Set<TransportKind>();
  private openFailures = 0;
  private attempt = 0;
  private generation = 0;
  private connection: Connection | null = null;
  private timer: unknown = null;
  private stopped = true;
  private gapStreak = 0;
  private cursor: string | null;
  private readonly stepSeq = new Map<string, number>();
  private stateValue: ConnectionState = "closed";
  private transportValue: TransportKind | null = null;

  constructor(opts: StreamClientOptions, deps: StreamClientDeps) {
    this.opts = opts;
    this.deps = deps;
    const wanted = opts.transports && opts.transports.length ? opts.transports : DEFAULT_TRANSPORTS;
    this.transports = wanted.filter((t) => this.available(t));
    if (this.transports.length === 0) this.transports = ["poll"];
    this.cursor = opts.lastEventId ?? null;
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  get transport(): TransportKind | null {
    return this.transportValue;
  }

  /** The id of the last event delivered in order: where a reconnect resumes. */
  get lastEventId(): string | null {
    return this.cursor;
  }

  /** Highest seq delivered for a step. */
  lastSeq(stepId: string): number | undefined {
    return this.stepSeq.get(stepId);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.setState("connecting", null);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
    this.teardown();
    this.setState("closed", null);
  }

  /** Reconnect now if waiting out a back-off (e.g. the browser came back online). */
  nudge(): void {
    if (this.stopped || this.connection) return;
    this.clearTimer();
    this.connect();
  }

  /** Sends a frame over the WebSocket if that is the live transport; false otherwise. */
  send(frame: object): boolean {
    const c = this.connection as (Connection & { send?: (s: string) => boolean }) | null;
    if (c && c.kind === "ws" && c.send) return c.send(JSON.stringify(frame));
    return false;
  }

  // --- connection management -------------------------------------------------------------

  private available(kind: TransportKind): boolean {
    if (kind === "ws") return !!this.deps.WebSocket;
    if (kind === "sse") return !!this.deps.EventSource;
    return !!this.deps.fetch;
  }

  private setState(state: ConnectionState, transport: TransportKind | null): void {
    if (state === this.stateValue && transport === this.transportValue) return;
    this.stateValue = state;
    this.transportValue = transport;
    this.opts.onState?.(state, transport);
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.deps.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private teardown(): void {
    this.generation++;
    const c = this.connection;
    this.connection = null;
    if (c) {
      try {
        c.close();
      } catch {
        // already closed
      }
    }
  }

  private connect(): void {
    this.timer = null;
    if (this.stopped) return;
    this.teardown();
    const gen = this.generation;
    const kind = this.transports[this.index];
    let opened = false;
    let failed = false;
    const handlers = {
      open: () => {
        if (gen !== this.generation || opened) return;
        opened = true;
        this.proven.add(kind);
        this.openFailures = 0;
        this.attempt = 0;
        this.setState(kind === "ws" ? "live" : "fallback", kind);
      },
      frame: (raw: unknown, sseId?: string) => {
        if (gen !== this.generation) return;
        this.handleFrame(raw, sseId);
      },
      fail: () => {
        if (gen !== this.generation || failed) return;
        failed = true;
        this.onFailure(opened);
      },
      alive: () => gen === this.generation,
    };
    const open = (credential: string | null) => {
      try {
        if (kind === "ws") this.connection = this.openWebSocket(handlers, credential);
        else if (kind === "sse") this.connection = this.openEventSource(handlers, credential);
        else this.connection = this.openPoll(handlers, credential);
      } catch {
        this.connection = null;
        handlers.fail();
      }
    };
    const auth = this.deps.auth;
    if (!auth) {
      open(null);
      return;
    }
    // Fetch the credential first. A placeholder connection keeps nudge() from starting a second
    // attempt meanwhile; stop() or a newer attempt makes this one stale (generation check).
    this.connection = { kind, close: () => {} };
    Promise.resolve()
      .then(() => (kind === "sse" ? auth.ticket() : auth.token()))
      .then(
        (credential) => {
          if (gen !== this.generation || this.stopped) return;
          if (typeof credential !== "string" || !credential) throw new Error("no credential");
          this.connection = null;
          open(credential);
        },
        () => {
          // No token or ticket: a failed attempt to connect (back-off and fall-back as usual).
          if (gen !== this.generation || this.stopped) return;
          this.connection = null;
          handlers.fail();
        },
      )
      .catch(() => {
        if (gen !== this.generation || this.stopped) return;
        this.connection = null;
        handlers.fail();
      });
  }

  private onFailure(opened: boolean): void {
    this.teardown();
    if (this.stopped) return;
    const kind = this.transports[this.index];
    if (!opened) {
      this.openFailures++;
      const limit = this.proven.has(kind) ? PROVEN_FAILURES : UNPROVEN_FAILURES;
      if (this.openFailures >= limit) {
        this.openFailures = 0;
        if (this.index + 1 < this.transports.length) {
          // Fall back to the next transport at once.
          this.index++;
          this.setState("reconnecting", null);
          this.connect();
          return;
        }
        // Every transport failed: wait, then start over from the first.
        this.index = 0;
      }
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const online = this.deps.isOnline ? this.deps.isOnline() : true;
    this.setState(online ? "reconnecting" : "offline", null);
    const delay = backoffDelay(
      this.attempt,
      this.deps.random,
      this.opts.backoffBaseMs ?? BACKOFF_BASE_MS,
      this.opts.backoffCapMs ?? BACKOFF_CAP_MS,
    );
    this.attempt++;
    this.clearTimer();
    this.timer = this.deps.setTimeout(() => this.connect(), delay);
  }

  // --- events --------------------------------------------------------------------------

  private handleFrame(raw: unknown, sseId?: string): void {
    let frame: any = raw;
    if (typeof raw === "string") {
      try {
        frame = JSON.parse(raw);
      } catch {
        return;
      }
    }
    if (!frame || typeof frame !== "object" || typeof frame.type !== "string") return;
    if (!frame.id && sseId) frame.id = sseId;
    if (typeof frame.step_id !== "string" || typeof frame.seq !== "number") {
      // Not a step event: replies and errors of the socket.
      if (frame.type === "error" && (frame.data?.code ?? frame.code) === "invalid_cursor") {
        this.resync();
        return;
      }
      this.opts.onFrame?.(frame);
      return;
    }
    const event = frame as StepEvent;
    const last = this.stepSeq.get(event.step_id);
    if (last !== undefined && event.seq <= last) return; // duplicate
    const from =
      event.type === "message.delta" && typeof event.data?.seq_from === "number" ? event.data.seq_from : event.seq;
    const expected = last === undefined ? 1 : last + 1;
    if (from > expected) {
      this.onGap();
      return;
    }
    if (from < expected) {
      // A merged delta overlapping text already shown: it cannot be split, so start over.
      this.resync();
      return;
    }
    this.stepSeq.set(event.step_id, event.seq);
    if (event.id && (!this.cursor || compareEventIds(event.id, this.cursor) > 0)) {
      this.cursor = event.id;
    }
    this.gapStreak = 0;
    this.opts.onEvent(event);
  }

  private onGap(): void {
    this.gapStreak++;
    if (this.gapStreak > GAPS_BEFORE_RESYNC) {
      this.resync();
      return;
    }
    // Resume right after the last event delivered in order: the missing ones come again and
    // those already seen are dropped as duplicates.
    this.teardown();
    if (this.gapStreak === 1) this.connect();
    else this.scheduleReconnect();
  }

  private resync(): void {
    this.gapStreak = 0;
    this.cursor = null;
    this.stepSeq.clear();
    this.teardown();
    this.opts.onResync?.();
    if (!this.stopped) this.scheduleReconnect();
  }

  // --- transports ------------------------------------------------------------------------

  private httpBase(): string {
    return (this.opts.baseUrl ?? "").replace(/\/$/, "");
  }

  private wsBase(): string {
    if (this.opts.wsBaseUrl) return this.opts.wsBaseUrl.replace(/\/$/, "");
    const base = this.httpBase();
    if (base) return base.replace(/^http/, "ws");
    const loc = (globalThis as { location?: Location }).location;
    if (loc && loc.host) return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}`;
    return "";
  }

  private eventsPath(): string {
    return `/api/v1/conversations/${encodeURIComponent(this.opts.conversationId)}/events`;
  }

  private openWebSocket(h: Handlers, token: string | null): Connection & { send: (s: string) => boolean } {
    const Ctor = this.deps.WebSocket!;
    let url = `${this.wsBase()}/ws/chat/${encodeURIComponent(this.opts.conversationId)}`;
    if (this.cursor) url += `?last_event_id=${encodeURIComponent(this.cursor)}`;
    // The token travels as a subprotocol (browsers cannot set headers on a WebSocket).
    const ws = token === null ? new Ctor(url) : new Ctor(url, [WS_PROTOCOL, `bearer.${token}`]);
    let isOpen = false;
    const openTimer = this.deps.setTimeout(() => {
      if (!isOpen) h.fail();
    }, this.opts.openTimeoutMs ?? 8000);
    ws.onopen = () => {
      isOpen = true;
      this.deps.clearTimeout(openTimer);
      h.open();
    };
    ws.onmessage = (ev) => h.frame(ev.data);
    ws.onerror = () => h.fail();
    ws.onclose = (ev) => {
      // 1008 (policy): the engine refused the token (or the origin); renew it before the retry.
      if (token !== null && ev?.code === 1008) this.deps.auth?.rejected?.(token);
      h.fail();
    };
    return {
      kind: "ws",
      send: (s: string) => {
        if (!isOpen) return false;
        try {
          ws.send(s);
          return true;
        } catch {
          return false;
        }
      },
      close: () => {
        this.deps.clearTimeout(openTimer);
        ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
        ws.close(1000, "client closing");
      },
    };
  }

  private openEventSource(h: Handlers, ticket: string | null): Connection {
    const Ctor = this.deps.EventSource!;
    const query: string[] = [];
    if (ticket !== null) query.push(`ticket=${encodeURIComponent(ticket)}`);
    if (this.cursor) query.push(`after=${encodeURIComponent(this.cursor)}`);
    const url = `${this.httpBase()}${this.eventsPath()}${query.length ? "?" + query.join("&") : ""}`;
    const es = new Ctor(url);
    let isOpen = false;
    const openTimer = this.deps.setTimeout(() => {
      if (!isOpen) h.fail();
    }, this.opts.openTimeoutMs ?? 8000);
    es.onopen = () => {
      isOpen = true;
      this.deps.clearTimeout(openTimer);
      h.open();
    };
    es.onmessage = (ev) => {
      if (!isOpen) {
        isOpen = true;
        this.deps.clearTimeout(openTimer);
        h.open();
      }
      h.frame(ev.data, ev.lastEventId || undefined);
    };
    // The browser's own retry would resume with the header; we close and resume ourselves so one
    // back-off policy and one cursor rule apply.
    es.onerror = () => h.fail();
    return {
      kind: "sse",
      close: () => {
        this.deps.clearTimeout(openTimer);
        es.onopen = es.onmessage = es.onerror = null;
        es.close();
      },
    };
  }

  private openPoll(h: Handlers, firstToken: string | null): Connection {
    const fetchFn = this.deps.fetch!;
    const auth = this.deps.auth;
    let token = firstToken;
    let first = true;
    const Abort = (globalThis as { AbortController?: typeof AbortController }).AbortController;
    let controller: AbortController | null = null;
    const wait = this.opts.pollWait ?? "25s";
    const loop = async () => {
      while (h.alive()) {
        let url = `${this.httpBase()}${this.eventsPath()}?wait=${encodeURIComponent(wait)}`;
        if (this.cursor) url += `&after=${encodeURIComponent(this.cursor)}`;
        controller = Abort ? new Abort() : null;
        let events: unknown;
        try {
          // The first request uses the token fetched to connect; later ones ask again (cached
          // until it is about to expire).
          if (auth && !first) token = await auth.token();
          first = false;
          if (!h.alive()) return;
          const headers: Record<string, string> = {
            Accept: "application/json",
            traceparent: (this.deps.traceparent ?? makeTraceparent)(),
          };
          if (token !== null) headers.Authorization = `Bearer ${token}`;
          const res = await fetchFn(url, {
            headers,
            signal: controller?.signal,
            cache: "no-store",
          });
          if (!h.alive()) return;
          if (!res.ok) {
            if (res.status === 401 && token !== null) auth?.rejected?.(token);
            if (res.status === 400) {
              const body = await res.json().catch(() => null);
              if (body?.error?.code === "invalid_cursor") {
                h.frame({ type: "error", data: { code: "invalid_cursor" } });
                return;
              }
            }
            h.fail();
            return;
          }
          events = await res.json();
        } catch {
          if (h.alive()) h.fail();
          return;
        }
        if (!h.alive()) return;
        h.open();
        if (Array.isArray(events)) {
          for (const e of events) {
            if (!h.alive()) return;
            h.frame(e);
          }
        }
      }
    };
    void loop();
    return {
      kind: "poll",
      close: () => {
        try {
          controller?.abort();
        } catch {
          // ignore
        }
      },
    };
  }
}

interface Handlers {
  open(): void;
  frame(raw: unknown, sseId?: string): void;
  fail(): void;
  alive(): boolean;
}

/** Dependencies from the browser. */
export function browserDeps(): StreamClientDeps {
  const g = globalThis as any;
  return {
    WebSocket: g.WebSocket,
    EventSource: g.EventSource,
    fetch: g.fetch ? (url: string, init?: any) => g.fetch(url, init) : undefined,
    setTimeout: (fn, ms) => g.setTimeout(fn, ms),
    clearTimeout: (h) => g.clearTimeout(h),
    random: Math.random,
    isOnline: () => (g.navigator ? g.navigator.onLine !== false : true),
  };
}
