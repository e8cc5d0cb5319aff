// The stream client's vocabulary (src/lib/streamClient.ts): its transports and states, what it
// needs from outside (WebSocket, EventSource, fetch, timers, randomness, credentials: all
// injectable) and its options.

import type { ChatEvent } from "./types";

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
