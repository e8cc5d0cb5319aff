// REST calls to the engine, each with a fresh W3C traceparent header and the session's bearer
// token (the shared helper: src/lib/http.ts). The calls live per resource (conversationsApi,
// filesApi, sharesApi, memoriesApi, accountApi); `api` gathers them for the components.

import type { ModelsResponse, ToolInfo } from "./types";
import { ApiError, apiBase, errorText, plainError } from "./errors";
import { getSession } from "./session";
import type { StreamAuth } from "./streamClient";
import { RawJson, request } from "./http";
import { conversationsApi } from "./conversationsApi";
import { filesApi } from "./filesApi";
import { shared, shares } from "./sharesApi";
import { memories } from "./memoriesApi";
import { accountApi } from "./accountApi";

export { ApiError, apiBase, errorText, plainError, RawJson };
export { fileNameOf, MAX_UPLOAD_BYTES, uploadErrorText, type ConversationFile } from "./filesApi";
export type { Me } from "./accountApi";

export const api = {
  shares,
  shared,
  ...conversationsApi,
  tools: () => request<{ tools: ToolInfo[] }>("GET", "/api/v1/tools").then((r) => r.tools ?? []),
  models: () => request<ModelsResponse>("GET", "/api/v1/models"),
  ...filesApi,
  memories,
  ...accountApi,
};

/** Credentials for the stream client, from the page's session. */
export function streamAuth(): StreamAuth {
  const session = getSession();
  return {
    token: () => session.accessToken(),
    ticket: () => api.streamTicket(),
    rejected: (token) => {
      void session.onUnauthorized(token).catch(() => undefined);
    },
  };
}
