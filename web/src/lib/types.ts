// Wire shapes of the Grizz engine's API (snake_case as sent).

/** `waiting`: a tool step whose call waits for the user's approval. */
export type StepStatus = "queued" | "running" | "waiting" | "completed" | "failed" | "cancelled";

/** A tool call an answer made, as stored with its message. */
export interface StoredToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface Message {
  id: string;
  step_id: string;
  /** `tool`: a tool call's result (`content`), answering `tool_call_id`; shown inside its answer. */
  role: "user" | "assistant" | "tool";
  content: string;
  token_count?: number | null;
  created_at?: string;
  /** A thinking model's reasoning behind this answer, when it relayed any. */
  reasoning?: string;
  /** Images a user sent with the message (https: or data: URLs). */
  images?: string[];
  /** The tools an assistant message called, in the order called. */
  tool_calls?: StoredToolCall[];
  tool_call_id?: string;
}

export interface Step {
  id: string;
  parent_step_id?: string | null;
  /** A `tool` step runs one call of its parent llm step (`metadata.call_id`, `name`, `outcome`…). */
  type: "user_input" | "llm" | "tool" | "summary";
  status: StepStatus;
  provider?: string | null;
  model?: string | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  usage_cents?: number | null;
  metadata?: Record<string, unknown> | null;
  /** The versions of this step (the steps beside it under one parent), oldest first, itself included. */
  sibling_ids?: string[];
  /** The user's rating of an answer. */
  feedback?: StepFeedback | null;
}

export type Rating = "up" | "down";

export interface StepFeedback {
  rating: Rating | null;
  comment?: string | null;
  updated_at?: string;
}

/** A conversation's own settings; a setting left out is not set (the engine's default applies). */
export interface ConversationSettings {
  model?: string;
  system_prompt?: string;
  temperature?: number;
  max_tokens?: number;
  /** The tools the conversation may use; absent or null: every tool the user may use; []: none. */
  tools?: string[] | null;
}

/** A tool the engine offers (`GET /api/v1/tools`). */
export interface ToolInfo {
  name: string;
  description: string;
  parameters?: unknown;
  source?: string;
  timeout_ms?: number;
  max_result_chars?: number;
  idempotent?: boolean;
  needs_approval?: boolean;
}

export interface ConversationSummary {
  id: string;
  title: string | null;
  status?: string;
  created_at?: string;
  updated_at?: string;
  settings?: ConversationSettings;
}

export interface Conversation extends ConversationSummary {
  messages: Message[];
  /** Every step of every branch; only those in `active_branch` are shown. */
  steps: Step[];
  /** The shown branch's newest step. */
  active_step_id?: string | null;
  /** The shown branch's steps, root first, with the tool steps they ran. */
  active_branch?: string[];
}

/** `POST …/steps/{id}/regenerate`: the new version of an answer. */
export interface Regenerated {
  conversation_id: string;
  user_step_id: string;
  step_id: string;
  version_of: string;
}

export interface ConversationPage {
  items: ConversationSummary[];
  next_cursor: string | null;
}

export interface ModelInfo {
  id: string;
  provider: string;
  model: string;
  context_tokens?: number;
  input_cents_per_million?: number;
  output_cents_per_million?: number;
}

export interface ModelsResponse {
  default: string;
  strategy?: string;
  route?: string[];
  models: ModelInfo[];
}

export interface PostedMessage {
  conversation_id: string;
  user_step_id: string;
  user_message_id: string;
  step_id: string;
  status: string;
}

// The event contract (ARCHITECTURE.md, "Event contract"): one frame shape on WS, SSE and
// long-poll. The union mirrors the engine's sealed EventData records; test/events.contract.test.ts
// checks it against test/fixtures/events.json, which the engine's EventContractTests writes from
// those records, so a field added on one side only fails a test.

