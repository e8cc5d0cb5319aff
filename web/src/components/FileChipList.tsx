"use client";

import { formatSize } from "./FileViews";

/** A file chip: uploading (with progress), uploaded, or failed (with why). */
export interface FileChip {
  key: number;
  name: string;
  size: number;
  state: "uploading" | "done" | "failed";
  progress: number;
  id?: string;
  error?: string;
}

/** The composer's file chips: uploading (with progress), uploaded, or failed (with why). */
export function FileChipList({ chips, onRemove }: { chips: FileChip[]; onRemove: (chip: FileChip) => void }) {
  if (chips.length === 0) return null;
  return (
    <ul className="file-chips" aria-label="Attached files">
      {chips.map((c) => (
        <li
          key={c.key}
          className={`file-chip file-${c.state}`}
          data-state={c.state}
          title={c.state === "done" ? `${c.name} is in the conversation's files (/mnt/data)` : undefined}
        >
          <span className="file-name">{c.name}</span>
          <span className="small muted">{formatSize(c.size)}</span>
          {c.state === "uploading" && (
            <progress max={1} value={c.progress} aria-label={`Uploading ${c.name}`}>
              {Math.round(c.progress * 100)}%
            </progress>
          )}
          {c.state === "failed" && (
            <span className="small" role="alert">
              {c.error}
            </span>
          )}
          <button
            type="button"
            className="icon"
            aria-label={`Remove ${c.name}`}
            disabled={c.state === "uploading"}
            onClick={() => onRemove(c)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
