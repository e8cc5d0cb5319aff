// Wire shapes of the Grizz engine's API (snake_case as sent).

export type StepStatus = "queued" | "running" | "completed" | "failed" | "cancelled";

export interface Message {
  id: string;
  step_id: string;
  role: "user" | "assistant";
  content: string;
  token_count?: number | null;
  created_at?: string;
}

export interface Step {
  id: string;
  parent_step_id?: string | null;
  type: "user_input" | "llm";
  status: StepStatus;
  provider?: string | null;
  model?: string | null;
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  usage_cents?: number | null;
  metadata?: Record<string, unknown> | null;
}

export interface ConversationSummary {
  id: string;
  title: string | null;
  status?: string;
  created_at?: string;
  updated_at?: string;
}

export interface Conversation extends ConversationSummary {
  messages: Message[];
  steps: Step[];
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

export interface ChatEvent {
  id?: string;
  type: string;
  conversation_id?: string;
  task_id?: string;
  step_id?: string;
  seq?: number;
  ts?: string;
  data?: Record<string, any>;
}