/** Fields every logged event has; `id` is the cursor a client resumes after. */
export interface EventEnvelope {
  id: string;
  conversation_id: string;
  task_id: string;
  step_id: string;
  seq: number;
  /** The attempt of the step that wrote it; a `step.restarted` raises it. */
  attempt: number;
  ts: string;
}

export interface StepStartedData {
  model: string;
  attempt: number;
}

/** The model generating the step now (provider/model): the router's pick, or a fallback's. */
export interface StepModelData {
  model: string;
}

export interface StepRestartedData {
  attempt: number;
  reason: string;
}

export interface MessageDeltaData {
  text: string;
  /** Set when a backlog's consecutive deltas were merged: the frame covers seq_from..seq. */
  seq_from?: number;
}

export interface ReasoningDeltaData {
  text: string;
}

export interface MessageCompletedData {
  message_id: string;
  text: string;
}

export interface UsageData {
  provider: string;
  model: string;
  /** Null when the provider did not report it (missing is not zero). */
  prompt_tokens: number | null;
  completion_tokens: number | null;
  usage_cents: number;
  estimated: boolean;
  /** The user's memories the answer was sent; sent only when there are some. */
  memories_used?: MemoryUsed[];
}

/** A memory an answer was sent (as the step's `metadata.memories_used` holds it). */
export interface MemoryUsed {
  id: string;
  content: string;
}

export interface ModerationBlockedData {
  direction: string;
  category: string;
  categories: string[];
}

export type StepCancelledData = Record<string, never>;

export interface StepFailedData {
  code: string;
  message: string;
}

/** One piece of a tool call's arguments as the model writes it (pieces concatenate per call_id). */
export interface ToolCallData {
  call_id: string;
  name: string;
  arguments: string;
}

/** A tool call waits for the user's approval (approve or deny the step that sent this). */
export interface ToolApprovalData {
  call_id: string;
  name: string;
  arguments: string;
  expires_at: string;
}

/** A running tool call's output as it prints (shown live; the tool.result that follows counts). */
export interface ToolOutputData {
  call_id: string;
  stream: string;
  text: string;
}

/** A file a tool call wrote (a chart), served at `/api/v1/files/{id}`. */
export interface FileRef {
  id: string;
  name: string;
  media_type: string;
  size: number;
}

/** A tool call ended; `result` is cut for display when `truncated`; `files` it wrote, if any. */
export interface ToolResultData {
  call_id: string;
  name: string;
  status: string;
  result: string;
  truncated: boolean;
  duration_ms: number;
  files?: FileRef[];
}

export interface StepFinishedData {
  status: string;
  /** True when more steps of the same turn follow (tool calls and the answer after them); sent only when true. */
  continues?: boolean;
}

export interface ErrorData {
  code: string;
  message: string;
  trace_id: string | null;
  details?: Record<string, unknown>;
}

/** Each event type's `data`. */
export interface EventDataByType {
  "step.started": StepStartedData;
  "step.model": StepModelData;
  "step.restarted": StepRestartedData;
  "message.delta": MessageDeltaData;
  "reasoning.delta": ReasoningDeltaData;
  "message.completed": MessageCompletedData;
  usage: UsageData;
  "moderation.blocked": ModerationBlockedData;
  "step.cancelled": StepCancelledData;
  "step.failed": StepFailedData;
  "tool.call": ToolCallData;
  "tool.approval": ToolApprovalData;
  "tool.output": ToolOutputData;
  "tool.result": ToolResultData;
  "step.finished": StepFinishedData;
  error: ErrorData;
}

export type ChatEventType = keyof EventDataByType;

/** A logged event of a step: the envelope, discriminated by `type`. */
export type StepEvent = {
  [T in Exclude<ChatEventType, "error">]: EventEnvelope & { type: T; data: EventDataByType[T] };
}[Exclude<ChatEventType, "error">];

/** An error frame a transport sends one client, outside the log: it has no envelope. */
export type ErrorFrame = Partial<EventEnvelope> & { type: "error"; data: ErrorData };

