// The stored conversation kept up to date from the live events, so that one source of truth holds
// what the thread shows: the conversation as fetched (on opening it, after a resync) plus what the
// events said since. A finished step is written into it from its message.completed, usage and
// step.finished, as the engine stores it; a posted message from the post's answer. Nothing is
// fetched again when a step ends.
//
// What the events cannot carry, and so is still fetched: a step this client did not post and
// whose place is not known (a message sent from another tab: its user message and parent are not
// in any event), every step after missed events (a resync), and the versions of a step after a
// regenerate or an edit (the siblings' ids and the shown branch are the engine's).

import type { LiveAnswer, LiveAnswers } from "./answers";
import type { Conversation, Message, PostedMessage, Step } from "./types";

const OPEN = new Set(["queued", "running", "waiting"]);

/** The stored form of a finished llm step: its end state, model and usage as the events told them. */
export function finishedStep(step: Step, live: LiveAnswer): Step {
  const usage = live.usage;
  const metadata: Record<string, unknown> = { ...(step.metadata ?? {}) };
  if (!live.endsTurn) metadata.finish_reason = "tool_calls";
  if (usage?.memories_used?.length) metadata.memories_used = usage.memories_used;
  if (live.blocked) metadata.moderation = { action: "block", categories: [live.blocked] };
  return {
    ...step,
    status: live.status === "running" ? "completed" : live.status,
    provider: usage?.provider ?? step.provider,
    model: usage?.model ?? (live.model && live.model !== "auto" ? live.model : step.model),
    prompt_tokens: usage ? (usage.prompt_tokens ?? null) : step.prompt_tokens,
    completion_tokens: usage ? (usage.completion_tokens ?? null) : step.completion_tokens,
    usage_cents: usage?.usage_cents ?? step.usage_cents,
    metadata,
  };
}

/** The stored message of a finished answer (only when message.completed named it). */
function answerMessage(live: LiveAnswer): Message | undefined {
  if (!live.messageId) return undefined;
  return {
    id: live.messageId,
    step_id: live.stepId,
    role: "assistant",
    content: live.text,
    ...(live.reasoning ? { reasoning: live.reasoning } : {}),
  };
}

/** True when the step called tools and ended its part of the turn: a follow-up answer comes under it. */
function calledTools(step: Step, live?: LiveAnswer): boolean {
  if (live?.finished) return !live.endsTurn && live.status === "completed";
  return step.status === "completed" && step.metadata?.finish_reason === "tool_calls";
}

/**
 * The step on the shown branch that called tools and has no follow-up answer yet: a new llm step
 * seen live is that follow-up (the engine queues it under the calling step).
 */
export function awaitingFollowUp(conv: Conversation, live: LiveAnswers): Step | undefined {
  const on = conv.active_branch ? new Set(conv.active_branch) : undefined;
  const hasAnswer = new Set(conv.steps.filter((s) => s.type === "llm" && s.parent_step_id).map((s) => s.parent_step_id));
  for (let i = conv.steps.length - 1; i >= 0; i--) {
    const s = conv.steps[i];
    if (s.type !== "llm" || (on && !on.has(s.id))) continue;
    return calledTools(s, live[s.id]) && !hasAnswer.has(s.id) ? s : undefined;
  }
  return undefined;
}

/**
 * The conversation with the live answers written in: finished steps as stored, a tool turn's
 * follow-up placed under its calling step. A step the fetch already holds finished is left as
 * fetched (the stored state is never older than the events it followed).
 */
export function settle(conv: Conversation | null, live: LiveAnswers): Conversation | null {
  if (!conv) return conv;
  const answers = Object.values(live).sort((a, b) => a.order - b.order);
  if (!answers.length) return conv;
  let steps = conv.steps;
  let messages = conv.messages;
  let branch = conv.active_branch;
  let activeStep = conv.active_step_id;
  let changed = false;
  for (const a of answers) {
    let index = steps.findIndex((s) => s.id === a.stepId);
    if (index < 0) {
      // A tool step whose calling answer this client did not see: not an answer to place.
      if (a.toolCalls.some((c) => c.stepId === a.stepId)) continue;
      const caller = awaitingFollowUp({ ...conv, steps, active_branch: branch }, live);
      if (!caller) continue;
      const placed: Step = {
        id: a.stepId,
        parent_step_id: caller.id,
        type: "llm",
        status: "running",
        model: a.model ?? null,
        sibling_ids: [a.stepId],
      };
      steps = [...steps, placed];
      if (branch) branch = [...branch, a.stepId];
      activeStep = a.stepId;
      index = steps.length - 1;
      changed = true;
    }
    const step = steps[index];
    if (!a.finished || !OPEN.has(step.status)) continue;
    steps = steps.map((s, i) => (i === index ? finishedStep(s, a) : s));
    const message = answerMessage(a);
    if (message && !messages.some((m) => m.step_id === a.stepId && m.role === "assistant")) messages = [...messages, message];
    changed = true;
  }
  return changed ? { ...conv, steps, messages, active_branch: branch, active_step_id: activeStep } : conv;
}

/**
 * The conversation with a message this client posted and the answer step the engine queued for
 * it, from the post's answer: the user step under the shown branch's newest step.
 */
export function withPosted(conv: Conversation, posted: PostedMessage, content: string, images: string[] = []): Conversation {
  if (conv.steps.some((s) => s.id === posted.user_step_id)) return conv;
  const parent = conv.active_step_id ?? null;
  const user: Step = {
    id: posted.user_step_id,
    parent_step_id: parent,
    type: "user_input",
    status: "completed",
    sibling_ids: [posted.user_step_id],
  };
  const answer: Step = {
    id: posted.step_id,
    parent_step_id: posted.user_step_id,
    type: "llm",
    status: posted.status === "queued" || posted.status === "running" ? posted.status : "queued",
    model: null,
    sibling_ids: [posted.step_id],
  };
  const message: Message = {
    id: posted.user_message_id,
    step_id: posted.user_step_id,
    role: "user",
    content,
    ...(images.length ? { images } : {}),
  };
  return {
    ...conv,
    steps: [...conv.steps, user, answer],
    messages: [...conv.messages, message],
    active_branch: conv.active_branch ? [...conv.active_branch, user.id, answer.id] : undefined,
    active_step_id: answer.id,
  };
}
