"use client";

import { useEffect, useState } from "react";
import { ApiError, errorText } from "../lib/api";
import { MAX_LIVE_OUTPUT } from "../lib/answers";
import { cardOpen, prettyJson, type ToolCard as Card } from "../lib/toolCards";
import { ToolFiles, type LoadFile } from "./FileViews";

const STATE_LABEL: Record<string, string> = {
  running: "Running…",
  waiting: "Waiting for approval",
  ok: "Done",
  error: "Error",
  invalid_arguments: "Invalid arguments",
  timeout: "Timed out",
  cancelled: "Cancelled",
  denied: "Denied",
  interrupted: "Interrupted",
  unknown_tool: "Unknown tool",
};

function duration(ms?: number): string {
  if (ms == null) return "";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** "9:58 left" until an approval expires; re-rendered every second while shown. */
function useTimeLeft(expiresAt?: string): string {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!expiresAt) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  if (!expiresAt) return "";
  const left = Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
  if (Number.isNaN(left)) return "";
  return left === 0 ? "expired" : `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")} left`;
}

function Approval({
  card,
  onDecide,
}: {
  card: Card;
  onDecide: (stepId: string, approve: boolean) => Promise<unknown>;
}) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const timeLeft = useTimeLeft(card.expiresAt);
  const decide = async (approve: boolean) => {
    if (!card.stepId) return;
    setBusy(true);
    setNote(null);
    try {
      await onDecide(card.stepId, approve);
      // The card changes when the call's events arrive; until then, say what was asked.
      setNote(approve ? "Approved." : "Denied.");
    } catch (e) {
      setNote(
        e instanceof ApiError && e.status === 409
          ? "Already decided or expired."
          : errorText(e),
      );
      setBusy(false);
    }
  };
  return (
    <div className="tool-approval" role="group" aria-label={`Approve ${card.name}?`}>
      <span className="small">Run this tool?</span>
      <button type="button" className="primary" disabled={busy || !card.stepId} onClick={() => void decide(true)}>
        Approve
      </button>
      <button type="button" className="secondary" disabled={busy || !card.stepId} onClick={() => void decide(false)}>
        Deny
      </button>
      {timeLeft && <span className="small muted tool-time-left">{timeLeft}</span>}
      {note && (
        <span className="small muted" role="status">
          {note}
        </span>
      )}
    </div>
  );
}

/** What a running call has printed so far; it grows as output arrives. */
function LiveOutput({ card }: { card: Card }) {
  const chunks = card.output ?? [];
  return (
    <div className="tool-live">
      <div className="small muted">
        Output{card.outputCut ? ` (earlier output cut: the last ${MAX_LIVE_OUTPUT.toLocaleString("en")} characters)` : ""}
      </div>
      <pre className="tool-output" aria-live="polite">
        {chunks.map((c, i) =>
          c.stream === "stderr" ? (
            <span key={i} className="tool-stderr">
              {c.text}
            </span>
          ) : (
            <span key={i}>{c.text}</span>
          ),
        )}
      </pre>
    </div>
  );
}

/**
 * One tool call of an answer: a collapsed line with its state; opened, its arguments and result.
 * While the call runs, what it prints shows below the line; the files it wrote (a chart) stay in
 * view after it ends.
 */
export function ToolCard({
  card,
  onDecide,
  loadFile,
}: {
  card: Card;
  onDecide: (stepId: string, approve: boolean) => Promise<unknown>;
  loadFile?: LoadFile;
}) {
  const label = STATE_LABEL[card.state] ?? card.state;
  const live = cardOpen(card) && (card.output?.length ?? 0) > 0;
  return (
    <div className={`tool-card tool-${card.state}`} data-tool={card.name} data-status={card.state}>
      <details>
        <summary>
          <span className="tool-dot" aria-hidden="true" />
          <span className="tool-name">{card.name}</span>
          <span className="tool-state small">{label}</span>
          {card.durationMs != null && <span className="small muted">{duration(card.durationMs)}</span>}
        </summary>
        <div className="tool-body">
          <div className="small muted">Arguments</div>
          <pre className="tool-args">{prettyJson(card.arguments) || "{}"}</pre>
          {card.result !== undefined && (
            <>
              <div className="small muted">Result{card.truncated ? " (cut for display)" : ""}</div>
              <pre className="tool-result">{prettyJson(card.result)}</pre>
            </>
          )}
        </div>
      </details>
      {live && <LiveOutput card={card} />}
      {card.files && card.files.length > 0 && <ToolFiles files={card.files} load={loadFile} />}
      {card.state === "waiting" && <Approval card={card} onDecide={onDecide} />}
    </div>
  );
}
