"use client";

import { useEffect, useState } from "react";
import { api, errorText } from "../lib/api";
import type { FileRef } from "../lib/types";

/** Fetches a file's bytes with the session's token (an <img src> or <a href> cannot carry it). */
export type LoadFile = (id: string) => Promise<Blob>;

/** The types the engine serves inline and the browser shows as an <img>. */
const INLINE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif"]);

export function isInlineImage(file: FileRef): boolean {
  return INLINE_IMAGES.has(file.media_type);
}

/** "1.2 MB", "340 KB", "12 B". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A blob: URL for a file, made when shown and revoked when no longer shown. */
function useBlobUrl(id: string, load: LoadFile): { url?: string; error?: string } {
  const [state, setState] = useState<{ url?: string; error?: string }>({});
  useEffect(() => {
    let url: string | undefined;
    let gone = false;
    setState({});
    load(id)
      .then((blob) => {
        if (gone) return;
        url = URL.createObjectURL(blob);
        setState({ url });
      })
      .catch((e) => {
        if (!gone) setState({ error: errorText(e) });
      });
    return () => {
      gone = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [id, load]);
  return state;
}

/** An image a tool wrote, shown inline; a click opens it full size in a new tab. */
export function FileImage({ file, load }: { file: FileRef; load: LoadFile }) {
  const { url, error } = useBlobUrl(file.id, load);
  if (error) {
    return (
      <span className="small error-inline" role="alert">
        {file.name} could not be loaded: {error}
      </span>
    );
  }
  if (!url) {
    return (
      <span className="tool-image-loading small muted" aria-busy="true">
        Loading {file.name}…
      </span>
    );
  }
  return (
    <a href={url} target="_blank" rel="noopener" title={`Open ${file.name} full size`} className="tool-image-link">
      <img src={url} alt={file.name} className="tool-image" />
    </a>
  );
}

/** Any other file a tool wrote: a download link, fetched with the token when clicked. */
export function FileDownload({ file, load, showSize = true }: { file: FileRef; load: LoadFile; showSize?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const url = URL.createObjectURL(await load(file.id));
      const a = document.createElement("a");
      a.href = url;
      a.download = file.name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      // The download has its own copy once started.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="file-download">
      <a
        href={`#file-${file.id}`}
        download={file.name}
        aria-busy={busy || undefined}
        onClick={(e) => {
          e.preventDefault();
          if (!busy) void download();
        }}
      >
        ⬇ {file.name}
      </a>
      {showSize && <span className="small muted"> {formatSize(file.size)}</span>}
      {error && (
        <span className="small error-inline" role="alert">
          {" "}
          {error}
        </span>
      )}
    </span>
  );
}

/** The files a tool call wrote: images inline, the rest as downloads. */
export function ToolFiles({ files, load = api.fileBlob }: { files: FileRef[]; load?: LoadFile }) {
  const images = files.filter(isInlineImage);
  const others = files.filter((f) => !isInlineImage(f));
  return (
    <div className="tool-files" aria-label="Files the tool wrote">
      {images.map((f) => (
        <FileImage key={f.id} file={f} load={load} />
      ))}
      {others.length > 0 && (
        <ul className="tool-downloads">
          {others.map((f) => (
            <li key={f.id}>
              <FileDownload file={f} load={load} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