export type ChatEvent = StepEvent | ErrorFrame;

/** One field of an event as the contract fixture describes it. */
export interface FieldSpec {
  kind: "string" | "number" | "boolean" | "string[]" | "object[]" | "object";
  nullable: boolean;
  optional: boolean;
}

type KindOf<V> = [NonNullable<V>] extends [string]
  ? "string"
  : [NonNullable<V>] extends [number]
    ? "number"
    : [NonNullable<V>] extends [boolean]
      ? "boolean"
      : [NonNullable<V>] extends [string[]]
        ? "string[]"
        : [NonNullable<V>] extends [object[]]
          ? "object[]"
          : "object";

type SpecOf<V> = {
  kind: KindOf<V>;
  nullable: null extends V ? true : false;
  optional: undefined extends V ? true : false;
};

type ShapeOf<D> = { [K in keyof D]-?: SpecOf<D[K]> };

/**
 * The union above at run time, for the contract test and the type guard. Its type is derived from
 * the interfaces: a field added to, dropped from or retyped in one of them without the same change
 * here does not compile, so this and the interfaces cannot disagree.
 */
export const EVENT_SHAPES: { envelope: ShapeOf<EventEnvelope> } & {
  [T in ChatEventType]: ShapeOf<EventDataByType[T]>;
} = {
  envelope: {
    id: { kind: "string", nullable: false, optional: false },
    conversation_id: { kind: "string", nullable: false, optional: false },
    task_id: { kind: "string", nullable: false, optional: false },
    step_id: { kind: "string", nullable: false, optional: false },
    seq: { kind: "number", nullable: false, optional: false },
    attempt: { kind: "number", nullable: false, optional: false },
    ts: { kind: "string", nullable: false, optional: false },
  },
  "step.started": {
    model: { kind: "string", nullable: false, optional: false },
    attempt: { kind: "number", nullable: false, optional: false },
  },
  "step.model": {
    model: { kind: "string", nullable: false, optional: false },
  },
  "step.restarted": {
    attempt: { kind: "number", nullable: false, optional: false },
    reason: { kind: "string", nullable: false, optional: false },
  },
  "message.delta": {
    text: { kind: "string", nullable: false, optional: false },
    seq_from: { kind: "number", nullable: false, optional: true },
  },
  "reasoning.delta": {
    text: { kind: "string", nullable: false, optional: false },
  },
  "message.completed": {
    message_id: { kind: "string", nullable: false, optional: false },
    text: { kind: "string", nullable: false, optional: false },
  },
  usage: {
    provider: { kind: "string", nullable: false, optional: false },
    model: { kind: "string", nullable: false, optional: false },
    prompt_tokens: { kind: "number", nullable: true, optional: false },
    completion_tokens: { kind: "number", nullable: true, optional: false },
    usage_cents: { kind: "number", nullable: false, optional: false },
    estimated: { kind: "boolean", nullable: false, optional: false },
    memories_used: { kind: "object[]", nullable: false, optional: true },
  },
  "moderation.blocked": {
    direction: { kind: "string", nullable: false, optional: false },
    category: { kind: "string", nullable: false, optional: false },
    categories: { kind: "string[]", nullable: false, optional: false },
  },
  "step.cancelled": {},
  "step.failed": {
    code: { kind: "string", nullable: false, optional: false },
    message: { kind: "string", nullable: false, optional: false },
  },
  "tool.call": {
    call_id: { kind: "string", nullable: false, optional: false },
    name: { kind: "string", nullable: false, optional: false },
    arguments: { kind: "string", nullable: false, optional: false },
  },
  "tool.approval": {
    call_id: { kind: "string", nullable: false, optional: false },
    name: { kind: "string", nullable: false, optional: false },
    arguments: { kind: "string", nullable: false, optional: false },
    expires_at: { kind: "string", nullable: false, optional: false },
  },
  "tool.output": {
    call_id: { kind: "string", nullable: false, optional: false },
    stream: { kind: "string", nullable: false, optional: false },
    text: { kind: "string", nullable: false, optional: false },
  },
  "tool.result": {
    call_id: { kind: "string", nullable: false, optional: false },
    name: { kind: "string", nullable: false, optional: false },
    status: { kind: "string", nullable: false, optional: false },
    result: { kind: "string", nullable: false, optional: false },
    truncated: { kind: "boolean", nullable: false, optional: false },
    duration_ms: { kind: "number", nullable: false, optional: false },
    files: { kind: "object[]", nullable: false, optional: true },
  },
  "step.finished": {
    status: { kind: "string", nullable: false, optional: false },
    continues: { kind: "boolean", nullable: false, optional: true },
  },
  error: {
    code: { kind: "string", nullable: false, optional: false },
    message: { kind: "string", nullable: false, optional: false },
    trace_id: { kind: "string", nullable: true, optional: false },
    details: { kind: "object", nullable: false, optional: true },
  },
};

