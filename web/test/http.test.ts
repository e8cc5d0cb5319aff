import { afterEach, describe, expect, it, vi } from "vitest";
import { setSession, type SessionManager } from "../src/lib/session";
import { withRefresh } from "../src/lib/http";
import { ApiError } from "../src/lib/errors";

// withRefresh is the one 401 rule of the JSON calls, the file downloads and the uploads.

function fakeSession() {
  let n = 1;
  const session = {
    accessToken: vi.fn(async () => `at${n}`),
    onUnauthorized: vi.fn(async (_failed: string | null) => `at${++n}`),
  };
  setSession(session as unknown as SessionManager);
  return session;
}

const reply = (status: number, code?: string) => ({ status, body: code ? { error: { code, message: code } } : null });

afterEach(() => setSession(null));

describe("withRefresh", () => {
  it("makes one attempt with the access token when it is not refused", async () => {
    const session = fakeSession();
    const attempt = vi.fn(async (_token: string | null) => reply(200));
    const body401 = vi.fn(async (r: { body: any }) => r.body);
    expect((await withRefresh(attempt, body401)).status).toBe(200);
    expect(attempt.mock.calls.map((c) => c[0])).toEqual(["at1"]);
    expect(body401).not.toHaveBeenCalled();
    expect(session.onUnauthorized).not.toHaveBeenCalled();
  });

  it("on 401 token_expired or invalid_token refreshes once and makes the attempt once more", async () => {
    for (const code of ["token_expired", "invalid_token"]) {
      const session = fakeSession();
      const attempt = vi.fn(async (_token: string | null) => reply(401, code));
      const res = await withRefresh(attempt, async (r) => r.body);
      // The second answer is returned as it is (the caller turns a 401 into its error).
      expect(res.status).toBe(401);
      expect(attempt.mock.calls.map((c) => c[0])).toEqual(["at1", "at2"]);
      expect(session.onUnauthorized).toHaveBeenCalledWith("at1");
    }
  });

  it("throws the engine's error for another 401, without a refresh", async () => {
    const session = fakeSession();
    const attempt = vi.fn(async (_token: string | null) => reply(401, "unauthenticated"));
    const failure = await withRefresh(attempt, async (r) => r.body).catch((x) => x);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 401, code: "unauthenticated" });
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(session.onUnauthorized).not.toHaveBeenCalled();
  });
});
