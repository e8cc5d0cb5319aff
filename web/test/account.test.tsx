import { afterEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { ChatApp } from "../src/components/ChatApp";
import { SessionManager, setSession } from "../src/lib/session";

// A fake engine with sessions: an anonymous user u1 with one conversation; sign-up upgrades u1
// in place; sign-in as b@example.com is user u2 with its own conversation.

function fakeEngine() {
  let n = 0;
  const calls: { method: string; path: string; auth?: string; body?: any }[] = [];
  const tokenUser = new Map<string, string>();
  const users: Record<string, { kind: string; email?: string }> = { u1: { kind: "anonymous" } };
  const json = (status: number, body: any) =>
    ({ ok: status < 300, status, statusText: "", text: async () => JSON.stringify(body), json: async () => body }) as any;
  const issue = (id: string) => {
    n++;
    tokenUser.set(`at${n}`, id);
    return json(201, {
      access_token: `at${n}`,
      token_type: "Bearer",
      expires_in: 900,
      refresh_token: `rt${n}`,
      refresh_expires_in: 2592000,
      user: { id, kind: users[id].kind },
    });
  };
  const fn = vi.fn(async (url: string, init: any = {}) => {
    const method = init.method ?? "GET";
    const path = url.split("?")[0];
    const auth = init.headers?.Authorization;
    const body = init.body ? JSON.parse(init.body) : undefined;
    calls.push({ method, path, auth, body });
    if (method === "POST" && path === "/api/v1/sessions") {
      if (!body?.email) return issue("u1");
      if (body.email === "b@example.com" && body.password === "right password!") {
        users.u2 = { kind: "user", email: "b@example.com" };
        return issue("u2");
      }
      return json(401, { error: { code: "invalid_credentials", message: "no" } });
    }
    if (method === "POST" && path === "/api/v1/accounts") {
      if (body.password.length < 10) return json(400, { error: { code: "weak_password", message: "short" } });
      const anon = auth && tokenUser.get(auth.replace("Bearer ", ""));
      const id = anon ?? "u3";
      users[id] = { kind: "user", email: body.email };
      return issue(id);
    }
    const who = auth && tokenUser.get(auth.replace("Bearer ", ""));
    if (!who) return json(401, { error: { code: "unauthenticated", message: "no" } });
    if (path === "/api/v1/me") return json(200, { id: who, ...users[who], limits: { messages_per_minute: 20 } });
    if (path === "/api/v1/models") return json(200, { default: "demo", models: [] });
    if (path === "/api/v1/conversations") {
      const items = who === "u2" ? [{ id: "c2", title: "Signed-in chat" }] : [{ id: "c1", title: "Guest chat" }];
      return json(200, { items, next_cursor: null });
    }
    return json(404, { error: { code: "not_found", message: path } });
  });
  return { fn, calls };
}

afterEach(() => {
  cleanup();
  setSession(null);
  vi.unstubAllGlobals();
});

function install() {
  const engine = fakeEngine();
  vi.stubGlobal("fetch", engine.fn);
  setSession(new SessionManager({ fetch: engine.fn, storage: null }));
  return engine;
}

async function fillAndSubmit(button: string, email: string, password: string) {
  fireEvent.click(screen.getByRole("button", { name: button }));
  fireEvent.change(screen.getByLabelText("Email"), { target: { value: email } });
  fireEvent.change(screen.getByLabelText("Password"), { target: { value: password } });
  await act(async () => {
    fireEvent.submit(screen.getByLabelText("Email").closest("form")!);
  });
}

describe("account area", () => {
  it("shows Guest, and creating an account keeps the guest's conversations", async () => {
    const engine = install();
    render(<ChatApp />);
    await screen.findByText("Guest chat");
    expect(screen.getByText("Guest")).toBeTruthy();
    // one anonymous session for all the first calls, and every API call carried its bearer
    expect(engine.calls.filter((c) => c.path === "/api/v1/sessions")).toHaveLength(1);
    for (const c of engine.calls.filter((c) => !c.path.startsWith("/api/v1/sessions"))) {
      expect(c.auth).toBe("Bearer at1");
    }

    await fillAndSubmit("Create account", "a@example.com", "short");
    expect((await screen.findByRole("alert")).textContent).toBe("Use at least 10 characters.");

    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "long enough password" } });
    await act(async () => {
      fireEvent.submit(screen.getByLabelText("Email").closest("form")!);
    });
    await screen.findByText("a@example.com");
    const signUp = engine.calls.filter((c) => c.path === "/api/v1/accounts").at(-1)!;
    expect(signUp.auth).toBe("Bearer at1");
    expect(screen.getByText("Guest chat")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Sign out" })).toBeTruthy();
  });

  it("signs in (other user's conversations), shows wrong passwords plainly, and signs out", async () => {
    install();
    render(<ChatApp />);
    await screen.findByText("Guest chat");

    await fillAndSubmit("Sign in", "b@example.com", "wrong");
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong email or password.");

    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "right password!" } });
    await act(async () => {
      fireEvent.submit(screen.getByLabelText("Email").closest("form")!);
    });
    await screen.findByText("Signed-in chat");
    expect(screen.queryByText("Guest chat")).toBeNull();
    expect(screen.getByText("b@example.com")).toBeTruthy();

    await act(async () => {
      fireEvent.click(screen.getByRole("button", { name: "Sign out" }));
    });
    await waitFor(() => expect(screen.getByText("Guest")).toBeTruthy());
    await screen.findByText("Guest chat");
  });
});
