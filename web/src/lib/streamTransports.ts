// The stream client's transports: a WebSocket, server-sent events, long-poll. Each opens one
// connection and reports to the client's handlers (opened, a frame, failed); the client decides
// what comes next (src/lib/streamClient.ts).

import { traceparent as makeTraceparent } from "./trace";
import type { StreamClientDeps, StreamClientOptions, TransportKind } from "./streamTypes";

/** WebSocket subprotocol of the Grizz stream; the engine selects it. */
export const WS_PROTOCOL = "grizz.v1";

export interface Connection {
  kind: TransportKind;
  close(): void;
  /** The WebSocket's: sends a frame while it is open; false otherwise. */
  send?: (s: string) => boolean;
}

/** What a connection reports; each call is ignored once the connection is stale (`alive()` false). */
export interface Handlers {
  open(): void;
  frame(raw: unknown, sseId?: string): void;
  fail(): void;
  alive(): boolean;
}

/** What the transports read: the client's dependencies and options, and its cursor as it is now. */
export interface TransportContext {
  deps: StreamClientDeps;
  opts: StreamClientOptions;
  cursor(): string | null;
}

function httpBase(opts: StreamClientOptions): string {
  return (opts.baseUrl ?? "").replace(/\/$/, "");
}

function wsBase(opts: StreamClientOptions): string {
  if (opts.wsBaseUrl) return opts.wsBaseUrl.replace(/\/$/, "");
  const base = httpBase(opts);
  if (base) return base.replace(/^http/, "ws");
  const loc = (globalThis as { location?: Location }).location;
  if (loc && loc.host) return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}`;
  return "";
}

function eventsPath(opts: StreamClientOptions): string {
  return `/api/v1/conversations/${encodeURIComponent(opts.conversationId)}/events`;
}

export function openWebSocket(ctx: TransportContext, h: Handlers, token: string | null): Connection {
  const { deps, opts } = ctx;
  const Ctor = deps.WebSocket!;
  let url = `${wsBase(opts)}/ws/chat/${encodeURIComponent(opts.conversationId)}`;
  const cursor = ctx.cursor();
  if (cursor) url += `?last_event_id=${encodeURIComponent(cursor)}`;
  // The token travels as a subprotocol (browsers cannot set headers on a WebSocket).
  const ws = token === null ? new Ctor(url) : new Ctor(url, [WS_PROTOCOL, `bearer.${token}`]);
  let isOpen = false;
  const openTimer = deps.setTimeout(() => {
    if (!isOpen) h.fail();
  }, opts.openTimeoutMs ?? 8000);
  ws.onopen = () => {
    isOpen = true;
    deps.clearTimeout(openTimer);
    h.open();
  };
  ws.onmessage = (ev) => h.frame(ev.data);
  ws.onerror = () => h.fail();
  ws.onclose = (ev) => {
    // 1008 (policy): the engine refused the token (or the origin); renew it before the retry.
    if (token !== null && ev?.code === 1008) deps.auth?.rejected?.(token);
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
      deps.clearTimeout(openTimer);
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      ws.close(1000, "client closing");
    },
  };
}

export function openEventSource(ctx: TransportContext, h: Handlers, ticket: string | null): Connection {
  const { deps, opts } = ctx;
  const Ctor = deps.EventSource!;
  const query: string[] = [];
  if (ticket !== null) query.push(`ticket=${encodeURIComponent(ticket)}`);
  const cursor = ctx.cursor();
  if (cursor) query.push(`after=${encodeURIComponent(cursor)}`);
  const url = `${httpBase(opts)}${eventsPath(opts)}${query.length ? "?" + query.join("&") : ""}`;
  const es = new Ctor(url);
  let isOpen = false;
  const openTimer = deps.setTimeout(() => {
    if (!isOpen) h.fail();
  }, opts.openTimeoutMs ?? 8000);
  es.onopen = () => {
    isOpen = true;
    deps.clearTimeout(openTimer);
    h.open();
  };
  es.onmessage = (ev) => {
    if (!isOpen) {
      isOpen = true;
      deps.clearTimeout(openTimer);
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
      deps.clearTimeout(openTimer);
      es.onopen = es.onmessage = es.onerror = null;
      es.close();
    },
  };
}

export function openPoll(ctx: TransportContext, h: Handlers, firstToken: string | null): Connection {
  const { deps, opts } = ctx;
  const fetchFn = deps.fetch!;
  const auth = deps.auth;
  let token = firstToken;
  let first = true;
  const Abort = (globalThis as { AbortController?: typeof AbortController }).AbortController;
  let controller: AbortController | null = null;
  const wait = opts.pollWait ?? "25s";
  const loop = async () => {
    while (h.alive()) {
      let url = `${httpBase(opts)}${eventsPath(opts)}?wait=${encodeURIComponent(wait)}`;
      const cursor = ctx.cursor();
      if (cursor) url += `&after=${encodeURIComponent(cursor)}`;
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
          traceparent: (deps.traceparent ?? makeTraceparent)(),
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
