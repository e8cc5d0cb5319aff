"use client";

// The chat's state between the stream client and the components (as the AI SDK's useChat keeps
// state apart from transport and rendering): the conversation list, the open conversation with
// its live answers, the connection, and the actions (send, stop, open, rename, delete). The
// components only render what it returns and call its actions.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, ApiError, apiBase, errorText, plainError, streamAuth } from "../lib/api";
import { applyEvent, type LiveAnswers } from "../lib/answers";
import { buildTurns, stepToStop } from "../lib/turns";
import { settle, withPosted } from "../lib/settle";
import { browserDeps, StreamClient, type ConnectionState, type TransportKind } from "../lib/streamClient";
import type { Conversation, Rating } from "../lib/types";
import { limitFromMessage, saveLimit, storage } from "../lib/draft";
import { isOutage } from "../lib/outage";
import { useOutage } from "./useOutage";
import { readParam, setUrlConversation, transportOrder } from "../lib/url";
import { useSessionUser } from "./useSessionUser";
import { useConversationList } from "./useConversationList";

export interface ChatError {
  text: string;
  /** The engine could not be reached: cleared once it answers again. */
  outage?: boolean;
  /** Rate limited: the time (ms since epoch) after which sending may work again. */
  retryAt?: number;
}

export type Connection = { state: ConnectionState | "idle"; transport: TransportKind | null };

