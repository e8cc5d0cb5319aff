// Framework-free event stream of one conversation: WebSocket first, server-sent events when the
// WebSocket cannot connect, long-poll as the last resort. It reconnects with exponential back-off
// and jitter, resumes from the last event id, drops duplicates by (step_id, seq) and reacts to gaps.
// Every outside dependency (WebSocket, EventSource, fetch, timers, randomness, credentials) is
// injectable. With `auth`, each attempt first fetches its credential (asynchronously): the access
// token for the WebSocket (sent as the subprotocol "bearer.<token>" next to "grizz.v1") and for
// long-poll (Authorization header), a one-use ticket for server-sent events (EventSource cannot
// send headers).

import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, ReconnectPolicy } from "./streamBackoff";
import { decodeFrame, EventOrder, isInvalidCursor, isStepEvent } from "./streamFrames";
import { openEventSource, openPoll, openWebSocket, type Connection, type Handlers } from "./streamTransports";
import {
  DEFAULT_TRANSPORTS,
  type ConnectionState,
  type StreamClientDeps,
  type StreamClientOptions,
  type TransportKind,
} from "./streamTypes";

// The pieces, under the names this module has always exported.
export * from "./streamTypes";
export { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelay } from "./streamBackoff";
export { compareEventIds } from "./streamFrames";
export { browserDeps, WS_PROTOCOL } from "./streamTransports";

/** Gaps in a row (without progress) before giving up on resuming and restarting the stream. */
const GAPS_BEFORE_RESYNC = 2;

export class StreamClient {
  private readonly deps: StreamClientDeps;
  private readonly opts: StreamClientOptions;
  private readonly policy: ReconnectPolicy;
  private generation = 0;
  private connection: Connection | null = null;
  private timer: unknown = null;
  private stopped = true;
  private gapStreak = 0;
  private readonly order: EventOrder;
  private stateValue: ConnectionState = "closed";
  private transportValue: TransportKind | null = null;

  constructor(opts: StreamClientOptions, deps: StreamClientDeps) {
    this.opts = opts;
    this.deps = deps;
    const wanted = opts.transports && opts.transports.length ? opts.transports : DEFAULT_TRANSPORTS;
    let transports = wanted.filter((t) => this.available(t));
    if (transports.length === 0) transports = ["poll"];
    this.policy = new ReconnectPolicy(transports);
    this.order = new EventOrder(opts.lastEventId ?? null);
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  get transport(): TransportKind | null {
    return this.transportValue;
  }

  /** The id of the last event delivered in order: where a reconnect resumes. */
  get lastEventId(): string | null {
    return this.order.cursor;
  }

  /** Highest seq delivered for a step. */
  lastSeq(stepId: string): number | undefined {
    return this.order.lastSeq(stepId);
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
    const c = this.connection;
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
    const kind = this.policy.current;
    let opened = false;
    let failed = false;
    const handlers: Handlers = {
      open: () => {
        if (gen !== this.generation || opened) return;
        opened = true;
        this.policy.opened(kind);
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
    const ctx = { deps: this.deps, opts: this.opts, cursor: () => this.order.cursor };
    const open = (credential: string | null) => {
      try {
        if (kind === "ws") this.connection = openWebSocket(ctx, handlers, credential);
        else if (kind === "sse") this.connection = openEventSource(ctx, handlers, credential);
        else this.connection = openPoll(ctx, handlers, credential);
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
    if (this.policy.failed(opened) === "next") {
      // Fall back to the next transport at once.
      this.setState("reconnecting", null);
      this.connect();
      return;
    }
    // Back off (after every transport failed, the next attempt starts over from the first).
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const online = this.deps.isOnline ? this.deps.isOnline() : true;
    this.setState(online ? "reconnecting" : "offline", null);
    const delay = this.policy.nextDelay(
      this.deps.random,
      this.opts.backoffBaseMs ?? BACKOFF_BASE_MS,
      this.opts.backoffCapMs ?? BACKOFF_CAP_MS,
    );
    this.clearTimer();
    this.timer = this.deps.setTimeout(() => this.connect(), delay);
  }

  // --- events --------------------------------------------------------------------------

  private handleFrame(raw: unknown, sseId?: string): void {
    const frame = decodeFrame(raw, sseId);
    if (!frame) return;
    if (!isStepEvent(frame)) {
      // Not a step event: replies and errors of the socket.
      if (isInvalidCursor(frame)) {
        this.resync();
        return;
      }
      this.opts.onFrame?.(frame);
      return;
    }
    switch (this.order.accept(frame)) {
      case "duplicate":
        return;
      case "gap":
        this.onGap();
        return;
      case "overlap":
        // A merged delta overlapping text already shown: it cannot be split, so start over.
        this.resync();
        return;
      case "next":
        this.gapStreak = 0;
        this.opts.onEvent(frame);
    }
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
    this.order.reset();
    this.teardown();
    this.opts.onResync?.();
    if (!this.stopped) this.scheduleReconnect();
  }
}
