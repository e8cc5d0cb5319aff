"use client";

import { useState, type FormEvent, type KeyboardEvent } from "react";
import type { Turn } from "../lib/turns";
import type { ThreadActions } from "./Thread";
import { VersionPager } from "./VersionPager";

/**
 * A message the user sent, with its versions (‹ n/m ›) and Edit: the message opens in place and
 * Save sends it as a new branch beside it (the old one stays, one version back).
 */
export function UserMessage({ turn, actions }: { turn: Turn; actions?: ThreadActions }) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const [saving, setSaving] = useState(false);
  const text = turn.user ? turn.user.content : (turn.pendingText ?? "");
  const step = turn.userStep;

  const save = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!step || !actions || !draft.trim() || saving) return;
    setSaving(true);
    const ok = await actions.onEdit(step.id, draft);
    setSaving(false);
    if (ok) setEditing(false);
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Escape") setEditing(false);
    else if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) void save(e);
  };

  return (
    <article className={`msg user${editing ? " editing" : ""}`} aria-label="Your message">
      {turn.user?.images && turn.user.images.length > 0 && (
        <div className="attachments">
          {turn.user.images.map((src, i) => (
            <img key={i} src={src} alt={`Image ${i + 1} you sent`} className="thumb" />
          ))}
        </div>
      )}
      {editing ? (
        <form className="edit-form" aria-label="Edit message" onSubmit={(e) => void save(e)}>
          <textarea
            aria-label="Edited message"
            value={draft}
            rows={Math.min(10, Math.max(2, draft.split("\n").length))}
            autoFocus
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={onKey}
          />
          <div className="edit-actions">
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={saving || !draft.trim() || actions?.busy}>
              Save
            </button>
          </div>
        </form>
      ) : (
        <p>{text}</p>
      )}
      {turn.user && step && actions && !editing && (
        <div className="msg-tools">
          <VersionPager step={step} what="message" disabled={actions.busy} onSwitch={actions.onSwitch} />
          <button
            type="button"
            className="act"
            aria-label="Edit message"
            disabled={actions.busy}
            onClick={() => {
              setDraft(text);
              setEditing(true);
            }}
          >
            ✎ Edit
          </button>
        </div>
      )}
    </article>
  );
}