function fits(value: unknown, spec: FieldSpec): boolean {
  if (value === undefined) return spec.optional;
  if (value === null) return spec.nullable;
  switch (spec.kind) {
    case "string[]":
      return Array.isArray(value) && value.every((v) => typeof v === "string");
    case "object[]":
      return Array.isArray(value) && value.every((v) => !!v && typeof v === "object");
    case "object":
      return typeof value === "object" && !Array.isArray(value);
    default:
      return typeof value === spec.kind;
  }
}

function fitsShape(value: unknown, shape: Record<string, FieldSpec>, partial: boolean): boolean {
  if (!value || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  return Object.entries(shape).every(([name, spec]) =>
    fits(record[name], partial ? { ...spec, optional: true } : spec),
  );
}

function isEventType(type: unknown): type is ChatEventType {
  return typeof type === "string" && type !== "envelope" && Object.hasOwn(EVENT_SHAPES, type);
}

/**
 * True when a parsed frame is a contract event: a known type, and every field the union declares
 * present with its kind (fields it does not know are allowed, so an older client reads a newer
 * engine's events).
 */
export function isChatEvent(frame: unknown): frame is ChatEvent {
  if (!frame || typeof frame !== "object") return false;
  const { type, data } = frame as { type?: unknown; data?: unknown };
  if (!isEventType(type)) return false;
  const shape: Record<string, FieldSpec> = EVENT_SHAPES[type];
  return fitsShape(frame, EVENT_SHAPES.envelope, type === "error") && fitsShape(data, shape, false);
}

/** `GET …/steps/{id}/trace`: how an answer was made. */
export interface AnswerTrace {
  question_step_id: string;
  started_at: string;
  ended_at?: string | null;
  duration_ms?: number | null;
  prompt_tokens: number;
  completion_tokens: number;
  usage_cents: number;
  steps: TraceStep[];
}

export interface TraceStep {
  id: string;
  type: Step["type"];
  status: StepStatus;
  model?: string | null;
  provider?: string | null;
  fallbacks?: unknown[];
  tool?: string | null;
  outcome?: string | null;
  tool_calls?: { step_id?: string; name: string; status: string; outcome?: string | null }[];
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  usage_cents?: number | null;
  duration_ms?: number | null;
  time_to_first_token_ms?: number | null;
  finish_reason?: string | null;
  error?: unknown;
}

/** A read-only link to a snapshot of a conversation (`POST …/shares`). */
export interface Share {
  id: string;
  conversation_id?: string;
  token: string;
  /** The API path of the snapshot (`/api/v1/shared/{token}`), not the page. */
  url: string;
  created_at: string;
}

/** `GET /api/v1/shared/{token}` (no sign-in): the shared branch's messages. */
export interface SharedConversation {
  title: string | null;
  shared_at: string;
  messages: { role: "user" | "assistant" | (string & {}); content: string; images?: string[] }[];
}
