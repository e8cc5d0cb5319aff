// The caller's long-term memories and memory mode.

import type { MemoryApi, MemoryItem, MemoryModeName, MemoryModeView } from "../components/MemoryPanel";
import { request } from "./http";

export const memories = {
  list: () => request<{ items: MemoryItem[] }>("GET", "/api/v1/memories").then((r) => r.items ?? []),
  add: (content: string) => request<MemoryItem>("POST", "/api/v1/memories", { content }),
  update: (id: string, change: { content?: string; status?: "active" }) =>
    request<MemoryItem>("PATCH", `/api/v1/memories/${encodeURIComponent(id)}`, change),
  remove: (id: string) => request<void>("DELETE", `/api/v1/memories/${encodeURIComponent(id)}`),
  mode: () => request<MemoryModeView>("GET", "/api/v1/memories/settings"),
  setMode: (mode: MemoryModeName) => request<MemoryModeView>("PUT", "/api/v1/memories/settings", { mode }),
} satisfies MemoryApi;
