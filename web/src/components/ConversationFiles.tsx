"use client";

import { useCallback, useEffect, useState } from "react";
import type { ConversationFile } from "../lib/api";
import { FileDownload, formatSize, type LoadFile } from "./FileViews";

const ORIGIN_LABEL: Record<string, string> = { upload: "uploaded", sandbox: "made by code" };

/**
 * The files of a conversation (uploaded, or written by its code): what its code interpreter finds
 * in /mnt/data. Each can be downloaded or deleted.
 */
export function ConversationFiles({
  list,
  load,
  remove,
  errorText,
}: {
  list: () => Promise<ConversationFile[]>;
  load: LoadFile;
  remove: (id: string) => Promise<unknown>;
  errorText: (e: unknown) => string;
}) {
  const [files, setFiles] = useState<ConversationFile[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setFiles(await list());
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [list, errorText]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const drop = async (f: ConversationFile) => {
    if (!window.confirm(`Delete ${f.name}? The code interpreter will no longer find it in /mnt/data.`)) return;
    setBusy(f.id);
    try {
      await remove(f.id);
      setFiles((prev) => (prev ?? []).filter((x) => x.id !== f.id));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="conv-files" aria-label="Conversation files">
      <h2 className="small">Files (/mnt/data)</h2>
      {error && (
        <p className="error-inline small" role="alert">
          {error}
        </p>
      )}
      {files === null && !error && <p className="small muted">Loading…</p>}
      {files?.length === 0 && <p className="small muted">No files yet: attach one in the message box.</p>}
      {files && files.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Size</th>
              <th scope="col">From</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.id} data-origin={f.origin}>
                <td>
                  <FileDownload file={f} load={load} showSize={false} />
                </td>
                <td className="small">{formatSize(f.size)}</td>
                <td className="small muted">{ORIGIN_LABEL[f.origin] ?? f.origin}</td>
                <td>
                  <button
                    type="button"
                    className="icon"
                    aria-label={`Delete ${f.name}`}
                    disabled={busy === f.id}
                    onClick={() => void drop(f)}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
