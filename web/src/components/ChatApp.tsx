"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { api, errorText, uploadErrorText } from "../lib/api";
import type { ModelInfo, ToolInfo } from "../lib/types";
import { useChat } from "../hooks/useChat";
import { MessageBox } from "./MessageBox";
import { ConversationSettingsPanel } from "./ConversationSettingsPanel";
import { ConversationFiles } from "./ConversationFiles";
import { MemoryPanel } from "./MemoryPanel";
import { ImportPanel } from "./ImportPanel";
import { SharePanel, type ShareApi } from "./SharePanel";
import { Sidebar } from "./Sidebar";
import { Thread } from "./Thread";
import { ConnectionBadge } from "./ConnectionBadge";
import { ErrorBanner } from "./ErrorBanner";

export { formatCents } from "../lib/format";

export function ChatApp() {
  const chat = useChat();
  const { conv, currentId, running, streaming } = chat;
  const [models, setModels] = useState<ModelInfo[]>([]);
  const [tools, setTools] = useState<ToolInfo[]>([]);
  const [model, setModel] = useState("auto");
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [memoryOpen, setMemoryOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  /** Changes when another conversation is opened: the composer's file chips belong to the one before. */
  const [composerKey, setComposerKey] = useState(0);
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const inputRef = useRef<HTMLTextAreaElement | null>(null);
  const newChatRef = useRef<HTMLButtonElement | null>(null);
  const closeSidebar = useCallback(() => setSidebarOpen(false), []);
  const { setError } = chat;
  const dismissError = useCallback(() => setError(null), [setError]);
  const convId = conv?.id;
  const shareApi = useMemo<ShareApi | null>(
    () =>
      convId
        ? {
            list: () => api.shares.list(convId),
            create: () => api.shares.create(convId),
            revoke: (shareId) => api.shares.revoke(convId, shareId),
            exportAs: (format) => api.exportConversation(convId, format),
          }
        : null,
    [convId],
  );

  useEffect(() => {
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
    inputRef.current?.focus();
  }, []);

  const openConversation = (id: string | null) => {
    setSidebarOpen(false);
    if (!chat.open(id)) return;
    setComposerKey((k) => k + 1);
    setTimeout(() => inputRef.current?.focus(), 0);
  };

  const send = async (content: string, images: string[] = []) => {
    const ok = await chat.send(content, images, model);
    inputRef.current?.focus();
    return ok;
  };

  const stop = async () => {
    await chat.stop();
    inputRef.current?.focus();
  };

  return (
    <div className={`app${sidebarOpen ? " sidebar-open" : ""}`}>
      <a className="skip" href="#message">
        Skip to message box
      </a>
      <Sidebar
        conversations={chat.conversations}
        currentId={currentId}
        hasMore={!!chat.nextCursor}
        user={chat.user}
        open={sidebarOpen}
        onClose={closeSidebar}
        onOpen={openConversation}
        onRename={chat.rename}
        onRemove={chat.remove}
        onLoadMore={() => void chat.loadMore()}
        onSignedUp={() => void chat.loadList()}
        onMemory={() => {
          setSidebarOpen(false);
          setMemoryOpen(true);
        }}
        onImport={() => {
          setSidebarOpen(false);
          setImportOpen(true);
        }}
        search={chat.search}
        onOpenHit={(hit) => {
          setSidebarOpen(false);
          void chat.openAt(hit.conversation_id, hit.step_id).then((opened) => {
            if (opened) setComposerKey((k) => k + 1);
          });
        }}
        errorText={errorText}
        newChatRef={newChatRef}
      />
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
          <ConnectionBadge conn={chat.conn} />
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
                chat.setConv((c) => (c && c.id === conv.id ? { ...c, settings: updated.settings ?? {} } : c));
              } catch (e) {
                throw new Error(errorText(e));
              }
            }}
          />
        )}
        {settingsOpen && conv && (
          <ConversationFiles
            key={`files-${conv.id}`}
            list={chat.listFiles}
            load={api.fileBlob}
            remove={api.deleteFile}
            errorText={errorText}
          />
        )}
        {settingsOpen && shareApi && <SharePanel key={`share-${convId}`} api={shareApi} errorText={errorText} />}
        {memoryOpen && (
          <div className="memory-wrap">
            <MemoryPanel api={api.memories} errorText={errorText} />
            <button type="button" className="secondary" onClick={() => setMemoryOpen(false)}>
              Close memory
            </button>
          </div>
        )}
        {importOpen && (
          <div className="memory-wrap">
            <ImportPanel
              upload={async (json) => {
                const result = await api.importChatGpt(json);
                void chat.loadList();
                return result;
              }}
              onOpen={openConversation}
              errorText={errorText}
            />
            <button type="button" className="secondary" onClick={() => setImportOpen(false)}>
              Close import
            </button>
          </div>
        )}
        {chat.outage && (
          <div className="outage" role="alert">
            <span>
              Grizz can’t be reached right now. Your conversation is kept; the page reconnects as soon as the
              engine answers{chat.stopQueued ? ", and your Stop is sent then" : ""}.
            </span>
            <button type="button" className="secondary" onClick={chat.retryNow}>
              Retry now
            </button>
          </div>
        )}
        {chat.error && !(chat.outage && chat.error.outage) && (
          <ErrorBanner error={chat.error} onDismiss={dismissError} />
        )}
        <Thread
          turns={chat.turns}
          conversationKey={currentId}
          onDecide={chat.decideToolCall}
          actions={{
            busy: streaming,
            onSwitch: chat.switchVersion,
            onRegenerate: (stepId) => chat.regenerate(stepId, model),
            onEdit: (stepId, content) => chat.edit(stepId, content, model),
            onRate: chat.rate,
            onTrace: chat.trace,
            errorText,
          }}
        />
        <div className="actions">
          {running.length > 0 && (
            <button type="button" className="stop" onClick={() => void stop()} disabled={chat.stopQueued}>
              {chat.stopQueued ? "■ Stop queued" : "■ Stop"}
            </button>
          )}
        </div>
        <MessageBox
          filesKey={composerKey}
          draftKey={currentId ?? "new"}
          onSend={send}
          disabled={streaming}
          waitUntil={chat.error?.retryAt}
          inputRef={inputRef}
          onUploadFile={chat.uploadFile}
          onRemoveFile={(fileId) => api.deleteFile(fileId)}
          uploadError={uploadErrorText}
        />
      </main>
    </div>
  );
}
