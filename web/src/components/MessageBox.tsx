"use client";

import { useRef, useState, type ClipboardEvent, type DragEvent, type KeyboardEvent, type RefObject } from "react";
import { IMAGE_TYPES, MAX_IMAGES, readImage } from "../lib/images";
import { formatSize } from "./FileViews";

/** What an upload gives back: the file as the conversation now holds it. */
export interface UploadedFile {
  id: string;
  name: string;
  size: number;
}

/** Uploads a file to the conversation (made first if there is none yet), reporting progress 0..1. */
export type UploadFile = (file: File, onProgress: (fraction: number) => void) => Promise<UploadedFile>;

export interface MessageBoxProps {
  onSend: (text: string, images: string[]) => void;
  disabled?: boolean;
  inputRef?: RefObject<HTMLTextAreaElement | null>;
  /** Files that are not images go to the conversation's files (the code interpreter's /mnt/data). */
  onUploadFile?: UploadFile;
  /** Removes an uploaded file from the conversation again. */
  onRemoveFile?: (id: string) => Promise<unknown>;
  /** Why an upload failed, in plain words. */
  uploadError?: (e: unknown) => string;
  /** Changes when another conversation is opened: the file chips shown belong to the one before. */
  filesKey?: unknown;
}

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

let chipKeys = 0;

/**
 * Enter sends, Shift+Enter starts a new line. Images (by button, paste or drop) go with the message
 * for the model to see; any other file is uploaded to the conversation for the code interpreter.
 */
export function MessageBox({
  onSend,
  disabled,
  inputRef,
  onUploadFile,
  onRemoveFile,
  uploadError,
  filesKey,
}: MessageBoxProps) {
  const [text, setText] = useState("");
  const [images, setImages] = useState<string[]>([]);
  const [chips, setChips] = useState<FileChip[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileRef = useRef<HTMLInputElement | null>(null);
  const uploading = chips.some((c) => c.state === "uploading");
  const [chipsFor, setChipsFor] = useState(filesKey);
  if (chipsFor !== filesKey) {
    // Another conversation: its files are not the ones these chips show.
    setChipsFor(filesKey);
    setChips([]);
  }

  const send = () => {
    if (disabled || uploading) return;
    const content = text.trim();
    if (!content) return;
    onSend(content, images);
    setText("");
    setImages([]);
    setChips([]);
    setProblem(null);
  };

  const change = (key: number, patch: Partial<FileChip>) =>
    setChips((prev) => prev.map((c) => (c.key === key ? { ...c, ...patch } : c)));

  const upload = async (file: File) => {
    if (!onUploadFile) return;
    const key = ++chipKeys;
    setChips((prev) => [...prev, { key, name: file.name || "file", size: file.size, state: "uploading", progress: 0 }]);
    try {
      const done = await onUploadFile(file, (progress) => change(key, { progress }));
      change(key, { state: "done", progress: 1, id: done.id, name: done.name, size: done.size });
    } catch (e) {
      change(key, {
        state: "failed",
        error: uploadError ? uploadError(e) : e instanceof Error ? e.message : String(e),
      });
    }
  };

  const removeChip = async (chip: FileChip) => {
    setChips((prev) => prev.filter((c) => c.key !== chip.key));
    if (chip.state === "done" && chip.id && onRemoveFile) {
      try {
        await onRemoveFile(chip.id);
      } catch (e) {
        setProblem(`${chip.name} could not be removed: ${uploadError ? uploadError(e) : String(e)}`);
      }
    }
  };

  /** Images with the message (vision input), any other file to the conversation's files. */
  const attach = async (all: File[]) => {
    setProblem(null);
    const isImage = (f: File) => IMAGE_TYPES.includes(f.type);
    const others = onUploadFile ? all.filter((f) => !isImage(f)) : [];
    const files = onUploadFile ? all.filter(isImage) : all;
    for (const f of others) void upload(f);
    if (!files.length) return;
    const room = MAX_IMAGES - images.length;
    if (files.length > room) setProblem(`A message holds at most ${MAX_IMAGES} images.`);
    const added: string[] = [];
    for (const file of files.slice(0, Math.max(0, room))) {
      try {
        added.push(await readImage(file));
      } catch (e) {
        setProblem(e instanceof Error ? e.message : String(e));
      }
    }
    if (added.length) setImages((prev) => [...prev, ...added].slice(0, MAX_IMAGES));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...e.clipboardData.files].filter((f) => onUploadFile || f.type.startsWith("image/"));
    if (files.length) {
      e.preventDefault();
      void attach(files);
    }
  };

  const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes("Files");
  const onDragOver = (e: DragEvent<HTMLFormElement>) => {
    if (disabled || !hasFiles(e)) return;
    e.preventDefault();
    setDragging(true);
  };
  const onDrop = (e: DragEvent<HTMLFormElement>) => {
    setDragging(false);
    if (disabled || !e.dataTransfer?.files?.length) return;
    e.preventDefault();
    void attach([...e.dataTransfer.files]);
  };

  return (
    <form
      className={`composer${dragging ? " dragging" : ""}`}
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
      onDragOver={onDragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {chips.length > 0 && (
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
                onClick={() => void removeChip(c)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {images.length > 0 && (
        <ul className="attachments" aria-label="Attached images">
          {images.map((src, i) => (
            <li key={i}>
              <img src={src} alt={`Attached image ${i + 1}`} className="thumb" />
              <button
                type="button"
                className="icon"
                aria-label={`Remove image ${i + 1}`}
                onClick={() => setImages((prev) => prev.filter((_, j) => j !== i))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {problem && (
        <p className="error-inline small" role="alert">
          {problem}
        </p>
      )}
      <label htmlFor="message" className="sr-only">
        Message
      </label>
      <textarea
        id="message"
        ref={inputRef}
        value={text}
        rows={2}
        placeholder="Message Grizz (Enter to send, Shift+Enter for a new line)"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
      />
      <input
        ref={fileRef}
        type="file"
        accept={onUploadFile ? undefined : IMAGE_TYPES.join(",")}
        multiple
        hidden
        aria-label={onUploadFile ? "Files" : "Image files"}
        onChange={(e) => {
          void attach([...(e.target.files ?? [])]);
          e.target.value = "";
        }}
      />
      <button
        type="button"
        className="icon attach"
        aria-label={onUploadFile ? "Attach files" : "Attach images"}
        title={onUploadFile ? "Attach files (images go to the model with the message; other files to the code interpreter)" : undefined}
        disabled={disabled || (!onUploadFile && images.length >= MAX_IMAGES)}
        onClick={() => fileRef.current?.click()}
      >
        📎
      </button>
      <button type="submit" className="primary" disabled={disabled || uploading || !text.trim()}>
        {uploading ? "Uploading…" : "Send"}
      </button>
    </form>
  );
}
