"use client";

import type { TransportKind } from "../lib/streamClient";
import type { Connection } from "../hooks/useChat";

const STATE_LABEL: Record<Connection["state"], string> = {
  idle: "Ready",
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  fallback: "Fallback",
  offline: "Offline",
  closed: "Closed",
};

const TRANSPORT_LABEL: Record<TransportKind, string> = {
  ws: "WebSocket",
  sse: "server-sent events",
  poll: "long-poll",
};

/** The stream's state: Live, Fallback (which transport), Reconnecting… */
export function ConnectionBadge({ conn }: { conn: Connection }) {
  const label =
    conn.state === "fallback" && conn.transport ? `Fallback (${TRANSPORT_LABEL[conn.transport]})` : STATE_LABEL[conn.state];
  return (
    <span
      className={`conn conn-${conn.state}`}
      role="status"
      data-state={conn.state}
      data-transport={conn.transport ?? ""}
      title={conn.transport ? TRANSPORT_LABEL[conn.transport] : undefined}
    >
      <span className="dot" aria-hidden="true" />
      <span className="conn-text">{label}</span>
    </span>
  );
}
