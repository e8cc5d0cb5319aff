// Conversations and their steps: list, search, create, read, rename, settings, delete, messages,
// branches, regenerate, trace, rating, cancel, tool approval, export, import.

import type {
  AnswerTrace,
  ConversationSettings,
  Conversation,
  ConversationPage,
  ConversationSummary,
  PostedMessage,
  Rating,
  Regenerated,
  StepFeedback,
} from "./types";
import type { ImportResult } from "../components/ImportPanel";
import type { SearchHit } from "./search";
import { authorizedFetch, conv, RawJson, request } from "./http";
import { fileNameOf } from "./filesApi";

const step = (id: string, stepId: string) => `${conv(id)}/steps/${encodeURIComponent(stepId)}`;

export const conversationsApi = {
  /** The shown branch as a file (markdown or JSON), with the name the engine gives it. */
  exportConversation: async (id: string, format: "markdown" | "json") => {
    const res = await authorizedFetch("GET", `${conv(id)}/export?format=${format}`);
    const name = fileNameOf(res.headers.get("Content-Disposition"), `conversation-${id}.${format === "markdown" ? "md" : "json"}`);
    return { name, blob: await res.blob() };
  },
  searchConversations: (q: string, limit = 20) =>
    request<{ items: SearchHit[] }>(
      "GET",
      `/api/v1/conversations/search?q=${encodeURIComponent(q)}&limit=${limit}`,
    ).then((r) => r.items ?? []),
  listConversations: (cursor?: string | null, limit = 20) =>
    request<ConversationPage>(
      "GET",
      `/api/v1/conversations?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    ),
  createConversation: (body: { title?: string; message?: string; model?: string; images?: string[] }) =>
    request<Conversation>("POST", "/api/v1/conversations", body),
  getConversation: (id: string) => request<Conversation>("GET", conv(id)),
  renameConversation: (id: string, title: string) =>
    request<ConversationSummary>("PATCH", conv(id), { title }),
  updateSettings: (id: string, settings: ConversationSettings) =>
    request<ConversationSummary>("PATCH", conv(id), { settings }),
  deleteConversation: (id: string) => request<void>("DELETE", conv(id)),
  postMessage: (
    id: string,
    body: { content: string; model?: string; client_msg_id?: string; images?: string[]; parent_step_id?: string },
  ) =>
    request<PostedMessage>("POST", `${conv(id)}/messages`, body),
  /** Shows the branch through a step (the newest leaf under it). */
  switchBranch: (id: string, stepId: string) =>
    request<{ active_step_id?: string | null }>("PATCH", conv(id), { active_step_id: stepId }),
  /** A new version of an answer (its first llm step); 409 step_running while its turn runs. */
  regenerate: (id: string, stepId: string, model?: string) =>
    request<Regenerated>("POST", `${step(id, stepId)}/regenerate`, model ? { model } : {}),
  /** How an answer was made: its steps with model, provider, fallbacks, tokens, cost and times. */
  trace: (id: string, stepId: string) => request<AnswerTrace>("GET", `${step(id, stepId)}/trace`),
  rate: (id: string, stepId: string, rating: Rating | null) =>
    request<{ step_id: string; feedback: StepFeedback | null }>("PUT", `${step(id, stepId)}/feedback`, { rating }),
  cancelStep: (id: string, stepId: string) => request<unknown>("POST", `${step(id, stepId)}/cancel`),
  /** Approve or deny a tool call waiting on its step; 409 approval_not_pending once it no longer waits. */
  decideToolCall: (id: string, stepId: string, approve: boolean) =>
    request<unknown>("POST", `${step(id, stepId)}/approval`, { approve }),
  /** Imports a ChatGPT export's conversations.json (its text, sent as it is). */
  importChatGpt: (json: string) => request<ImportResult>("POST", "/api/v1/conversations/import", new RawJson(json)),
};
