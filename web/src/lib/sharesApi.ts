// Read-only links to a conversation: made, listed and revoked by its owner; read by anyone with
// the token.

import type { Share, SharedConversation } from "./types";
import { errorFromResponse, readJson } from "./errors";
import { conv, request, send } from "./http";

export const shares = {
  create: (id: string) => request<Share>("POST", `${conv(id)}/shares`),
  list: (id: string) => request<{ items: Share[] }>("GET", `${conv(id)}/shares`).then((r) => r.items ?? []),
  revoke: (id: string, shareId: string) => request<void>("DELETE", `${conv(id)}/shares/${encodeURIComponent(shareId)}`),
};

/** A shared conversation, for anyone with its token (no bearer is sent). */
export async function shared(token: string): Promise<SharedConversation> {
  const res = await send("GET", `/api/v1/shared/${encodeURIComponent(token)}`, undefined, null);
  const json = await readJson(res);
  if (!res.ok) throw errorFromResponse(res, json);
  return json as SharedConversation;
}
