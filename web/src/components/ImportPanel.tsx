"use client";

import { useState } from "react";
import { ApiError } from "../lib/api";

/** `POST /api/v1/conversations/import`: the conversations made and what was left out, by kind. */
export interface ImportResult {
  conversations: { id: string; title: string; messages: number }[];
  skipped: Record<string, number>;
}

/** The kinds an import leaves out, in words (the engine counts each; none is dropped silently). */
const SKIPPED: Record<string, [string, string]> = {
  system_messages: ["system message", "system messages"],
  tool_messages: ["tool message (code runs, browsing)", "tool messages (code runs, browsing)"],
  other_role_messages: ["message of another role", "messages of other roles"],
  non_text_messages: ["message that is not text (code, hidden context)", "messages that are not text (code, hidden context)"],
  non_text_parts: ["image or file sent in a message", "images or files sent in messages"],
  empty_messages: ["empty message", "empty messages"],
  empty_conversations: ["conversation with nothing left", "conversations with nothing left"],
};

/** What an import left out, in words: "2 system messages, 1 image or file sent in a message". */
export function skippedText(skipped: Record<string, number>): string {
  return Object.entries(skipped)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => {
      const [one, many] = SKIPPED[kind] ?? [kind.replace(/_/g, " "), kind.replace(/_/g, " ")];
      return `${n} ${n === 1 ? one : many}`;
    })
    .join(", ");
}

function importError(e: unknown, errorText: (e: unknown) => string): string {
  if (e instanceof ApiError && (e.code === "malformed_json" || e.code === "invalid_export" || e.code === "invalid_request"))
    return "This file is not a ChatGPT export’s conversations.json. Nothing was imported.";
  if (e instanceof ApiError && e.code === "payload_too_large") return "This export is larger than this engine accepts. Nothing was imported.";
  return errorText(e);
}

/**
 * Imports a ChatGPT data export (its conversations.json): uploads the file, then lists the
 * conversations made (each opens) and says what was left out.
 */
export function ImportPanel({
  upload,
  onOpen,
  errorText,
}: {
  upload: (json: string) => Promise<ImportResult>;
  onOpen: (id: string) => void;
  errorText: (e: unknown) => string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await upload(await file.text()));
    } catch (e) {
      setError(importError(e, errorText));
    } finally {
      setBusy(false);
    }
  };

  const left = result ? skippedText(result.skipped) : "";
  return (
    <section className="import-panel" role="region" aria-label="Import from ChatGPT">
      <h2>Import from ChatGPT</h2>
      <p className="small muted">
        In ChatGPT, Settings → Data controls → Export data sends you a zip file. Choose the conversations.json in it:
        each conversation comes with its branches; images and tool runs are left out.
      </p>
      <label className="import-file">
        ChatGPT export (conversations.json){" "}
        <input type="file" accept=".json,application/json" disabled={busy} onChange={(e) => void choose(e.target.files?.[0])} />
      </label>
      {busy && <p role="status">Importing…</p>}
      {error && (
        <p className="error-inline" role="alert">
          {error}
        </p>
      )}
      {result && (
        <>
          <p role="status">
            Imported {result.conversations.length} {result.conversations.length === 1 ? "conversation" : "conversations"}.
          </p>
          <ul className="import-list" aria-label="Imported conversations">
            {result.conversations.map((c) => (
              <li key={c.id}>
                <button type="button" className="link" onClick={() => onOpen(c.id)}>
                  {c.title}
                </button>{" "}
                <span className="small muted">{c.messages} messages</span>
              </li>
            ))}
          </ul>
          {left && <p className="small muted import-skipped">Left out: {left}.</p>}
        </>
      )}
    </section>
  );
}
