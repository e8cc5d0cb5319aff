// The thread as turns: each user message with its answers, where an answer is the chain of llm
// steps of one turn (the step that called tools, then the follow-up that answers with their
// results, and so on) with the tool calls between them, so that it reads as one answer.

import type { LiveAnswer, LiveAnswers } from "./answers";
import { cardOpen, mergeCards, storedCards, type ToolCard } from "./toolCards";
import type { Conversation, Message, Step } from "./types";

/** One llm step of an answer: its text (stored or live) and the tool calls it made. */
export interface Segment {
  stepId: string;
  step?: Step;
  message?: Message;
  live?: LiveAnswer;
  cards: ToolCard[];
}

/** One answer: the llm steps of a turn in order; running until the turn's last step ends. */
export interface AnswerChain {
  key: string;
  segments: Segment[];
  running: boolean;
}

export interface Turn {
  key: string;
  user?: Message;
  /** The user message's step: its parent (to edit it as a new branch) and its versions. */
  userStep?: Step;
  pendingText?: string;
  answers: AnswerChain[];
  /** The summary that stands, in what models are sent, for this turn and every one before it. */
  summary?: string;
}

const ACTIVE = new Set(["queued", "running", "waiting"]);

function segmentActive(s: Segment): boolean {
  if (s.live) return !s.live.finished;
  return ACTIVE.has(s.step?.status ?? "");
}

/** The segment called tools and the turn goes on after them (no follow-up step seen yet). */
function segmentContinues(s: Segment): boolean {
  // A turn stopped while calls were open ends there: no follow-up comes.
  if (s.cards.some((c) => c.state === "cancelled" || c.state === "interrupted")) return false;
  if (s.live?.finished) return !s.live.endsTurn;
  if (s.live || s.step?.status !== "completed") return false;
  // Stored only: the tool steps are made with the calling step's end, so while none ran yet or
  // one is open, the follow-up is still to come.
  return s.step.metadata?.finish_reason === "tool_calls" && (s.cards.length === 0 || s.cards.some(cardOpen));
}

function chainOf(key: string, segments: Segment[]): AnswerChain {
  const last = segments[segments.length - 1];
  const running =
    segments.some(segmentActive) || segments.some((s) => s.cards.some(cardOpen)) || (!!last && segmentContinues(last));
  return { key, segments, running };
}

function liveSegment(live: LiveAnswer): Segment {
  return { stepId: live.stepId, live, cards: mergeCards([], live.toolCalls) };
}

/**
 * The conversation as its shown branch: the steps in `active_branch` and their messages (summary
 * steps, side steps, are kept for their marker); the ids of the steps left out, on other branches.
 * Without `active_branch` (an older engine) every step is shown.
 */
export function activeBranch(conv: Conversation): { conv: Conversation; hidden: Set<string> } {
  if (!conv.active_branch) return { conv, hidden: new Set() };
  const on = new Set(conv.active_branch);
  const kept = (s: Step) => on.has(s.id) || s.type === "summary";
  const steps = conv.steps.filter(kept);
  const shown = new Set(steps.map((s) => s.id));
  const hidden = new Set(conv.steps.filter((s) => !shown.has(s.id)).map((s) => s.id));
  return { conv: { ...conv, steps, messages: conv.messages.filter((m) => shown.has(m.step_id)) }, hidden };
}

/** A step's versions and which one it is (1-based); undefined when it has only itself. */
export function versionsOf(step?: Step): { ids: string[]; index: number } | undefined {
  const ids = step?.sibling_ids ?? [];
  if (!step || ids.length < 2) return undefined;
  const i = ids.indexOf(step.id);
  return i < 0 ? undefined : { ids, index: i + 1 };
}

/**
 * `hideUnplaced`: live answers of steps the stored conversation does not hold yet are left out
 * (while a new version is made, until the conversation is fetched again and places them).
 */