function newClientMsgId(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && "randomUUID" in c) return c.randomUUID();
  return `m-${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/** The title the engine gives a conversation from its first message (ChatService.titleFrom). */
export function titleFrom(message: string): string {
  const line = message.trim().split("\n")[0].trim();
  if (line.length <= 60) return line || "New conversation";
  const cut = line.lastIndexOf(" ", 60);
  return line.slice(0, cut > 30 ? cut : 60).trim() + "…";
}

/** An error for the banner; a rate limit carries when it ends (details or Retry-After). */
export function chatError(e: unknown, now = Date.now()): ChatError {
  const text = errorText(e);
  if (e instanceof ApiError && e.code === "content_too_large") {
    const limit = limitFromMessage(e.message);
    if (limit) saveLimit(storage(), limit);
  }
  if (isOutage(e)) return { text, outage: true };
  if (e instanceof ApiError && e.code === "rate_limited") {
    const wait = Number(e.details?.retry_after_seconds);
    if (wait > 0) return { text, retryAt: now + Math.ceil(wait) * 1000 };
  }
  return { text };
}

export function useChat() {
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [conv, setConv] = useState<Conversation | null>(null);
  const convRef = useRef(conv);
  convRef.current = conv;
  const [live, setLive] = useState<LiveAnswers>({});
  const [conn, setConn] = useState<Connection>({ state: "idle", transport: null });
  const [error, setErrorState] = useState<ChatError | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  /** A regenerate or an edit is under way: its answer's place is known once the conversation is fetched again. */
  const [branching, setBranching] = useState(false);
  const clientRef = useRef<StreamClient | null>(null);
  // The conversation as fetched with what the events said since (lib/settle.ts): what is shown.
  const settled = useMemo(() => settle(conv, live), [conv, live]);
  const liveRef = useRef(live);
  liveRef.current = live;
  /** Live steps whose place is not known were asked for once (one fetch each, not one per event). */
  const askedRef = useRef<Set<string>>(new Set());
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const currentRef = useRef<string | null>(null);
  /** A conversation made empty to hold a file attached before the first message: titled by that message. */
  const madeForFilesRef = useRef<string | null>(null);
  const makingRef = useRef<Promise<string> | null>(null);

  const setError = useCallback((e: string | ChatError | null) => {
    setErrorState(typeof e === "string" ? { text: e } : e);
  }, []);
  /** Stop pressed while the engine was unreachable: sent once it answers again. */
  const [queuedStops, setQueuedStops] = useState<{ conversation: string; step: string }[]>([]);
  const queuedRef = useRef(queuedStops);
  queuedRef.current = queuedStops;
  // Up again after the stream dropped (or a call failed): reconnect at once, send a queued Stop,
  // clear the outage's errors (if a probe found the engine down) and reload.
  const { outage, setOutage, retryNow } = useOutage(conn.state === "reconnecting" || conn.state === "offline", (wasDown) => {
    if (wasDown) setErrorState((e) => (e?.outage ? null : e));
    clientRef.current?.nudge();
    sendQueuedStops();
    if (currentRef.current) scheduleRefetch(currentRef.current);
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

  const select = useCallback((id: string | null) => {
    currentRef.current = id;
    setCurrentId(id);
    setConv(null);
    setLive({});
    setPending(null);
    askedRef.current = new Set();
  }, []);

  /** Counts local changes (a rating): a fetch started before one would show the old state. */
  const changesRef = useRef(0);
  const loadConversation = useCallback(
    async (id: string): Promise<void> => {
      const changes = changesRef.current;
      try {
        const detail = await api.getConversation(id);
        if (currentRef.current !== id) return;
        // Older than a local change: fetched again, so what it brought besides is not lost.
        if (changes !== changesRef.current) return loadConversation(id);
        setConv(detail);
      } catch (e) {
        if (currentRef.current !== id) return;
        if (e instanceof ApiError && e.code === "not_found") {
          setError(plainError("not_found"));
          select(null);
          setUrlConversation(null, false);
        } else fail(e);
      }
    },
    [select, setError, fail],
  );

  const scheduleRefetch = useCallback(
    (id: string) => {
      if (refetchTimer.current) clearTimeout(refetchTimer.current);
      refetchTimer.current = setTimeout(() => {
        void loadConversation(id);
        void loadList();
      }, 150);
    },
    [loadConversation, loadList],
  );

  // Initial load: the list and the conversation from the URL; back/forward.
  useEffect(() => {
    void loadList();
    const fromUrl = readParam("c");
    if (fromUrl) select(fromUrl);
    const onPop = () => select(readParam("c"));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, [loadList, select]);

  // Another user (sign-in, sign-out, a new guest) has other conversations.
  const user = useSessionUser(
    useCallback(() => {
      select(null);
      list.clear();
      setUrlConversation(null, false);
      void loadList();
    }, [loadList, select, list.clear]),
  );

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

  const sendQueuedStops = useCallback(() => {
    const stops = queuedRef.current;
    if (!stops.length) return;
    setQueuedStops([]);
    for (const s of stops) api.cancelStep(s.conversation, s.step).catch((e) => setError(chatError(e)));
  }, [setError]);
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

  /**
   * Opens a conversation at a step (a search hit): when the step is on another branch than the
   * shown one, that branch is shown first.
   */
  const openAt = async (id: string, stepId?: string | null): Promise<boolean> => {
    try {
      if (stepId) {
        const detail = await api.getConversation(id);
        if (detail.active_branch && !detail.active_branch.includes(stepId)) await api.switchBranch(id, stepId);
      }
    } catch (e) {
      fail(e);
      return false;
    }
    if (open(id)) return true;
    await loadConversation(id);
    return false;
  };

  /** Opens a conversation (null: a new chat); false when it was already open. */
  const open = (id: string | null): boolean => {
    if (id === currentRef.current) return false;
    select(id);
    setError(null);
    setUrlConversation(id, true);
    return true;
  };

  /** The open conversation, made (empty) first when a file is attached before the first message. */
  const ensureConversation = async (): Promise<string> => {
    if (currentRef.current) return currentRef.current;
    if (!makingRef.current) {
      makingRef.current = api
        .createConversation({})
        .then((created) => {
          madeForFilesRef.current = created.id;
          currentRef.current = created.id;
          setConv(created);
          setLive({});
          setCurrentId(created.id);
          setUrlConversation(created.id, true);
          void loadList();
          return created.id;
        })
        .finally(() => {
          makingRef.current = null;
        });
    }
    return makingRef.current;
  };

  /** Sends a message; resolves false (with the error shown) when the engine refused it. */
  const send = async (content: string, images: string[], model: string): Promise<boolean> => {
    setError(null);
    setSending(true);
    setPending(content);
    const chosen = model && model !== "auto" ? model : undefined;
    try {
      if (!currentRef.current) {
        const created = await api.createConversation({
          message: content,
          model: chosen,
          ...(images.length ? { images } : {}),
        });
        currentRef.current = created.id;
        setConv(created);
        setLive({});
        setCurrentId(created.id);
        setUrlConversation(created.id, true);
        void loadList();
      } else {
        const id = currentRef.current;
        const posted = await api.postMessage(id, {
          content,
          model: chosen,
          client_msg_id: newClientMsgId(),
          ...(images.length ? { images } : {}),
        });
        if (madeForFilesRef.current === id) {
          // Made empty for a file: its first message names it, as it would have.
          madeForFilesRef.current = null;
          const title = titleFrom(content);
          await api.renameConversation(id, title).catch(() => undefined);
          list.retitle(id, title);
          setConv((c) => (c && c.id === id ? { ...c, title } : c));
        }
        // The post's answer places the message and its answer step: nothing is fetched.
        // Under the shown branch's newest step as the events left it (a tool turn's follow-up).
        setConv((c) => (c && c.id === id ? withPosted(settle(c, liveRef.current) ?? c, posted, content, images) : c));
      }
      return true;
    } catch (e) {
      setError(chatError(e));
      if (isOutage(e)) setOutage(true);
      return false;
    } finally {
      setPending(null);
      setSending(false);
    }
  };

  /** Stops the running answers; while the engine is unreachable the Stop waits and is sent when it is back. */
  const stop = async () => {
    const id = currentRef.current;
    if (!id) return;
    for (const a of running) {
      const step = stepToStop(a);
      if (outage) {
        setQueuedStops((q) => [...q.filter((s) => s.step !== step), { conversation: id, step }]);
        continue;
      }
      try {
        await api.cancelStep(id, step);
      } catch (e) {
        if (isOutage(e)) {
          setOutage(true);
          setQueuedStops((q) => [...q.filter((s) => s.step !== step), { conversation: id, step }]);
        } else fail(e);
      }
    }
  };

  /** A call that changes the open conversation's branches, then the conversation fetched again. */
  const onBranch = async (call: (id: string) => Promise<unknown>): Promise<boolean> => {
    const id = currentRef.current;
    if (!id) return false;
    setError(null);
    setSending(true);
    setBranching(true);
    try {
      await call(id);
      await loadConversation(id);
      return true;
    } catch (e) {
      fail(e);
      return false;
    } finally {
      setBranching(false);
      setSending(false);
    }
  };

  /** Shows another version of a message or answer (the branch through it, to its newest leaf). */
  const switchVersion = (stepId: string) => onBranch((id) => api.switchBranch(id, stepId));

  /** A new version of an answer (its first llm step), shown as it streams. */
  const regenerate = (stepId: string, model: string) =>
    onBranch((id) => api.regenerate(id, stepId, model && model !== "auto" ? model : undefined));

  /** An edited message: a new branch beside the message (under its parent, or at the root), answered. */
  const edit = (userStepId: string, content: string, model: string) => {
    const step = settled?.steps.find((s) => s.id === userStepId);
    const parent = step?.parent_step_id ?? "root";
    return onBranch((id) =>
      api.postMessage(id, {
        content,
        parent_step_id: parent,
        model: model && model !== "auto" ? model : undefined,
        client_msg_id: newClientMsgId(),
      }),
    );
  };

  /** Rates an answer (null clears the rating); the stored feedback is kept on its step. */
  const rate = async (stepId: string, rating: Rating | null) => {
    const id = currentRef.current;
    if (!id) return;
    try {
      const saved = await api.rate(id, stepId, rating);
      changesRef.current++;
      setConv((c) =>
        c && c.id === id
          ? { ...c, steps: c.steps.map((st) => (st.id === stepId ? { ...st, feedback: saved?.feedback ?? null } : st)) }
          : c,
      );
    } catch (e) {
      fail(e);
    }
  };

  /** How an answer (its first llm step) was made. */
  const trace = useCallback((stepId: string) => {
    const id = currentRef.current;
    return id ? api.trace(id, stepId) : Promise.reject(new Error("No conversation is open."));
  }, []);

  const decideToolCall = (stepId: string, approve: boolean) => {
    const id = currentRef.current;
    return id ? api.decideToolCall(id, stepId, approve) : Promise.resolve();
  };

  const rename = async (id: string, title: string) => {
    try {
      await api.renameConversation(id, title);
      list.retitle(id, title);
      setConv((c) => (c && c.id === id ? { ...c, title } : c));
    } catch (e) {
      fail(e);
    }
  };

  const remove = async (id: string) => {
    try {
      await api.deleteConversation(id);
      list.drop(id);
      if (currentRef.current === id) open(null);
    } catch (e) {
      fail(e);
    }
  };

  const listFiles = useCallback(() => {
    const id = currentRef.current;
    return id ? api.listFiles(id) : Promise.resolve([]);
  }, []);

  const uploadFile = async (file: File, onProgress: (fraction: number) => void) => {
    const id = await ensureConversation();
    return api.uploadFile(id, file, onProgress);
  };

  return {
    user,
    conversations: list.conversations,
    nextCursor: list.nextCursor,
    currentId,
    conv: settled,
    setConv,
    turns,
    running,
    streaming,
    conn,
    outage,
    stopQueued: queuedStops.length > 0,
    retryNow: () => {
      clientRef.current?.nudge();
      retryNow();
    },
    error,
    setError,
    open,
    openAt,
    search: api.searchConversations,
    send,
    stop,
    decideToolCall,
    switchVersion,
    regenerate,
    edit,
    rate,
    trace,
    rename,
    remove,
    loadMore: list.loadMore,
    loadList,
    listFiles,
    uploadFile,
  };
}
