"use client";

// The open conversation's event stream (src/hooks/useChat.ts): one stream client per open
// conversation, its events into the live answers, its state into the connection; and a live
// step whose place the events cannot tell fetched, once.

import { useEffect, useRef } from "react";
import type { Dispatch, SetStateAction } from "react";
import { apiBase, plainError, streamAuth } from "../lib/api";
import { applyEvent } from "../lib/answers";
import { browserDeps, StreamClient, type ConnectionState, type TransportKind } from "../lib/streamClient";
import { transportOrder } from "../lib/url";
import type { OpenConversation } from "./useOpenConversation";

export type Connection = { state: ConnectionState | "idle"; transport: TransportKind | null };

export function useConversationStream(
  open: OpenConversation,
  sending: boolean,
  setConn: Dispatch<SetStateAction<Connection>>,
  setError: (e: string | null) => void,
  loadList: () => Promise<void>,
) {
  const { currentId, convRef, settled, live, setLive, askedRef, loadConversation, scheduleRefetch } = open;
  const clientRef = useRef<StreamClient | null>(null);

  // One stream client per open conversation.
  useEffect(() => {
    if (!currentId) {
      setConn({ state: "idle", transport: null });
      return;
    }
    // Opening a conversation fetches it (nothing else tells its past); one this client just made
    // is the create call's answer.
    if (convRef.current?.id !== currentId) void loadConversation(currentId);
    const id = currentId;
    const client = new StreamClient(
      {
        conversationId: id,
        baseUrl: apiBase(),
        transports: transportOrder(),
        onEvent: (event) => {
          // The events are the source of truth: a finished step is written into the conversation
          // from them (settle), never fetched again. The list is, for its order and titles.
          setLive((prev) => applyEvent(prev, event));
          if (event.type === "step.finished" && !event.data.continues) void loadList();
        },
        onState: (state, transport) => setConn({ state, transport }),
        onFrame: (frame) => {
          // Error frames carry the code in data (older engines) or at the top level.
          const code = frame.type === "error" ? (frame.data?.code ?? frame.code) : undefined;
          if (code) {
            const src = frame.data?.code ? frame.data : frame;
            setError(plainError(code, src.message, src.details));
          }
        },
        onResync: () => {
          // Events were missed (the log moved past this client's cursor): only a fetch knows them.
          setLive({});
          askedRef.current = new Set();
          scheduleRefetch(id);
        },
      },
      { ...browserDeps(), auth: streamAuth() },
    );
    clientRef.current = client;
    client.start();
    const online = () => client.nudge();
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("online", online);
      client.stop();
      if (clientRef.current === client) clientRef.current = null;
    };
  }, [currentId, loadConversation, loadList, scheduleRefetch, setError]);

  // A live step whose place the events cannot tell (not posted here, not a tool turn's follow-up:
  // a message sent from another tab) is fetched, once. A post under way places its own steps.
  useEffect(() => {
    if (!currentId || !settled || sending) return;
    const known = new Set(settled.steps.map((st) => st.id));
    const unplaced = Object.values(live).filter(
      (a) => !known.has(a.stepId) && !askedRef.current.has(a.stepId) && !a.toolCalls.some((c) => c.stepId === a.stepId),
    );
    if (!unplaced.length) return;
    for (const a of unplaced) askedRef.current.add(a.stepId);
    scheduleRefetch(currentId);
  }, [currentId, settled, live, sending, scheduleRefetch]);

  return clientRef;
}