export function buildTurns(
  whole: Conversation | null,
  live: LiveAnswers,
  pending: string | null,
  { hideUnplaced = false }: { hideUnplaced?: boolean } = {},
): Turn[] {
  const turns: Turn[] = [];
  const seen = new Set<string>();
  const { conv, hidden } = whole ? activeBranch(whole) : { conv: null, hidden: new Set<string>() };
  if (conv) {
    const stepById = new Map(conv.steps.map((s) => [s.id, s]));
    const children = new Map<string, Step[]>();
    for (const s of conv.steps) {
      if (!s.parent_step_id) continue;
      const list = children.get(s.parent_step_id) ?? [];
      list.push(s);
      children.set(s.parent_step_id, list);
    }
    const assistantByStep = new Map<string, Message>();
    const results = new Map<string, Message>();
    // A summary step's text is its message: shown as the marker, never as an answer.
    const isSummary = (stepId: string) => stepById.get(stepId)?.type === "summary";
    for (const m of conv.messages) {
      if (isSummary(m.step_id)) continue;
      if (m.role === "assistant") assistantByStep.set(m.step_id, m);
      else if (m.role === "tool" && m.tool_call_id) results.set(m.tool_call_id, m);
    }
    const chain = (head: Step): AnswerChain => {
      const segments: Segment[] = [];
      let current: Step | undefined = head;
      while (current && !seen.has(current.id)) {
        seen.add(current.id);
        const kids: Step[] = children.get(current.id) ?? [];
        const tools = kids.filter((k) => k.type === "tool");
        for (const t of tools) seen.add(t.id);
        const message = assistantByStep.get(current.id);
        const l = live[current.id];
        segments.push({
          stepId: current.id,
          step: current,
          message,
          live: l,
          cards: mergeCards(storedCards(message, tools, results), l?.toolCalls),
        });
        current = kids.find((k) => k.type === "llm");
      }
      return chainOf(head.id, segments);
    };
    for (const m of conv.messages) {
      if (isSummary(m.step_id)) continue;
      if (m.role === "user") {
        const heads = (children.get(m.step_id) ?? []).filter((s) => s.type === "llm" && !seen.has(s.id));
        turns.push({ key: m.id, user: m, userStep: stepById.get(m.step_id), answers: heads.map(chain) });
      } else if (m.role === "assistant" && !seen.has(m.step_id)) {
        const step = stepById.get(m.step_id);
        const answer = step
          ? chain(step)
          : chainOf(m.step_id, [{ stepId: m.step_id, message: m, live: live[m.step_id], cards: [] }]);
        seen.add(m.step_id);
        turns.push({ key: m.id, answers: [answer] });
      }
    }
    for (const s of conv.steps) {
      if (s.type === "llm" && !seen.has(s.id)) turns.push({ key: s.id, answers: [chain(s)] });
      // A tool step is shown on its answer's card, never on its own.
      if (s.type === "tool") seen.add(s.id);
    }
    markSummary(turns, conv);
  }
  // Steps seen live before the conversation was fetched again. After an answer that goes on (it
  // called tools), they are its next steps: the tool steps and the follow-up.
  // Steps of another branch (seen live before the branch was switched) are not shown.
  const orphans = Object.values(live)
    .filter((a) => !seen.has(a.stepId) && !hidden.has(a.stepId) && !hideUnplaced)
    .sort((a, b) => a.order - b.order);
  const pendingAnswers: AnswerChain[] = [];
  const lastChain = (): AnswerChain | undefined => {
    if (pendingAnswers.length) return pendingAnswers[pendingAnswers.length - 1];
    const t = turns[turns.length - 1];
    return t?.answers[t.answers.length - 1];
  };
  for (const orphan of orphans) {
    const previous = lastChain();
    const tail = previous?.segments[previous.segments.length - 1];
    if (previous && tail && segmentContinues(tail)) {
      Object.assign(previous, chainOf(previous.key, [...previous.segments, liveSegment(orphan)]));
    } else {
      pendingAnswers.push(chainOf(orphan.stepId, [liveSegment(orphan)]));
    }
  }
  if (pending !== null || pendingAnswers.length) {
    turns.push({ key: "pending", pendingText: pending ?? undefined, answers: pendingAnswers });
  }
  return turns;
}

/**
 * Marks the turn after which the newest finished summary took over: the one whose answer holds the
 * summary's parent (the last step it covers). Older summaries are folded into the newest.
 */
function markSummary(turns: Turn[], conv: Conversation) {
  const summaries = conv.steps.filter((s) => s.type === "summary" && s.status === "completed");
  for (let i = summaries.length - 1; i >= 0; i--) {
    const s = summaries[i];
    const text = conv.messages.find((m) => m.step_id === s.id)?.content;
    const turn = turns.find((t) => t.answers.some((a) => a.segments.some((g) => g.stepId === s.parent_step_id)));
    if (text && turn) {
      turn.summary = text;
      return;
    }
  }
}

/** The step to cancel to stop a running answer (cancelling any step of a turn stops the turn). */
export function stepToStop(chain: AnswerChain): string {
  const open = chain.segments.find((s) => segmentActive(s));
  return (open ?? chain.segments[chain.segments.length - 1]).stepId;
}

/** An answer's whole text, as a reader copies it: each step's text (stored, else live), blank-line apart. */
export function chainText(chain: AnswerChain): string {
  return chain.segments
    .map((s) => (s.message?.content || s.live?.text || "").trim())
    .filter(Boolean)
    .join("\n\n");
}
