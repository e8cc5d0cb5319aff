"use client";

import { useEffect, useState, type RefObject } from "react";
import { api } from "../lib/api";
import type { SessionUser } from "../lib/session";
import type { ConversationSummary } from "../lib/types";
import { Account } from "./Account";
import { ThemePicker } from "./ThemePicker";
import { SidebarSearch } from "./SidebarSearch";
import type { SearchHit } from "../lib/search";

export interface SidebarProps {
  conversations: ConversationSummary[];
  currentId: string | null;
  hasMore: boolean;
  user: SessionUser | null;
  /** Phone width: the menu is shown over the page. */
  open: boolean;
  onClose: () => void;
  onOpen: (id: string | null) => void;
  onRename: (id: string, title: string) => Promise<void>;
  onRemove: (id: string) => Promise<void>;
  onLoadMore: () => void;
  onSignedUp: () => void;
  /** Opens the memory panel. */
  onMemory: () => void;
  /** Opens the ChatGPT import. */
  onImport: () => void;
  search: (q: string) => Promise<SearchHit[]>;
  /** Opens a search hit's conversation on the matched message's branch. */
  onOpenHit: (hit: SearchHit) => void;
  errorText: (e: unknown) => string;
  newChatRef: RefObject<HTMLButtonElement | null>;
}

/** The conversation list with rename and delete, the theme and the account area. */
export function Sidebar(props: SidebarProps) {
  const { conversations, currentId, open, onClose } = props;
  const [renaming, setRenaming] = useState<string | null>(null);
  const [renameText, setRenameText] = useState("");

  // Escape closes the menu on a phone.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, onClose]);

  const commitRename = async (id: string) => {
    const title = renameText.trim();
    setRenaming(null);
    if (title) await props.onRename(id, title);
  };

  const remove = async (c: ConversationSummary) => {
    if (!window.confirm(`Delete "${c.title || "Untitled"}"?`)) return;
    await props.onRemove(c.id);
    props.newChatRef.current?.focus();
  };

  return (
    <>
      {open && <div className="scrim" data-testid="scrim" aria-hidden="true" onClick={onClose} />}
      <aside className="sidebar" aria-label="Conversations">
        <div className="sidebar-head">
          <button ref={props.newChatRef} type="button" className="primary wide" onClick={() => props.onOpen(null)}>
            + New chat
          </button>
          <button type="button" className="icon close-menu" aria-label="Close conversations" onClick={onClose}>
            ✕
          </button>
        </div>
        <SidebarSearch search={props.search} onOpenHit={props.onOpenHit} errorText={props.errorText}>
        <nav aria-label="Conversation list">
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
                        if (e.key === "Escape") {
                          e.stopPropagation();
                          setRenaming(null);
                        }
                      }}
                    />
                  </form>
                ) : (
                  <>
                    <button
                      type="button"
                      className="conv-title"
                      aria-current={c.id === currentId ? "page" : undefined}
                      onClick={() => props.onOpen(c.id)}
                    >
                      {c.title || "Untitled"}
                    </button>
                    <span className="conv-actions">
                      <button
                        type="button"
                        className="icon"
                        aria-label={`Rename ${c.title || "Untitled"}`}
                        onClick={() => {
                          setRenaming(c.id);
                          setRenameText(c.title ?? "");
                        }}
                      >
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
          {props.hasMore && (
            <button type="button" className="link" onClick={props.onLoadMore}>
              Load more
            </button>
          )}
        </nav>
        </SidebarSearch>
        <button type="button" className="secondary wide" onClick={props.onMemory}>
          Memory
        </button>
        <button type="button" className="secondary wide" onClick={props.onImport}>
          Import from ChatGPT
        </button>
        <ThemePicker />
        <Account
          user={props.user}
          onSignIn={(email, password) => api.login(email, password)}
          onSignUp={async (email, password) => {
            await api.signUp(email, password);
            props.onSignedUp();
          }}
          onSignOut={() => api.logout()}
        />
      </aside>
    </>
  );
}
