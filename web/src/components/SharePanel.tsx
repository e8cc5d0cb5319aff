"use client";

import { useCallback, useEffect, useState } from "react";
import type { Share } from "../lib/types";
import { sharedPageUrl } from "./SharedPage";

export interface ShareApi {
  list: () => Promise<Share[]>;
  create: () => Promise<Share>;
  revoke: (shareId: string) => Promise<unknown>;
  exportAs: (format: "markdown" | "json") => Promise<{ name: string; blob: Blob }>;
}

/** Saves a blob under a name (the export needs the bearer token, so it is fetched, then saved). */
function save(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Under ⚙: read-only links to the conversation (create, copy, revoke) and its export. */
export function SharePanel({ api, errorText }: { api: ShareApi; errorText: (e: unknown) => string }) {
  const [shares, setShares] = useState<Share[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);

  const run = useCallback(
    async (work: () => Promise<unknown>) => {
      setBusy(true);
      try {
        await work();
        setError(null);
      } catch (e) {
        setError(errorText(e));
      } finally {
        setBusy(false);
      }
    },
    [errorText],
  );

  useEffect(() => {
    void run(async () => setShares(await api.list()));
  }, [api, run]);

  const copy = async (s: Share) => {
    try {
      await navigator.clipboard.writeText(sharedPageUrl(s.token));
      setCopied(s.id);
    } catch {
      setCopied(null);
    }
  };

  return (
    <section className="share-panel" aria-label="Share and export">
      <h2 className="small">Share and export</h2>
      <p className="small muted">A link shows the messages as they are now, read-only, to anyone who has it.</p>
      <div className="share-actions">
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void run(async () => {
            const made = await api.create();
            setShares((list) => [made, ...(list ?? [])]);
          })}
        >
          Create share link
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void run(async () => {
          const f = await api.exportAs("markdown");
          save(f.name, f.blob);
        })}>
          Export Markdown
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void run(async () => {
          const f = await api.exportAs("json");
          save(f.name, f.blob);
        })}>
          Export JSON
        </button>
      </div>
      {error && <p className="error-inline" role="alert">{error}</p>}
      {shares && shares.length > 0 && (
        <ul className="share-list" aria-label="Share links">
          {shares.map((s) => (
            <li key={s.id}>
              <a href={sharedPageUrl(s.token)} target="_blank" rel="noopener noreferrer" className="share-link">
                {sharedPageUrl(s.token)}
              </a>
              <span className="small muted"> {new Date(s.created_at).toLocaleString()}</span>
              <button type="button" className="act" aria-label="Copy share link" onClick={() => void copy(s)}>
                {copied === s.id ? "Copied" : "Copy link"}
              </button>
              <button
                type="button"
                className="act"
                aria-label="Revoke share link"
                disabled={busy}
                onClick={() => void run(async () => {
                  await api.revoke(s.id);
                  setShares((list) => (list ?? []).filter((x) => x.id !== s.id));
                })}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
