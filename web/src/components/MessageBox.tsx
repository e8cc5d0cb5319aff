"use client";

import { useRef, useState, type ClipboardEvent, type KeyboardEvent, type RefObject } from "react";
import { IMAGE_TYPES, MAX_IMAGES, readImage } from "../lib/images";

export interface MessageBoxProps {
  onSend: (text: string, images: string[]) => void;
  disabled?: boolean;
  inputRef?: RefObject<HTMLTextAreaElement | null>;
}

/** Enter sends, Shift+Enter starts a new line; images are attached by button or pasted. */
export function MessageBox({ onSend, disabled, inputRef }: MessageBoxProps) {
  const [text, setText] = useState("");
  const [images, setImages] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const fileRef = useRef<HTMLInputElement | null>(null);

  const send = () => {
    if (disabled) return;
    const content = text.trim();
    if (!content) return;
    onSend(content, images);
    setText("");
    setImages([]);
    setProblem(null);
  };

  const attach = async (files: File[]) => {
    setProblem(null);
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
    const files = [...e.clipboardData.files].filter((f) => f.type.startsWith("image/"));
    if (files.length) {
      e.preventDefault();
      void attach(files);
    }
  };

  return (
    <form
      className="composer"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
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
        accept={IMAGE_TYPES.join(",")}
        multiple
        hidden
        aria-label="Image files"
        onChange={(e) => {
          void attach([...(e.target.files ?? [])]);
          e.target.value = "";
        }}
      />
      <button
        type="button"
        className="icon attach"
        aria-label="Attach images"
        disabled={disabled || images.length >= MAX_IMAGES}
        onClick={() => fileRef.current?.click()}
      >
        📎
      </button>
      <button type="submit" className="primary" disabled={disabled || !text.trim()}>
        Send
      </button>
    </form>
  );
}
