"use client";

import { useCallback, useState } from "react";
import { api } from "../lib/api";
import type { ConversationSummary } from "../lib/types";

/** The user's conversations, newest first, a page at a time; local edits keep it in step. */
export function useConversationList(fail: (e: unknown) => void) {
  const [conversations, setConversations] = useState<ConversationSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);

  const loadList = useCallback(async () => {
    try {
      const page = await api.listConversations();
      setConversations(page.items);
      setNextCursor(page.next_cursor);
    } catch (e) {
      fail(e);
    }
  }, [fail]);

  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.listConversations(nextCursor);
      setConversations((prev) => [...prev, ...page.items.filter((i) => !prev.some((p) => p.id === i.id))]);
      setNextCursor(page.next_cursor);
    } catch (e) {
      fail(e);
    }
  };

  const retitle = useCallback(
    (id: string, title: string) => setConversations((prev) => prev.map((c) => (c.id === id ? { ...c, title } : c))),
    [],
  );
  const drop = useCallback((id: string) => setConversations((prev) => prev.filter((c) => c.id !== id)), []);
  const clear = useCallback(() => {
    setConversations([]);
    setNextCursor(null);
  }, []);

  return { conversations, nextCursor, loadList, loadMore, retitle, drop, clear };
}
