"use client";

import { plainError } from "../lib/api";
import { formatCents } from "../lib/format";
import { cardOpen } from "../lib/toolCards";
import type { AnswerChain, Segment } from "../lib/turns";
import type { Step } from "../lib/types";
import { Markdown } from "./Markdown";
import { ToolCard } from "./ToolCard";
import { MemoriesUsed } from "./MemoryPanel";
import { AnswerActions } from "./AnswerActions";
import type { ThreadActions } from "./Thread";

export { formatCents };

/** The category a stored answer was blocked for, from its step's metadata. */
function blockedCategory(step?: Step): string | undefined {
  const moderation = step?.metadata?.moderation as
    | { action?: string; categories?: string[] }
    | undefined;
  return moderation?.action === "block" ? (moderation.categories?.[0] ?? "policy") : undefined;
}

function segmentRunning(s: Segment): boolean {
  if (s.live) return !s.live.finished;
  return s.step?.status === "queued" || s.step?.status === "running";
}

export function segmentStatus(s: Segment): string | undefined {
  return s.live?.finished || !s.live ? (s.step?.status ?? s.live?.status) : s.live.status;
}

function segmentText(s: Segment): string {
  return segmentRunning(s) || !s.message ? (s.live?.text ?? s.message?.content ?? "") : s.message.content;
}

const named = (model?: string | null) => (model && model !== "auto" ? model : undefined);

/**
 * The model that wrote a segment, once known: the stored step's (after routing), the usage
 * event's, or the step.model (router's pick) or step.started event's; never the "auto" a step is
 * stored with before routing.
 */
export function segmentModel(s: Segment): string | undefined {
  const usage = s.live?.usage;
  if (named(s.step?.model)) return `${s.step!.provider ? s.step!.provider + "/" : ""}${s.step!.model}`;
  if (named(usage?.model)) return `${usage!.provider ? usage!.provider + "/" : ""}${usage!.model}`;
  return named(s.live?.model);
}

/** Tokens and cost over the turn's llm steps; a count no step reported stays absent. */
export function turnUsage(segments: Segment[]) {
  let prompt: number | undefined;
  let completion: number | undefined;
  let cents: number | undefined;
  let estimated = false;
  let model: string | undefined;
  for (const s of segments) {
    const usage = s.live?.usage;
    const p = s.step?.prompt_tokens ?? usage?.prompt_tokens;
    const c = s.step?.completion_tokens ?? usage?.completion_tokens;
    const cost = s.step?.usage_cents ?? usage?.usage_cents;
    if (p != null) prompt = (prompt ?? 0) + p;
    if (c != null) completion = (completion ?? 0) + c;
    if (cost != null) cents = (cents ?? 0) + cost;
    estimated ||= !!usage?.estimated;
    model = segmentModel(s) ?? model;
  }
  // A failed answer that wrote nothing costs nothing: no charge is shown for it.
  const failedEmpty = segments.every((s) => segmentStatus(s) === "failed" || segmentStatus(s) === "cancelled") && !completion;
  if (failedEmpty && segments.some((s) => segmentStatus(s) === "failed")) cents = undefined;
  return { prompt, completion, cents, estimated, model };
}

function SegmentView({
  s,
  onDecide,
}: {
  s: Segment;
  onDecide: (stepId: string, approve: boolean) => Promise<unknown>;
}) {
  const running = segmentRunning(s);
  const text = segmentText(s);
  const status = segmentStatus(s);
  const error = s.live?.error;
  const blocked = s.live?.blocked ?? blockedCategory(s.step);
  const reasoning = running || !s.message ? (s.live?.reasoning ?? "") : (s.message.reasoning ?? "");
  return (
    <div className="segment" data-step-id={s.stepId}>
      {reasoning && !blocked && (
        <details className="reasoning" open={running && !text}>
          <summary className="small muted">Reasoning</summary>
          <p className="reasoning-text small">{reasoning}</p>
        </details>
      )}
      {blocked ? (
        <p className="muted" role="note">
          This answer was hidden by the content policy ({blocked}).
        </p>
      ) : text ? (
        <Markdown text={text} />
      ) : null}
      {s.cards.length > 0 && (
        <div className="tool-cards">
          {s.cards.map((c) => (
            <ToolCard key={c.callId} card={c} onDecide={onDecide} />
          ))}
        </div>
      )}
      {error && (
        <p className="error-inline" role="alert">
          {plainError(error.code, error.message)}
        </p>
      )}
      {!running && status === "failed" && !error && (
        <p className="error-inline" role="alert">
          The answer failed.
        </p>
      )}
    </div>
  );
}

/**
 * One answer: the llm steps of a turn as one message (the text before the tool calls, the calls
 * as cards, the answer after them), running until the turn's last step ends.
 */
export function Answer({
  chain,
  onDecide,
  actions,
}: {
  chain: AnswerChain;
  onDecide: (stepId: string, approve: boolean) => Promise<unknown>;
  actions?: ThreadActions;
}) {
  const { segments, running } = chain;
  const last = segments[segments.length - 1];
  const status = last ? segmentStatus(last) : undefined;
  // Stopped while a call was open: the calling step completed, its calls were cancelled.
  const anyCancelled = segments.some(
    (s) => segmentStatus(s) === "cancelled" || s.cards.some((c) => c.state === "cancelled"),
  );
  const cardsOpen = segments.some((s) => s.cards.some(cardOpen));
  const usage = turnUsage(segments);
  const memories = segments
    .map((s) => s.step?.metadata?.memories_used as { id: string; content: string }[] | undefined)
    .find((m) => Array.isArray(m) && m.length > 0);
  const showThinking = running && !cardsOpen && !(last && segmentText(last));
  return (
    <article
      className={`msg assistant${running ? " streaming" : ""}`}
      data-step-id={segments[0]?.stepId}
      data-status={running ? "running" : status}
      aria-label="Answer"
    >
      <div className="answer-body" aria-live="polite" aria-busy={running}>
        {segments.map((s) => (
          <SegmentView key={s.stepId} s={s} onDecide={onDecide} />
        ))}
        {showThinking && <p className="muted">Thinking…</p>}
        {running && <span className="cursor" aria-hidden="true" />}
      </div>
      {!running && anyCancelled && <p className="muted small">Stopped.</p>}
      <div className="meta small muted">
        {usage.model && <span>{usage.model}</span>}
        {(usage.prompt != null || usage.completion != null) && (
          <span className="usage">
            {usage.prompt ?? 0} in · {usage.completion ?? 0} out tokens
            {usage.cents != null ? ` · ${formatCents(usage.cents)}` : ""}
            {usage.estimated ? " (estimated)" : ""}
          </span>
        )}
      </div>
      {memories && <MemoriesUsed used={memories} />}
      {actions && <AnswerActions chain={chain} actions={actions} />}
    </article>
  );
}
