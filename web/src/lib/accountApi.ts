// The caller: who they are (/me), sign-in, sign-up, sign-out, and the stream's credentials.

import { ApiError } from "./errors";
import { getSession, type SessionUser, type StoredSession } from "./session";
import { request } from "./http";

export interface Me extends SessionUser {
  limits?: { messages_per_minute?: number };
}

export const accountApi = {
  me: () => request<Me>("GET", "/api/v1/me"),
  /** A one-minute ticket for the server-sent events URL (EventSource cannot send headers). */
  streamTicket: () =>
    request<{ ticket: string; expires_in?: number }>("POST", "/api/v1/stream-tickets").then((t) => {
      if (!t || typeof t.ticket !== "string") throw new ApiError(200, "bad_response", "No stream ticket.");
      return t.ticket;
    }),
  login: (email: string, password: string): Promise<StoredSession> => getSession().login(email, password),
  signUp: (email: string, password: string, displayName?: string): Promise<StoredSession> =>
    getSession().signUp(email, password, displayName),
  /** Forgets the stored session and starts a new anonymous one. */
  logout: (): Promise<StoredSession> => getSession().logout(),
};
