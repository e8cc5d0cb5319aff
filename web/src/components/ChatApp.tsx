"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, ApiError, apiBase, errorText, plainError, streamAuth, uploadErrorText } from "../lib/api";
import { getSession, type SessionUser } from "../lib/session";
import { applyEvent, type LiveAnswers } from "../lib/answers";
import { buildTurns, stepToStop } from "../lib/turns";
import {
  browserDeps,
  StreamClient,
  type ConnectionState,
  type TransportKind,
} from "../lib/streamClient";
import type { Conversation, ConversationSummary, ModelInfo, ToolInfo } from "../lib/types";
import { Answer } from "./Answer";
import { MessageBox } from "./MessageBox";
import { Account } from "./Account";
import { ConversationSettingsPanel } from "./ConversationSettingsPanel";
import { ConversationFiles } from "./ConversationFiles";

function readParam(name: string): string | null {
  if (typeof window === "undefined") return null;
  return new URLSearchParams(window.location.search).get(name);
}

/** `?transport=sse` starts at that transport (and falls back further only). */
function transportOrder(): TransportKind[] | undefined {
  const t = readParam("transport");
  if (t === "ws") return ["ws", "sse", "poll"];
  if (t === "sse") return ["sse", "poll"];
  if (t === "poll" || t === "longpoll") return ["poll"];
  return undefined;
}

function setUrlConversation(id: string | null, push: boolean) {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set("c", id);
  else url.searchParams.delete("c");
  if (push) window.history.pushState({ c: id }, "", url);
  else window.history.replaceState({ c: id }, "", url);
}

