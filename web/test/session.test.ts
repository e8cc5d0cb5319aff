import { afterEach, describe, expect, it, vi } from "vitest";
import { SESSION_KEY, SessionManager, setSession, type StorageLike } from "../src/lib/session";
import { api, ApiError, errorText, plainError } from "../src/lib/api";

// --- fakes -------------------------------------------------------------------------------

class MemoryStorage implements StorageLike {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.has(k) ? this.data.get(k)! : null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: any;
}

type Reply = { status: number; body?: any } | (() => { status: number; body?: any } | Promise<{ status: number; body?: any }>);

/** A fake engine: routes "METHOD /path" to replies (arrays are used up in order, the last repeats). */
function fakeEngine(routes: Record<string, Reply | Reply[]>) {
  const calls: Call[] = [];
  let n = 0;
  const fn = vi.fn(async (url: string, init: any = {}) => {
    const path = url.replace(/^https?:\/\/[^/]+/, "");
    const method = init.method ?? "GET";
    calls.push({ url: path, method, headers: init.headers ?? {}, body: init.body ? JSON.parse(init.body) : undefined });
    const key = `${method} ${path.split("?")[0]}`;
    let r = routes[key];
    if (Array.isArray(r)) r = r.length > 1 ? r.shift()! : r[0];
    if (!r) return response(404, { error: { code: "not_found", message: key } });
    const reply = typeof r === "function" ? await r() : r;
    return response(reply.status, reply.body);
  });
  const session = (kind = "anonymous", id = "u-anon") => () => {
    n++;
    return {
      status: 201,
      body: {
        access_token: `at${n}`,
        token_type: "Bearer",
        expires_in: 900,
        refresh_token: `rt${n}`,
        refresh_expires_in: 2592000,
        user: { id, kind },
      },
    };
  };
  return { fn, calls, session };
}

function response(status: number, body?: any) {
  const text = body === undefined ? "" : JSON.stringify(body);
  return { ok: status >= 200 && status < 300, status, statusText: String(status), text: async () => text, json: async () => body };
}

const err = (status: number, code: string) => ({ status, body: { error: { code, message: code, trace_id: "t1" } } });

function manager(engine: ReturnType<typeof fakeEngine>, storage = new MemoryStorage(), clock = { t: 1_000_000 }) {
  const m = new SessionManager({
    fetch: engine.fn as any,
    storage,
    now: () => clock.t,
    traceparent: () => "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01",
  });
  return { m, storage, clock };
}

afterEach(() => {
  setSession(null);
  vi.unstubAllGlobals();
});

// --- session manager ---------------------------------------------------------------------

