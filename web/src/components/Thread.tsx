"use client";

import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { atBottom } from "../lib/scroll";
import type { Turn } from "../lib/turns";
import type { AnswerTrace, Rating } from "../lib/types";
import { Answer } from "./Answer";
import { SummaryMarker } from "./MemoryPanel";
import { UserMessage } from "./UserMessage";

/** What can be done to the shown messages: versions, regenerate, edit, rate. */
export interface ThreadActions {
  /** A turn runs or a change is under way: no new versions until it ends. */
  busy: boolean;
  onSwitch: (stepId: string) => Promise<unknown>;
  onRegenerate: (stepId: string) => Promise<unknown>;
  /** Resolves true when the edited message was sent (the editor closes). */
  onEdit: (userStepId: string, content: string) => Promise<boolean>;
  onRate: (stepId: string, rating: Rating | null) => Promise<unknown>;
  onTrace: (stepId: string) => Promise<AnswerTrace>;
  errorText: (e: unknown) => string;
}

/** How much the newest running answer has shown: it changes whenever the thread grows. */
function progress(turns: Turn[]): number {
  let n = turns.length;
  for (const t of turns)
    for (const a of t.answers) {
      if (!a.running) continue;
      for (const s of a.segments) {
        n += s.live?.text.length ?? 0;
        for (const c of s.cards) n += 1 + (c.output ?? []).reduce((m, o) => m + o.text.length, 0);
      }
    }
  return n;
}

/**
 * The messages. New text keeps the bottom in view only while the reader is at the bottom;
 * scrolled up, the view stays where it is and "Jump to latest" brings them back.
 */
export function Thread({
  turns,
  conversationKey,
  onDecide,
  actions,
}: {
  turns: Turn[];
  actions?: ThreadActions;
  /** Changes when another conversation opens: it starts at its bottom. */
  conversationKey: string | null;
  onDecide: (stepId: string, approve: boolean) => Promise<unknown>;
}) {
  const ref = useRef<HTMLElement | null>(null);
  const stick = useRef(true);
  const [behind, setBehind] = useState(false);
  const grown = progress(turns);
  const lastTurnKey = turns.length ? turns[turns.length - 1].key : "";

  const toBottom = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    stick.current = true;
    setBehind(false);
    el.scrollTop = el.scrollHeight;
  }, []);

  // Another conversation, or a new message sent: to the bottom.
  useLayoutEffect(() => toBottom(), [conversationKey, lastTurnKey, toBottom]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (stick.current) el.scrollTop = el.scrollHeight;
    else setBehind(!atBottom(el));
  }, [grown]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    const bottom = atBottom(el);
    stick.current = bottom;
    if (bottom) setBehind(false);
  };

  return (
    <div className="thread-wrap">
      <section className="thread" aria-label="Messages" ref={ref} onScroll={onScroll}>
        {turns.length === 0 && (
          <div className="empty">
            <h2>What can I help with?</h2>
            <p className="muted">Answers stream in as they are written.</p>
          </div>
        )}
        {turns.map((t) => (
          <div key={t.key} className="turn">
            {(t.user || t.pendingText !== undefined) && <UserMessage turn={t} actions={actions} />}
            {t.answers.map((a) => (
              <Answer key={a.key} chain={a} onDecide={onDecide} actions={actions} />
            ))}
            {t.summary && <SummaryMarker text={t.summary} />}
          </div>
        ))}
      </section>
      {behind && (
        <button type="button" className="jump" onClick={toBottom}>
          ↓ Jump to latest
        </button>
      )}
    </div>
  );
}
