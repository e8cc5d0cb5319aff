"use client";

import { useState, type KeyboardEvent, type RefObject } from "react";

export interface MessageBoxProps {
  onSend: (text: string) => void;
  disabled?: boolean;
  inputRef?: RefObject<HTMLTextAreaElement | null>;
}

/** Enter sends, Shift+Enter starts a new line. */
export function MessageBox({ onSend, disabled, inputRef }: MessageBoxProps) {
  const [text, setText] = useState("");

  const send = () => {
    if (disabled) return;
    const content = text.trim();
    if (!content) return;
    onSend(content);
    setText("");
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
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
      />
      <button type="submit" className="primary" disabled={disabled || !text.trim()}>
        Send
      </button>
    </form>
  );
}