describe("SessionManager", () => {
  it("creates an anonymous session once and keeps it in storage", async () => {
    const base = fakeEngine({});
    const e = fakeEngine({ "POST /api/v1/sessions": base.session() });
    const { m, storage } = manager(e);
    const [a, b] = await Promise.all([m.accessToken(), m.accessToken()]);
    expect(a).toBe("at1");
    expect(b).toBe("at1");
    expect(e.calls).toHaveLength(1);
    expect(e.calls[0].body).toEqual({});
    expect(e.calls[0].headers.traceparent).toMatch(/^00-/);
    expect(e.calls[0].headers.Authorization).toBeUndefined();
    const stored = JSON.parse(storage.getItem(SESSION_KEY)!);
    expect(stored.refresh_token).toBe("rt1");
    expect(stored.user).toEqual({ id: "u-anon", kind: "anonymous" });
    expect(stored.access_expires_at).toBe(1_000_000 + 900_000);

    // A reload: a new manager over the same storage keeps the same user and token.
    const again = manager(e, storage);
    expect(await again.m.accessToken()).toBe("at1");
    expect(again.m.user()?.id).toBe("u-anon");
    expect(e.calls).toHaveLength(1);
  });

  it("refreshes when fewer than 30 s are left, single-flight for concurrent callers", async () => {
    const e = fakeEngine({});
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const refresh = e.session();
    e.fn.mockImplementation(async (url: string, init: any) => {
      const body = JSON.parse(init.body);
      e.calls.push({ url, method: init.method, headers: init.headers, body });
      if (url.endsWith("/sessions/refresh")) {
        await gate;
        return response(200, refresh().body);
      }
      return response(201, e.session()().body);
    });
    const { m, clock } = manager(e);
    expect(await m.accessToken()).toBe("at1");
    clock.t += 900_000 - 30_000; // exactly 30 s left: not enough
    const p = [m.accessToken(), m.accessToken(), m.onUnauthorized("at1")];
    await Promise.resolve();
    release();
    const tokens = await Promise.all(p);
    expect(new Set(tokens).size).toBe(1);
    const refreshes = e.calls.filter((c) => c.url.endsWith("/sessions/refresh"));
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].body).toEqual({ refresh_token: "rt1" });
    expect(m.current()?.refresh_token).not.toBe("rt1"); // rotated
    expect(m.user()?.id).toBe("u-anon");
  });

  it("uses the cached token while more than 30 s are left", async () => {
    const e = fakeEngine({
      "POST /api/v1/sessions": {
        status: 201,
        body: { access_token: "a", expires_in: 900, refresh_token: "r", user: { id: "u", kind: "anonymous" } },
      },
    });
    const { m, clock } = manager(e);
    await m.accessToken();
    clock.t += 900_000 - 31_000;
    expect(await m.accessToken()).toBe("a");
    expect(e.calls).toHaveLength(1);
  });

  it("starts a new anonymous session when the refresh token is refused (401)", async () => {
    const base = fakeEngine({});
    const e = fakeEngine({
      "POST /api/v1/sessions": [base.session("anonymous", "u1"), base.session("anonymous", "u2")],
      "POST /api/v1/sessions/refresh": err(401, "invalid_token"),
    });
    const { m, clock } = manager(e);
    await m.accessToken();
    expect(m.user()?.id).toBe("u1");
    const seen: (string | undefined)[] = [];
    m.subscribe((s) => seen.push(s?.user.id));
    clock.t += 3_600_000;
    expect(await m.accessToken()).toBe("at2");
    expect(m.user()?.id).toBe("u2");
    expect(seen).toEqual(["u2"]);
    expect(e.calls.map((c) => c.url)).toEqual(["/api/v1/sessions", "/api/v1/sessions/refresh", "/api/v1/sessions"]);
  });

  it("keeps the session when the refresh fails for another reason (network, 5xx)", async () => {
    const base = fakeEngine({});
    const e = fakeEngine({
      "POST /api/v1/sessions": base.session(),
      "POST /api/v1/sessions/refresh": [err(503, "upstream_unavailable"), base.session()],
    });
    const { m, clock } = manager(e);
    await m.accessToken();
    clock.t += 3_600_000;
    await expect(m.accessToken()).rejects.toMatchObject({ status: 503 });
    expect(m.user()?.id).toBe("u-anon");
    expect(await m.accessToken()).toBe("at2");
    expect(e.calls.filter((c) => c.url === "/api/v1/sessions")).toHaveLength(1);
  });

  it("onUnauthorized forces a refresh unless the failed token was already replaced", async () => {
    const base = fakeEngine({});
    const e = fakeEngine({ "POST /api/v1/sessions": base.session(), "POST /api/v1/sessions/refresh": base.session() });
    const { m } = manager(e);
    expect(await m.accessToken()).toBe("at1");
    expect(await m.onUnauthorized("at1")).toBe("at2");
    expect(await m.onUnauthorized("at1")).toBe("at2"); // already replaced: no second refresh
    expect(e.calls.filter((c) => c.url.endsWith("/refresh"))).toHaveLength(1);
  });

  it("signs up from a guest session with its bearer (upgrade in place) and signs in/out", async () => {
    const base = fakeEngine({});
    const e = fakeEngine({
      "POST /api/v1/sessions": [base.session("anonymous", "u1"), err(401, "invalid_credentials"), base.session("user", "u9"), base.session("anonymous", "u3")],
      "POST /api/v1/accounts": base.session("user", "u1"),
    });
    const { m, storage } = manager(e);
    await m.accessToken();
    await m.signUp("a@example.com", "correct horse battery", "Ann");
    const accounts = e.calls.find((c) => c.url === "/api/v1/accounts")!;
    expect(accounts.headers.Authorization).toBe("Bearer at1");
    expect(accounts.body).toEqual({ email: "a@example.com", password: "correct horse battery", display_name: "Ann" });
    expect(m.user()).toMatchObject({ id: "u1", kind: "user", email: "a@example.com" });

    await expect(m.login("b@example.com", "nope")).rejects.toMatchObject({ code: "invalid_credentials" });
    expect(m.user()?.id).toBe("u1");
    await m.login("b@example.com", "right password!");
    expect(m.user()).toMatchObject({ id: "u9", kind: "user", email: "b@example.com" });
    const login = e.calls.filter((c) => c.url === "/api/v1/sessions").at(-1)!;
    expect(login.body).toEqual({ email: "b@example.com", password: "right password!" });

    await m.logout();
    expect(m.user()).toMatchObject({ id: "u3", kind: "anonymous" });
    expect(JSON.parse(storage.getItem(SESSION_KEY)!).user.id).toBe("u3");
  });

  it("works without storage (memory only) and ignores unreadable stored data", async () => {
    const base = fakeEngine({});
    const e = fakeEngine({ "POST /api/v1/sessions": base.session() });
    const broken = new MemoryStorage();
    broken.setItem(SESSION_KEY, "{not json");
    const { m } = manager(e, broken);
    expect(await m.accessToken()).toBe("at1");
    const mem = new SessionManager({ fetch: e.fn as any, storage: null });
    expect(await mem.accessToken()).toBe("at2");
  });
});

