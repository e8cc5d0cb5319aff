"use client";

// The chat's actions (src/hooks/useChat.ts): open, send, stop, the step graph's versions,
// regenerate and edit, rate, trace, tool approval, rename, delete, files.

import { useCallback, useRef } from "react";
import { api } from "../lib/api";
import { settle, withPosted } from "../lib/settle";
import { stepToStop, type AnswerChain } from "../lib/turns";
import type { Conversation, Rating } from "../lib/types";
import { isOutage } from "../lib/outage";
import { setUrlConversation } from "../lib/url";
import { chatError, chosenModel, newClientMsgId, titleFrom, type ChatError } from "../lib/chatError";
import type { OpenConversation } from "./useOpenConversation";
import type { useConversationList } from "./useConversationList";

export interface ChatActionsDeps {
  conversation: OpenConversation;
  list: ReturnType<typeof useConversationList>;
  /** The answers running now (what Stop stops). */
  running: AnswerChain[];
  outage: boolean;
  setOutage: (down: boolean) => void;
  queueStop: (conversation: string, step: string) => void;
  setError: (e: string | ChatError | null) => void;
  /** A failed call: its error shown; an unreachable engine starts the outage notice. */
  fail: (e: unknown) => void;
  setSending: (sending: boolean) => void;
  setBranching: (branching: boolean) => void;
}

export function useChatActions(deps: ChatActionsDeps) {
  const { conversation, list, running, outage, setOutage, queueStop, setError, fail, setSending, setBranching } = deps;
  const { currentRef, select, loadConversation, setConv, setLive, setCurrentId, setPending, liveRef, changesRef, settled } =
    conversation;
  const { loadList } = list;
  /** A conversation made empty to hold a file attached before the first message: titled by that message. */
  const madeForFilesRef = useRef<string | null>(null);
  const makingRef = useRef<Promise<string> | null>(null);

  /** Opens a conversation (null: a new chat); false when it was already open. */
  const open = (id: string | null): boolean => {
    if (id === currentRef.current) return false;
    select(id);
    setError(null);
    setUrlConversation(id, true);
    return true;
  };

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

  /** A conversation this client made is open: its create call's answer is what is shown. */
  const showCreated = (created: Conversation) => {
    currentRef.current = created.id;
    setConv(created);
    setLive({});
    setCurrentId(created.id);
    setUrlConversation(created.id, true);
    void loadList();
  };

  /** The open conversation, made (empty) first when a file is attached before the first message. */
  const ensureConversation = async (): Promise<string> => {
    if (currentRef.current) return currentRef.current;
    if (!makingRef.current) {
      makingRef.current = api
        .createConversation({})
        .then((created) => {
          madeForFilesRef.current = created.id;
          showCreated(created);
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
    const chosen = chosenModel(model);
    try {
      if (!currentRef.current) {
        const created = await api.createConversation({
          message: content,
          model: chosen,
          ...(images.length ? { images } : {}),
        });
        showCreated(created);
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
        queueStop(id, step);
        continue;
      }
      try {
        await api.cancelStep(id, step);
      } catch (e) {
        if (isOutage(e)) {
          setOutage(true);
          queueStop(id, step);
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
  const regenerate = (stepId: string, model: string) => onBranch((id) => api.regenerate(id, stepId, chosenModel(model)));

  /** An edited message: a new branch beside the message (under its parent, or at the root), answered. */
  const edit = (userStepId: string, content: string, model: string) => {
    const step = settled?.steps.find((s) => s.id === userStepId);
    const parent = step?.parent_step_id ?? "root";
    return onBranch((id) =>
      api.postMessage(id, {
        content,
        parent_step_id: parent,
        model: chosenModel(model),
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
    open,
    openAt,
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
    listFiles,
    uploadFile,
  };
}
