// The chat's pure helpers (src/hooks/useChat.ts): its errors for the banner, the title a first
// message gives a conversation, the model a message asks for, and a message's client id.

import { ApiError, errorText } from "./errors";
import { limitFromMessage, saveLimit, storage } from "./draft";
import { isOutage } from "./outage";

export interface ChatError {
  text: string;
  /** The engine could not be reached: cleared once it answers again. */
  outage?: boolean;
  /** Rate limited: the time (ms since epoch) after which sending may work again. */
  retryAt?: number;
}

export function newClientMsgId(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && "randomUUID" in c) return c.randomUUID();
  return `m-${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/** The model a message asks for: none when the picker says "auto" (the router picks). */
export function chosenModel(model: string): string | undefined {
  return model && model !== "auto" ? model : undefined;
}

/** The title the engine gives a conversation from its first message (ChatService.titleFrom). */
export function titleFrom(message: string): string {
  const line = message.trim().split("\n")[0].trim();
  if (line.length <= 60) return line || "New conversation";
  const cut = line.lastIndexOf(" ", 60);
  return line.slice(0, cut > 30 ? cut : 60).trim() + "…";
}

/** An error for the banner; a rate limit carries when it ends (details or Retry-After). */
export function chatError(e: unknown, now = Date.now()): ChatError {
  const text = errorText(e);
  if (e instanceof ApiError && e.code === "content_too_large") {
    const limit = limitFromMessage(e.message);
    if (limit) saveLimit(storage(), limit);
  }
  if (isOutage(e)) return { text, outage: true };
  if (e instanceof ApiError && e.code === "rate_limited") {
    const wait = Number(e.details?.retry_after_seconds);
    if (wait > 0) return { text, retryAt: now + Math.ceil(wait) * 1000 };
  }
  return { text };
}
