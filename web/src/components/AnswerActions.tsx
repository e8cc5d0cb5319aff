"use client";

import { useCallback, useState } from "react";
import { chainText, type AnswerChain } from "../lib/turns";
import type { ThreadActions } from "./Thread";
import { VersionPager } from "./VersionPager";
import { TracePanel } from "./TracePanel";

/**
 * Under a finished answer: its versions, Copy, Good/Bad (the stored rating pressed), Regenerate and
 * "How this answer was made" (its trace).
 */
export function AnswerActions({ chain, actions }: { chain: AnswerChain; actions: ThreadActions }) {
  const [copied, setCopied] = useState(false);
  const [traceOpen, setTraceOpen] = useState(false);
  const head = chain.segments[0]?.step;
  const headId = head?.id;
  const { onTrace } = actions;
  const loadTrace = useCallback(() => onTrace(headId ?? ""), [onTrace, headId]);
  if (!head) return null;
  const rating = head.feedback?.rating ?? null;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(chainText(chain));
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  const rate = (r: "up" | "down") => void actions.onRate(head.id, rating === r ? null : r);
  return (
    <div className="answer-actions" role="group" aria-label="Answer actions">
      <VersionPager step={head} what="answer" disabled={actions.busy} onSwitch={actions.onSwitch} />
      {!chain.running && (
        <>
          <button type="button" className="act" aria-label="Copy answer" onClick={() => void copy()}>
            {copied ? "Copied" : "Copy"}
          </button>
          <button type="button" className="act" aria-label="Good answer" aria-pressed={rating === "up"} onClick={() => rate("up")}>
            ▲ Good
          </button>
          <button type="button" className="act" aria-label="Bad answer" aria-pressed={rating === "down"} onClick={() => rate("down")}>
            ▼ Bad
          </button>
          <button
            type="button"
            className="act"
            aria-label="Regenerate answer"
            disabled={actions.busy}
            onClick={() => void actions.onRegenerate(head.id)}
          >
            ↻ Regenerate
          </button>
          <button type="button" className="act" aria-expanded={traceOpen} onClick={() => setTraceOpen((o) => !o)}>
            How this answer was made
          </button>
        </>
      )}
      {traceOpen && !chain.running && <TracePanel load={loadTrace} errorText={actions.errorText} />}
    </div>
  );
}