function newClientMsgId(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && "randomUUID" in c) return c.randomUUID();
  return `m-${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

export { formatCents } from "./Answer";

const STATE_LABEL: Record<ConnectionState | "idle", string> = {
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

export function ChatApp() {
  const [conversations, setConversations] = useState<ConversationSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const [conv, setConv] = useState<Conversation | null>(null);
  const [live, setLive] = useState<LiveAnswers>({});
  const [conn, setConn] = useState<{ state: ConnectionState | "idle"; transport: TransportKind | null }>(
    { state: "idle", transport: null },
  );
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [tools, setTools] = useState<ToolInfo[]>([]);
  const [model, setModel] = useState("auto");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  /** Changes when another conversation is opened: the composer's file chips belong to the one before. */
  const [composerKey, setComposerKey] = useState(0);
  const [renameText, setRenameText] = useState("");
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const [user, setUser] = useState<SessionUser | null>(null);
  const userIdRef = useRef<string | null>(null);
  const userKindRef = useRef<string | null>(null);
  const inputRef = useRef<HTMLTextAreaElement | null>(null);
  const newChatRef = useRef<HTMLButtonElement | null>(null);
  const clientRef = useRef<StreamClient | null>(null);
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const currentRef = useRef<string | null>(null);
  const bottomRef = useRef<HTMLDivElement | null>(null);
  /** A conversation made empty to hold a file attached before the first message: titled by that message. */
  const madeForFilesRef = useRef<string | null>(null);
  const makingRef = useRef<Promise<string> | null>(null);

  const loadList = useCallback(async () => {
    try {
      const page = await api.listConversations();
      setConversations(page.items);
      setNextCursor(page.next_cursor);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);

  const loadMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.listConversations(nextCursor);
      setConversations((prev) => [...prev, ...page.items.filter((i) => !prev.some((p) => p.id === i.id))]);
      setNextCursor(page.next_cursor);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const loadConversation = useCallback(async (id: string) => {
    try {
      const detail = await api.getConversation(id);
      if (currentRef.current === id) setConv(detail);
    } catch (e) {
      if (currentRef.current !== id) return;
      if (e instanceof ApiError && e.code === "not_found") {
        setError(plainError("not_found"));
        currentRef.current = null;
        setCurrentId(null);
        setConv(null);
        setUrlConversation(null, false);
      } else setError(errorText(e));
    }
  }, []);

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

  // Initial load: models, list, conversation from the URL.
  useEffect(() => {
    void loadList();
    api
      .models()
      .then((m) => {
        setModels(m.models ?? []);
        setModel(m.default || "auto");
      })
      .catch(() => setModels([]));
    api
      .tools()
      .then(setTools)
      .catch(() => setTools([]));
    const fromUrl = readParam("c");
    if (fromUrl) {
      currentRef.current = fromUrl;
      setCurrentId(fromUrl);
    }
    const onPop = () => {
      const id = readParam("c");
      currentRef.current = id;
      setCurrentId(id);
      setConv(null);
      setLive({});
    };
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, [loadList]);

  // The signed-in user (or guest). Another user (sign-in, sign-out, an expired session replaced
  // by a new guest) has other conversations: close the open one and reload the list.
  useEffect(() => {
    const session = getSession();
    const known = session.user();
    userIdRef.current = known?.id ?? null;
    userKindRef.current = known?.kind ?? null;
    setUser(known);
    const refreshMe = () =>
      api
        .me()
        .then((me) => {
          if (me?.id && me.id === userIdRef.current) setUser((u) => ({ ...(u ?? {}), ...me }));
        })
        .catch(() => undefined);
    void refreshMe();
    return session.subscribe((s) => {
      const next = s?.user ?? null;
      if (!next) return;
      const previous = userIdRef.current;
      const kindChanged = next.kind !== userKindRef.current;
      userIdRef.current = next.id;
      userKindRef.current = next.kind;
      setUser((u) => (u && u.id === next.id ? { ...u, ...next } : next));
      if (previous && previous !== next.id) {
        currentRef.current = null;
        setCurrentId(null);
        setConv(null);
        setLive({});
        setPending(null);
        setConversations([]);
        setNextCursor(null);
        setUrlConversation(null, false);
        void loadList();
      }
      if (previous !== next.id || kindChanged) void refreshMe();
    });
  }, [loadList]);

  // One stream client per open conversation.
  useEffect(() => {
    if (!currentId) {
      setConn({ state: "idle", transport: null });
      return;
    }
    void loadConversation(currentId);
    const id = currentId;
    const client = new StreamClient(
      {
        conversationId: id,
        baseUrl: apiBase(),
        transports: transportOrder(),
        onEvent: (event) => {
          setLive((prev) => applyEvent(prev, event));
          if (event.type === "step.finished" || event.type === "step.started") scheduleRefetch(id);
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
          setLive({});
          scheduleRefetch(id);
        },
      },
      { ...browserDeps(), auth: streamAuth() },
    );
    clientRef.current = client;
    (window as unknown as { __grizzStream?: StreamClient }).__grizzStream = client;
    client.start();
    const online = () => client.nudge();
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("online", online);
      client.stop();
      if (clientRef.current === client) clientRef.current = null;
    };
  }, [currentId, loadConversation, scheduleRefetch]);

  const turns = useMemo(() => buildTurns(conv, live, pending), [conv, live, pending]);
  // An answer runs until its turn's last step ends (not at the first step.finished of a turn with tools).
  const running = turns.flatMap((t) => t.answers).filter((a) => a.running);
  const streaming = running.length > 0 || sending;
  const lastUser = useMemo(() => {
    const users = (conv?.messages ?? []).filter((m) => m.role === "user");
    return users.length ? users[users.length - 1] : null;
  }, [conv]);

  // Keep the newest text in view while it streams.
  const lastText = running.length
    ? running[running.length - 1].segments.reduce(
        (n, s) =>
          n +
          (s.live?.text.length ?? 0) +
          s.cards.reduce((k, c) => k + 1 + (c.output ?? []).reduce((m, o) => m + o.text.length, 0), 0),
        0,
      )
    : 0;
  useEffect(() => {
    bottomRef.current?.scrollIntoView?.({ block: "end" });
  }, [turns.length, lastText]);

  const openConversation = (id: string | null) => {
    if (id === currentRef.current) {
      setSidebarOpen(false);
      return;
    }
    currentRef.current = id;
    setCurrentId(id);
    setConv(null);
    setLive({});
    setPending(null);
    setError(null);
    setComposerKey((k) => k + 1);
    setUrlConversation(id, true);
    setSidebarOpen(false);
    setTimeout(() => inputRef.current?.focus(), 0);
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

  const listFiles = useCallback(() => {
    const id = currentRef.current;
    return id ? api.listFiles(id) : Promise.resolve([]);
  }, []);

  const uploadFile = async (file: File, onProgress: (fraction: number) => void) => {
    const id = await ensureConversation();
    return api.uploadFile(id, file, onProgress);
  };

  /** The title the engine gives a conversation from its first message (ChatService.titleFrom). */
  const titleFrom = (message: string): string => {
    const line = message.trim().split("\n")[0].trim();
    if (line.length <= 60) return line || "New conversation";
    const cut = line.lastIndexOf(" ", 60);
    return line.slice(0, cut > 30 ? cut : 60).trim() + "…";
  };

  const send = async (content: string, images: string[] = []) => {
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
        await api.postMessage(id, {
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
          setConversations((prev) => prev.map((c) => (c.id === id ? { ...c, title } : c)));
        }
        await loadConversation(id);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPending(null);
      setSending(false);
      inputRef.current?.focus();
    }
  };

  const stop = async () => {
    const id = currentRef.current;
    if (!id) return;
    for (const a of running) {
      try {
        await api.cancelStep(id, stepToStop(a));
      } catch (e) {
        setError(errorText(e));
      }
    }
    inputRef.current?.focus();
  };

  const decideToolCall = (stepId: string, approve: boolean) => {
    const id = currentRef.current;
    return id ? api.decideToolCall(id, stepId, approve) : Promise.resolve();
  };

  const regenerate = () => {
    if (lastUser) void send(lastUser.content);
  };

  const startRename = (c: ConversationSummary) => {
    setRenaming(c.id);
    setRenameText(c.title ?? "");
  };

  const commitRename = async (id: string) => {
    const title = renameText.trim();
    setRenaming(null);
    if (!title) return;
    try {
      await api.renameConversation(id, title);
      setConversations((prev) => prev.map((c) => (c.id === id ? { ...c, title } : c)));
      if (conv?.id === id) setConv({ ...conv, title });
    } catch (e) {
      setError(errorText(e));
    }
  };

  const remove = async (c: ConversationSummary) => {
    if (!window.confirm(`Delete "${c.title || "Untitled"}"?`)) return;
    try {
      await api.deleteConversation(c.id);
      setConversations((prev) => prev.filter((x) => x.id !== c.id));
      if (currentRef.current === c.id) openConversation(null);
      newChatRef.current?.focus();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const connLabel =
    conn.state === "fallback" && conn.transport
      ? `Fallback (${TRANSPORT_LABEL[conn.transport]})`
      : conn.state === "live"
        ? "Live"
        : STATE_LABEL[conn.state];

  return (
    <div className={`app${sidebarOpen ? " sidebar-open" : ""}`}>
      <a className="skip" href="#message">
        Skip to message box
      </a>
      <aside className="sidebar" aria-label="Conversations">
        <div className="sidebar-head">
          <button ref={newChatRef} type="button" className="primary wide" onClick={() => openConversation(null)}>
            + New chat
          </button>
        </div>
        <nav>
          <ul className="conv-list">
            {conversations.map((c) => (
              <li key={c.id} className={c.id === currentId ? "active" : ""}>
                {renaming === c.id ? (
                  <form
                    onSubmit={(e) => {
                      e.preventDefault();
                      void commitRename(c.id);
                    }}
                  >
                    <label className="sr-only" htmlFor={`rename-${c.id}`}>
                      New title
                    </label>
                    <input
                      id={`rename-${c.id}`}
                      autoFocus
                      value={renameText}
                      maxLength={200}
                      onChange={(e) => setRenameText(e.target.value)}
                      onBlur={() => void commitRename(c.id)}
                      onKeyDown={(e) => {
                        if (e.key === "Escape") setRenaming(null);
                      }}
                    />
                  </form>
                ) : (
                  <>
                    <button
                      type="button"
                      className="conv-title"
                      aria-current={c.id === currentId ? "page" : undefined}
                      onClick={() => openConversation(c.id)}
                    >
                      {c.title || "Untitled"}
                    </button>
                    <span className="conv-actions">
                      <button type="button" className="icon" aria-label={`Rename ${c.title || "Untitled"}`} onClick={() => startRename(c)}>
                        ✎
                      </button>
                      <button type="button" className="icon" aria-label={`Delete ${c.title || "Untitled"}`} onClick={() => void remove(c)}>
                        ✕
                      </button>
                    </span>
                  </>
                )}
              </li>
            ))}
          </ul>
          {nextCursor && (
            <button type="button" className="link" onClick={() => void loadMore()}>
              Load more
            </button>
          )}
        </nav>
        <Account
          user={user}
          onSignIn={(email, password) => api.login(email, password)}
          onSignUp={async (email, password) => {
            await api.signUp(email, password);
            void loadList();
          }}
          onSignOut={() => api.logout()}
        />
      </aside>
      <main className="main">
        <header className="topbar">
          <button
            type="button"
            className="icon menu"
            aria-label="Conversations"
            aria-expanded={sidebarOpen}
            onClick={() => setSidebarOpen((o) => !o)}
          >
            ☰
          </button>
          <h1 className="title">{conv?.title || (currentId ? "Conversation" : "New chat")}</h1>
          <label className="model">
            <span className="sr-only">Model</span>
            <select value={model} onChange={(e) => setModel(e.target.value)} aria-label="Model">
              <option value="auto">auto</option>
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id}
                </option>
              ))}
            </select>
          </label>
          {conv && (
            <button
              type="button"
              className="icon"
              aria-label="Conversation settings"
              aria-expanded={settingsOpen}
              onClick={() => setSettingsOpen((o) => !o)}
            >
              ⚙
            </button>
          )}
          <span
            className={`conn conn-${conn.state}`}
            role="status"
            data-state={conn.state}
            data-transport={conn.transport ?? ""}
            title={conn.transport ? TRANSPORT_LABEL[conn.transport] : undefined}
          >
            <span className="dot" aria-hidden="true" />
            {connLabel}
          </span>
        </header>
        {settingsOpen && conv && (
          <ConversationSettingsPanel
            key={conv.id}
            settings={conv.settings ?? {}}
            models={models}
            tools={tools}
            onClose={() => setSettingsOpen(false)}
            onSave={async (settings) => {
              try {
                const updated = await api.updateSettings(conv.id, settings);
                setConv((c) => (c && c.id === conv.id ? { ...c, settings: updated.settings ?? {} } : c));
              } catch (e) {
                throw new Error(errorText(e));
              }
            }}
          />
        )}
        {settingsOpen && conv && (
          <ConversationFiles
            key={`files-${conv.id}`}
            list={listFiles}
            load={api.fileBlob}
            remove={api.deleteFile}
            errorText={errorText}
          />
        )}
        {error && (
          <div className="banner" role="alert">
            <span>{error}</span>
            <button type="button" className="icon" aria-label="Dismiss error" onClick={() => setError(null)}>
              ×
            </button>
          </div>
        )}
        <section className="thread" aria-label="Messages">
          {turns.length === 0 && (
            <div className="empty">
              <h2>What can I help with?</h2>
              <p className="muted">Answers stream in as they are written.</p>
            </div>
          )}
          {turns.map((t) => (
            <div key={t.key} className="turn">
              {(t.user || t.pendingText !== undefined) && (
                <article className="msg user" aria-label="Your message">
                  {t.user?.images && t.user.images.length > 0 && (
                    <div className="attachments">
                      {t.user.images.map((src, i) => (
                        <img key={i} src={src} alt={`Image ${i + 1} you sent`} className="thumb" />
                      ))}
                    </div>
                  )}
                  <p>{t.user ? t.user.content : t.pendingText}</p>
                </article>
              )}
              {t.answers.map((a) => (
                <Answer key={a.key} chain={a} onDecide={decideToolCall} />
              ))}
            </div>
          ))}
          <div ref={bottomRef} />
        </section>
        <div className="actions">
          {running.length > 0 && (
            <button type="button" className="stop" onClick={() => void stop()}>
              ■ Stop
            </button>
          )}
          {!streaming && lastUser && (
            <button type="button" className="secondary" onClick={regenerate}>
              ↻ Regenerate
            </button>
          )}
        </div>
        <MessageBox
          filesKey={composerKey}
          onSend={(t, images) => void send(t, images)}
          disabled={streaming}
          inputRef={inputRef}
          onUploadFile={uploadFile}
          onRemoveFile={(fileId) => api.deleteFile(fileId)}
          uploadError={uploadErrorText}
        />
      </main>
    </div>
  );
}
