"use client";

import { useEffect, useLayoutEffect, useRef, useState, type ClipboardEvent, type DragEvent, type KeyboardEvent, type RefObject } from "react";
import { IMAGE_TYPES, MAX_IMAGES, readImage } from "../lib/images";
import { FileChipList, type FileChip } from "./FileChipList";
import { lengthNote, loadDraft, loadLimit, saveDraft, storage, utf8Bytes } from "../lib/draft";
import { secondsLeft } from "./ErrorBanner";

/** The composer grows with its text up to this height, then scrolls. */
const MAX_BOX_PX = 240;

/** What an upload gives back: the file as the conversation now holds it. */
export interface UploadedFile {
  id: string;
  name: string;
  size: number;
}

/** Uploads a file to the conversation (made first if there is none yet), reporting progress 0..1. */
export type UploadFile = (file: File, onProgress: (fraction: number) => void) => Promise<UploadedFile>;

export type { FileChip };

export interface MessageBoxProps {
  /** Resolves false when the engine refused the message: the text stays in the box. */
  onSend: (text: string, images: string[]) => unknown;
  /** Whose draft the box holds (a conversation id, "new"): kept in localStorage until sent. */
  draftKey?: string;
  /** Rate limited until then (ms since epoch): Send waits. */
  waitUntil?: number;
  /** The engine's message length limit in UTF-8 bytes (default: learned, else 32 768). */
  maxBytes?: number;
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
  draftKey,
  waitUntil,
  maxBytes,
}: MessageBoxProps) {
  const [text, setTextState] = useState("");
  const [draftFor, setDraftFor] = useState<string | undefined>(undefined);
  const [limit, setLimit] = useState(maxBytes ?? 32_768);
  const [now, setNow] = useState(() => Date.now());
  const boxRef = useRef<HTMLTextAreaElement | null>(null);
  const setText = (value: string) => {
    setTextState(value);
    if (draftKey) saveDraft(storage(), draftKey, value);
  };
  // Another conversation (or the page loaded): its own draft. A new chat that became a
  // conversation under the text (a file attached before the first message makes it, filesKey
  // unchanged) keeps the text, now as that conversation's draft.
  const [draftFiles, setDraftFiles] = useState(filesKey);
  useEffect(() => {
    if (draftFor === draftKey) return;
    const store = storage();
    const made = draftFor === "new" && draftKey && draftKey !== "new" && draftFiles === filesKey;
    setDraftFor(draftKey);
    setDraftFiles(filesKey);
    if (made && text && !loadDraft(store, draftKey)) {
      saveDraft(store, draftKey, text);
      saveDraft(store, "new", "");
      return;
    }
    setTextState(draftKey ? loadDraft(store, draftKey) : "");
  }, [draftKey, draftFor, draftFiles, filesKey, text]);
  useEffect(() => {
    setLimit(maxBytes ?? loadLimit(storage()));
  }, [maxBytes, text]);
  // Rate limited: Send counts down.
  useEffect(() => {
    if (!waitUntil) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [waitUntil]);
  const wait = waitUntil ? secondsLeft(waitUntil, now) : 0;
  const bytes = utf8Bytes(text);
  const note = lengthNote(bytes, limit);
  // Grows with the text up to MAX_BOX_PX, then scrolls.
  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight + 2, MAX_BOX_PX)}px`;
    el.style.overflowY = el.scrollHeight + 2 > MAX_BOX_PX ? "auto" : "hidden";
  }, [text]);
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

  const send = async () => {
    if (disabled || uploading || wait > 0 || note?.over) return;
    const content = text.trim();
    if (!content) return;
    const typed = text;
    const sentImages = images;
    const sentChips = chips;
    const key = draftKey;
    // Cleared at once (the message shows in the thread); put back if the engine refuses it.
    setTextState("");
    setImages([]);
    setChips([]);
    setProblem(null);
    const accepted = await onSend(content, sentImages);
    if (accepted === false) {
      setTextState((now) => (now ? now : typed));
      setImages((now) => (now.length ? now : sentImages));
      setChips((now) => (now.length ? now : sentChips));
    } else if (key) {
      const s = storage();
      if (loadDraft(s, key) === typed) saveDraft(s, key, "");
      if (key !== "new" && loadDraft(s, "new") === typed) saveDraft(s, "new", "");
    }
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
      void send();
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
        void send();
      }}
      onDragOver={onDragOver}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <FileChipList chips={chips} onRemove={(c) => void removeChip(c)} />
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
        ref={(el) => {
          boxRef.current = el;
          if (inputRef) inputRef.current = el;
        }}
        value={text}
        aria-describedby={note ? "message-length" : undefined}
        aria-invalid={note?.over || undefined}
        rows={2}
        placeholder="Message Grizz (Enter to send, Shift+Enter for a new line)"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
      />
      {note && (
        <p id="message-length" className={`length small${note.over ? " over" : " muted"}`} aria-live="polite">
          {note.text}
        </p>
      )}
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
      <button type="submit" className="primary" disabled={disabled || uploading || !text.trim() || wait > 0 || note?.over}>
        {uploading ? "Uploading…" : wait > 0 ? `Wait ${wait} s` : "Send"}
      </button>
    </form>
  );
}
