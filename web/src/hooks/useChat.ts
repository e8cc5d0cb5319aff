"use client";

// The chat's state between the stream client and the components (as the AI SDK's useChat keeps
// state apart from transport and rendering): the conversation list, the open conversation with
// its live answers, the connection, and the actions (send, stop, open, rename, delete). The
// components only render what it returns and call its actions. Its parts: useOpenConversation
// (the open conversation and its loading), useConversationStream (its stream client),
// useQueuedStops, useChatActions; the pure helpers in lib/chatError.ts.

import { useCallback, useEffect, useMemo, useState } from "react";
import { api } from "../lib/api";
import { buildTurns } from "../lib/turns";
import { isOutage } from "../lib/outage";
import { chatError, type ChatError } from "../lib/chatError";
import { useOutage } from "./useOutage";
import { useSessionUser } from "./useSessionUser";
import { useConversationList } from "./useConversationList";
import { useOpenConversation } from "./useOpenConversation";
import { useConversationStream, type Connection } from "./useConversationStream";
import { useQueuedStops } from "./useQueuedStops";
import { useChatActions } from "./useChatActions";
import { setUrlConversation } from "../lib/url";

export { chatError, titleFrom, type ChatError } from "../lib/chatError";
export type { Connection } from "./useConversationStream";

export function useChat() {
  const [conn, setConn] = useState<Connection>({ state: "idle", transport: null });
  const [error, setErrorState] = useState<ChatError | null>(null);
  const [sending, setSending] = useState(false);
  /** A regenerate or an edit is under way: its answer's place is known once the conversation is fetched again. */
  const [branching, setBranching] = useState(false);

  const setError = useCallback((e: string | ChatError | null) => {
    setErrorState(typeof e === "string" ? { text: e } : e);
  }, []);
  // Up again after the stream dropped (or a call failed): reconnect at once, send a queued Stop,
  // clear the outage's errors (if a probe found the engine down) and reload.
  const { outage, setOutage, retryNow } = useOutage(conn.state === "reconnecting" || conn.state === "offline", (wasDown) => {
    if (wasDown) setErrorState((e) => (e?.outage ? null : e));
    clientRef.current?.nudge();
    sendQueuedStops();
    if (conversation.currentRef.current) scheduleRefetch(conversation.currentRef.current);
    else void loadList();
  });
  /** A failed call: its error in plain words; an unreachable engine starts the outage notice. */
  const fail = useCallback(
    (e: unknown) => {
      setError(chatError(e));
      if (isOutage(e)) setOutage(true);
    },
    [setError],
  );

  const list = useConversationList(fail);
  const { loadList } = list;

  const conversation = useOpenConversation(setError, fail, loadList);
  const { currentId, select, scheduleRefetch, settled, live, pending } = conversation;

  // Another user (sign-in, sign-out, a new guest) has other conversations.
  const user = useSessionUser(
    useCallback(() => {
      select(null);
      list.clear();
      setUrlConversation(null, false);
      void loadList();
    }, [loadList, select, list.clear]),
  );

  const clientRef = useConversationStream(conversation, sending, setConn, setError, loadList);

  const { stopQueued, queueStop, sendQueuedStops } = useQueuedStops(setError);
  // Live again (the stream got through before a probe did): the outage is over.
  useEffect(() => {
    if (conn.state !== "live" && conn.state !== "fallback") return;
    setOutage(false);
    setErrorState((e) => (e?.outage ? null : e));
    sendQueuedStops();
  }, [conn.state, setOutage, sendQueuedStops]);

  // While a regenerate or an edit is under way, its answer's first events would otherwise show it
  // at the end of the old branch until the conversation is fetched again.
  const turns = useMemo(() => buildTurns(settled, live, pending, { hideUnplaced: branching }), [settled, live, pending, branching]);
  // An answer runs until its turn's last step ends (not at the first step.finished of a turn with tools).
  const running = useMemo(() => turns.flatMap((t) => t.answers).filter((a) => a.running), [turns]);
  const streaming = running.length > 0 || sending;

  const actions = useChatActions({
    conversation,
    list,
    running,
    outage,
    setOutage,
    queueStop,
    setError,
    fail,
    setSending,
    setBranching,
  });

  return {
    user,
    conversations: list.conversations,
    nextCursor: list.nextCursor,
    currentId,
    conv: settled,
    setConv: conversation.setConv,
    turns,
    running,
    streaming,
    conn,
    outage,
    stopQueued,
    retryNow: () => {
      clientRef.current?.nudge();
      retryNow();
    },
    error,
    setError,
    open: actions.open,
    openAt: actions.openAt,
    search: api.searchConversations,
    send: actions.send,
    stop: actions.stop,
    decideToolCall: actions.decideToolCall,
    switchVersion: actions.switchVersion,
    regenerate: actions.regenerate,
    edit: actions.edit,
    rate: actions.rate,
    trace: actions.trace,
    rename: actions.rename,
    remove: actions.remove,
    loadMore: list.loadMore,
    loadList,
    listFiles: actions.listFiles,
    uploadFile: actions.uploadFile,
  };
}