// --- api.ts with the session ------------------------------------------------------------

describe("api requests", () => {
  function install(routes: Record<string, Reply | Reply[]>) {
    const e = fakeEngine(routes);
    const storage = new MemoryStorage();
    const m = new SessionManager({ fetch: e.fn as any, storage });
    setSession(m);
    vi.stubGlobal("fetch", e.fn);
    return { e, m };
  }

  it("sends the bearer on every call except sessions/accounts", async () => {
    const base = fakeEngine({});
    const { e } = install({
      "POST /api/v1/sessions": base.session(),
      "GET /api/v1/conversations": { status: 200, body: { items: [], next_cursor: null } },
      "GET /api/v1/me": { status: 200, body: { id: "u-anon", kind: "anonymous", limits: { messages_per_minute: 10 } } },
      "POST /api/v1/stream-tickets": { status: 201, body: { ticket: "tk1", expires_in: 60 } },
    });
    await api.listConversations();
    expect((await api.me()).limits?.messages_per_minute).toBe(10);
    expect(await api.streamTicket()).toBe("tk1");
    expect(e.calls.map((c) => `${c.method} ${c.url.split("?")[0]} ${c.headers.Authorization ?? "-"}`)).toEqual([
      "POST /api/v1/sessions -",
      "GET /api/v1/conversations Bearer at1",
      "GET /api/v1/me Bearer at1",
      "POST /api/v1/stream-tickets Bearer at1",
    ]);
    for (const c of e.calls) expect(c.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("on 401 token_expired refreshes once and retries once", async () => {
    const base = fakeEngine({});
    const { e } = install({
      "POST /api/v1/sessions": base.session(),
      "POST /api/v1/sessions/refresh": base.session(),
      "GET /api/v1/models": [err(401, "token_expired"), { status: 200, body: { default: "demo", models: [] } }],
    });
    expect((await api.models()).default).toBe("demo");
    expect(e.calls.map((c) => `${c.url} ${c.headers.Authorization ?? "-"}`)).toEqual([
      "/api/v1/sessions -",
      "/api/v1/models Bearer at1",
      "/api/v1/sessions/refresh -",
      "/api/v1/models Bearer at2",
    ]);
  });

  it("retries only once, and not for other 401 codes", async () => {
    const base = fakeEngine({});
    const { e } = install({
      "POST /api/v1/sessions": base.session(),
      "POST /api/v1/sessions/refresh": base.session(),
      "GET /api/v1/models": err(401, "invalid_token"),
      "GET /api/v1/me": err(401, "unauthenticated"),
    });
    const failure = await api.models().catch((x) => x);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure.code).toBe("invalid_token");
    expect(e.calls.filter((c) => c.url === "/api/v1/models")).toHaveLength(2);
    expect(errorText(failure)).toBe("Your session ended. Reload the page.");
    await expect(api.me()).rejects.toMatchObject({ code: "unauthenticated" });
    expect(e.calls.filter((c) => c.url === "/api/v1/me")).toHaveLength(1);
  });
});

describe("plainError", () => {
  it("has plain words for the auth codes", () => {
    expect(plainError("token_expired")).toBe("Your session ended. Reload the page.");
    expect(plainError("unauthenticated")).toBe("Your session ended. Reload the page.");
    expect(plainError("account_suspended")).toBe("This account is suspended.");
    expect(plainError("invalid_credentials")).toBe("Wrong email or password.");
    expect(plainError("email_taken")).toBe("An account with this email already exists.");
    expect(plainError("weak_password")).toBe("Use at least 10 characters.");
    expect(plainError("rate_limited", "x", { retry_after_seconds: 12 })).toContain("Wait 12 s");
  });
});
