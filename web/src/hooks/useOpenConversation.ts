"use client";

// The open conversation (src/hooks/useChat.ts): which one is open, as fetched, with its live
// answers and what the events said since (settled); opening one, fetching it (again), and the
// conversation from the URL (back/forward).

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, ApiError, plainError } from "../lib/api";
import type { LiveAnswers } from "../lib/answers";
import { settle } from "../lib/settle";
import type { Conversation } from "../lib/types";
import { readParam, setUrlConversation } from "../lib/url";

export function useOpenConversation(
  setError: (e: string | null) => void,
  fail: (e: unknown) => void,
  loadList: () => Promise<void>,
) {
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [conv, setConv] = useState<Conversation | null>(null);
  const convRef = useRef(conv);
  convRef.current = conv;
  const [live, setLive] = useState<LiveAnswers>({});
  const [pending, setPending] = useState<string | null>(null);
  // The conversation as fetched with what the events said since (lib/settle.ts): what is shown.
  const settled = useMemo(() => settle(conv, live), [conv, live]);
  const liveRef = useRef(live);
  liveRef.current = live;
  /** Live steps whose place is not known were asked for once (one fetch each, not one per event). */
  const askedRef = useRef<Set<string>>(new Set());
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const currentRef = useRef<string | null>(null);

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

  return {
    currentId,
    setCurrentId,
    currentRef,
    conv,
    setConv,
    convRef,
    live,
    setLive,
    liveRef,
    settled,
    pending,
    setPending,
    askedRef,
    changesRef,
    select,
    loadConversation,
    scheduleRefetch,
  };
}

export type OpenConversation = ReturnType<typeof useOpenConversation>;
