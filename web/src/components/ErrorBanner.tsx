"use client";

import { useEffect, useState } from "react";
import type { ChatError } from "../hooks/useChat";

/** Seconds left until `until` (ms since epoch), rounded up; 0 once passed. */
export function secondsLeft(until: number, now: number): number {
  return Math.max(0, Math.ceil((until - now) / 1000));
}

/** The error above the thread; a rate limit counts down and goes away when the wait is over. */
export function ErrorBanner({ error, onDismiss }: { error: ChatError; onDismiss: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const until = error.retryAt;
  useEffect(() => {
    if (!until) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [until]);
  const left = until ? secondsLeft(until, now) : 0;
  useEffect(() => {
    if (until && left === 0) onDismiss();
  }, [until, left, onDismiss]);
  const text = until
    ? `You are sending messages too quickly. You can send again in ${left} s.`
    : error.text;
  return (
    <div className="banner" role="alert" data-retry={until ? left : undefined}>
      <span>{text}</span>
      <button type="button" className="icon" aria-label="Dismiss error" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
