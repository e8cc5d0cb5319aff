import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  StreamClient,
  type ConnectionState,
  type StreamAuth,
  type StreamClientDeps,
  type TransportKind,
} from "../src/lib/streamClient";
import { applyEvent, type LiveAnswers } from "../src/lib/answers";
import { traceparent } from "../src/lib/trace";
import type { ChatEvent } from "../src/lib/types";

// --- fakes -------------------------------------------------------------------------------

class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  onopen: ((ev: any) => void) | null = null;
  onmessage: ((ev: { data: any }) => void) | null = null;
  onerror: ((ev: any) => void) | null = null;
  onclose: ((ev: any) => void) | null = null;
  sent: string[] = [];
  closed = false;
  constructor(
    public url: string,
    public protocols?: string | string[],
  ) {
    FakeWebSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
  // test controls
  open() {
    this.onopen?.({});
  }
  refuse() {
    this.onerror?.({});
    this.onclose?.({ code: 1006 });
  }
  drop() {
    this.onclose?.({ code: 1006 });
  }
  emit(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  onopen: ((ev: any) => void) | null = null;
  onmessage: ((ev: { data: string; lastEventId?: string }) => void) | null = null;
  onerror: ((ev: any) => void) | null = null;
  closed = false;
  constructor(public url: string) {
    FakeEventSource.instances.push(this);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.({});
  }
  fail() {
    this.onerror?.({});
  }
  emit(frame: ChatEvent) {
    this.onmessage?.({ data: JSON.stringify(frame), lastEventId: frame.id });
  }
}

interface PollCall {
  url: string;
  init: any;
  resolve: (events: ChatEvent[]) => void;
  reject: (e: Error) => void;
}

function fakeFetch() {
  const calls: PollCall[] = [];
  const fn = vi.fn((url: string, init?: any) => {
    return new Promise<any>((resolve, reject) => {
      calls.push({
        url,
        init,
        resolve: (events) => resolve({ ok: true, status: 200, json: async () => events }),
        reject,
      });
    });
  });
  return { fn, calls };
}

function ev(step: string, seq: number, type: string, data: Record<string, any> = {}): ChatEvent {
  return {
    id: `1764072000${String(seq).padStart(3, "0")}-0`,
    type,
    conversation_id: "c1",
    task_id: "c1",
    step_id: step,
    seq,
    ts: "2025-01-01T00:00:00Z",
    data,
  } as ChatEvent;
}

const delta = (step: string, seq: number, text: string, seqFrom?: number) =>
  ev(step, seq, "message.delta", seqFrom === undefined ? { text } : { text, seq_from: seqFrom });

function setup(
  opts: {
    transports?: TransportKind[];
    random?: () => number;
    lastEventId?: string;
    online?: () => boolean;
    auth?: StreamAuth;
  } = {},
) {
  const events: ChatEvent[] = [];
  const states: [ConnectionState, TransportKind | null][] = [];
  const resyncs: number[] = [];
  const fetcher = fakeFetch();
  const deps: StreamClientDeps = {
    WebSocket: FakeWebSocket as any,
    EventSource: FakeEventSource as any,
    fetch: fetcher.fn as any,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h),
    random: opts.random ?? (() => 0.5),
    isOnline: opts.online,
    traceparent: () => "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01",
    auth: opts.auth,
  };
  const client = new StreamClient(
    {
      conversationId: "c1",
      baseUrl: "http://engine.test",
      transports: opts.transports,
      lastEventId: opts.lastEventId,
      onEvent: (e) => events.push(e),
      onState: (s, t) => states.push([s, t]),
      onResync: () => resyncs.push(1),
    },
    deps,
  );
  return { client, events, states, resyncs, fetcher };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

beforeEach(() => {
  vi.useFakeTimers();
  FakeWebSocket.instances = [];
  FakeEventSource.instances = [];
});

afterEach(() => {
  vi.useRealTimers();
});

// --- tests -------------------------------------------------------------------------------

describe("StreamClient transports", () => {
  it("falls back WebSocket → SSE → long-poll when each is refused", async () => {
    const { client, states, fetcher } = setup();
    client.start();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(FakeWebSocket.instances[0].url).toBe("ws://engine.test/ws/chat/c1");
    FakeWebSocket.instances[0].refuse();

    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.instances[0].url).toBe("http://engine.test/api/v1/conversations/c1/events");
    FakeEventSource.instances[0].fail();
    expect(FakeEventSource.instances[0].closed).toBe(true);

    expect(fetcher.calls).toHaveLength(1);
    expect(fetcher.calls[0].url).toBe("http://engine.test/api/v1/conversations/c1/events?wait=25s");
    expect(fetcher.calls[0].init.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    fetcher.calls[0].resolve([]);
    await flush();
    expect(client.state).toBe("fallback");
    expect(client.transport).toBe("poll");
    expect(states.map((s) => s[0])).toEqual(["connecting", "reconnecting", "fallback"]);
    // keeps polling
    expect(fetcher.calls).toHaveLength(2);
    client.stop();
  });

  it("reports live on a WebSocket and fallback on SSE", () => {
    const { client } = setup();
    client.start();
    FakeWebSocket.instances[0].open();
    expect(client.state).toBe("live");
    expect(client.transport).toBe("ws");
    client.stop();

    const second = setup({ transports: ["sse", "poll"] });
    second.client.start();
    expect(FakeWebSocket.instances).toHaveLength(1); // no new socket
    FakeEventSource.instances[0].open();
    expect(second.client.state).toBe("fallback");
    expect(second.client.transport).toBe("sse");
    second.client.stop();
  });

  it("treats a socket that never opens as refused after the open timeout", () => {
    const { client } = setup();
    client.start();
    vi.advanceTimersByTime(8000);
    expect(FakeEventSource.instances).toHaveLength(1);
    client.stop();
  });

  it("waits with back-off after every transport failed, then starts over with the WebSocket", async () => {
    const { client, fetcher } = setup({ random: () => 1 });
    client.start();
    FakeWebSocket.instances[0].refuse();
    FakeEventSource.instances[0].fail();
    fetcher.calls[0].reject(new Error("refused"));
    await flush();
    expect(client.state).toBe("reconnecting");
    vi.advanceTimersByTime(499);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    client.stop();
  });

  it("reports offline when the browser is offline", () => {
    const { client } = setup({ online: () => false });
    client.start();
    FakeWebSocket.instances[0].open();
    FakeWebSocket.instances[0].drop();
    expect(client.state).toBe("offline");
    client.stop();
  });
});

describe("StreamClient reconnects", () => {
  it("reconnects a dropped WebSocket with exponential back-off, jitter and a 30 s cap", () => {
    let r = 0.5;
    const { client } = setup({ random: () => r });
    client.start();
    FakeWebSocket.instances[0].open();
    FakeWebSocket.instances[0].drop();
    expect(client.state).toBe("reconnecting");

    // attempt 0: ceiling 500, jitter 0.5 → 375 ms
    vi.advanceTimersByTime(374);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);

    // The socket keeps failing to open (a proven transport gets 3 tries before falling back);
    // record the delays between attempts.
    const delays: number[] = [];
    const waitForNext = () => {
      const before = FakeWebSocket.instances.length + FakeEventSource.instances.length;
      let waited = 0;
      while (FakeWebSocket.instances.length + FakeEventSource.instances.length === before) {
        vi.advanceTimersByTime(1);
        waited++;
        if (waited > 40_000) throw new Error("no reconnect");
      }
      return waited;
    };
    FakeWebSocket.instances[1].refuse();
    delays.push(waitForNext()); // attempt 1: ceiling 1000 → 750
    FakeWebSocket.instances[2].refuse();
    delays.push(waitForNext()); // attempt 2: ceiling 2000 → 1500
    expect(delays).toEqual([750, 1500]);
    client.stop();

    // The cap: many failures in a row never wait more than 30 s.
    r = 1;
    const capped = setup({ random: () => 1, transports: ["ws"] });
    capped.client.start();
    FakeWebSocket.instances.at(-1)!.open();
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      FakeWebSocket.instances.at(-1)!.refuse();
      waits.push(waitForNext());
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
    capped.client.stop();
  });

  it("resumes from the last event id on reconnect (WebSocket, SSE and long-poll)", async () => {
    const { client } = setup();
    client.start();
    const ws = FakeWebSocket.instances[0];
    ws.open();
    ws.emit(ev("s1", 1, "step.started", { model: "demo/demo" }));
    ws.emit(delta("s1", 2, "Hel"));
    ws.drop();
    vi.runOnlyPendingTimers();
    expect(FakeWebSocket.instances[1].url).toBe(
      `ws://engine.test/ws/chat/c1?last_event_id=${encodeURIComponent("1764072000002-0")}`,
    );
    expect(client.lastEventId).toBe("1764072000002-0");
    client.stop();

    const sse = setup({ transports: ["sse"], lastEventId: "1764072000005-0" });
    sse.client.start();
    expect(FakeEventSource.instances[0].url).toBe(
      "http://engine.test/api/v1/conversations/c1/events?after=1764072000005-0",
    );
    sse.client.stop();

    const poll = setup({ transports: ["poll"] });
    poll.client.start();
    poll.fetcher.calls[0].resolve([ev("s1", 1, "step.started"), delta("s1", 2, "Hi")]);
    await flush();
    expect(poll.fetcher.calls[1].url).toBe(
      "http://engine.test/api/v1/conversations/c1/events?wait=25s&after=1764072000002-0",
    );
    poll.client.stop();
  });

  it("drops duplicate events replayed after a reconnect", () => {
    const { client, events } = setup();
    client.start();
    let ws = FakeWebSocket.instances[0];
    ws.open();
    ws.emit(ev("s1", 1, "step.started"));
    ws.emit(delta("s1", 2, "Hello"));
    ws.emit(delta("s1", 3, " world"));
    ws.drop();
    vi.runOnlyPendingTimers();
    ws = FakeWebSocket.instances[1];
    ws.open();
    // the server replays some events the client already has
    ws.emit(delta("s1", 2, "Hello"));
    ws.emit(delta("s1", 3, " world"));
    ws.emit(delta("s1", 4, "!"));
    ws.emit(delta("s1", 4, "!"));
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    let live: LiveAnswers = {};
    for (const e of events) live = applyEvent(live, e);
    expect(live.s1.text).toBe("Hello world!");
    client.stop();
  });

  it("accepts a merged delta that covers seq_from..seq", () => {
    const { client, events } = setup();
    client.start();
    const ws = FakeWebSocket.instances[0];
    ws.open();
    ws.emit(ev("s1", 1, "step.started"));
    ws.emit(delta("s1", 5, "a b c d", 2));
    ws.emit(delta("s1", 6, " e"));
    expect(events.map((e) => e.seq)).toEqual([1, 5, 6]);
    expect(FakeWebSocket.instances).toHaveLength(1);
    client.stop();
  });

  it("on a gap, resumes from the last event delivered in order and loses nothing", () => {
    const { client, events } = setup();
    client.start();
    let ws = FakeWebSocket.instances[0];
    ws.open();
    ws.emit(ev("s1", 1, "step.started"));
    ws.emit(delta("s1", 2, "one"));
    ws.emit(delta("s1", 4, " three")); // seq 3 is missing
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    expect(ws.closed).toBe(true);
    expect(FakeWebSocket.instances).toHaveLength(2); // reconnected at once
    ws = FakeWebSocket.instances[1];
    expect(ws.url).toContain(`last_event_id=${encodeURIComponent("1764072000002-0")}`);
    ws.open();
    ws.emit(delta("s1", 3, " two"));
    ws.emit(delta("s1", 4, " three"));
    let live: LiveAnswers = {};
    for (const e of events) live = applyEvent(live, e);
    expect(live.s1.text).toBe("one two three");
    client.stop();
  });

  it("a gap in a merged delta is detected by seq_from", () => {
    const { client, events } = setup();
    client.start();
    const ws = FakeWebSocket.instances[0];
    ws.open();
    ws.emit(ev("s1", 1, "step.started"));
    ws.emit(delta("s1", 6, "x", 3)); // expects seq_from 2
    expect(events).toHaveLength(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    client.stop();
  });

  it("after repeated gaps, restarts from the latest answer and asks the app to resync", () => {
    const { client, resyncs } = setup();
    client.start();
    for (let i = 0; i < 3; i++) {
      const ws = FakeWebSocket.instances.at(-1)!;
      ws.open();
      ws.emit(ev("s1", 1, "step.started"));
      const before = FakeWebSocket.instances.length;
      ws.emit(delta("s1", 9, "late"));
      if (FakeWebSocket.instances.length === before) vi.advanceTimersByTime(1000);
    }
    expect(resyncs).toHaveLength(1);
    expect(client.lastEventId).toBeNull();
    vi.runOnlyPendingTimers();
    expect(FakeWebSocket.instances.at(-1)!.url).toBe("ws://engine.test/ws/chat/c1");
    client.stop();
  });

  it("passes non-step frames to onFrame and sends over the live socket", () => {
    const frames: any[] = [];
    const client = new StreamClient(
      { conversationId: "c1", baseUrl: "http://engine.test", onEvent: () => {}, onFrame: (f) => frames.push(f) },
      {
        WebSocket: FakeWebSocket as any,
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h),
        random: () => 0.5,
      },
    );
    client.start();
    const ws = FakeWebSocket.instances[0];
    expect(client.send({ type: "ping" })).toBe(false);
    ws.open();
    expect(client.send({ type: "ping" })).toBe(true);
    expect(ws.sent).toEqual(['{"type":"ping"}']);
    ws.emit({ type: "pong" });
    ws.emit({ type: "message.accepted", data: { client_msg_id: "m1" } });
    expect(frames.map((f) => f.type)).toEqual(["pong", "message.accepted"]);
    client.stop();
  });
});

describe("StreamClient with authentication", () => {
  const settle = async () => {
    for (let i = 0; i < 30; i++) await Promise.resolve();
  };

  function fakeAuth(tokens: (string | Error)[] = ["tok1"], tickets: (string | Error)[] = ["tk1"]) {
    const next = (list: (string | Error)[]) => {
      const v = list.length > 1 ? list.shift()! : list[0];
      return v instanceof Error ? Promise.reject(v) : Promise.resolve(v);
    };
    return {
      token: vi.fn(() => next(tokens)),
      ticket: vi.fn(() => next(tickets)),
      rejected: vi.fn(),
    };
  }

  it("passes the token as a WebSocket subprotocol next to grizz.v1", async () => {
    const auth = fakeAuth(["tok1"]);
    const { client } = setup({ auth });
    client.start();
    expect(FakeWebSocket.instances).toHaveLength(0); // waiting for the token
    expect(client.state).toBe("connecting");
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(1);
    const ws = FakeWebSocket.instances[0];
    expect(ws.url).toBe("ws://engine.test/ws/chat/c1");
    expect(ws.protocols).toEqual(["grizz.v1", "bearer.tok1"]);
    expect(auth.ticket).not.toHaveBeenCalled();
    ws.open();
    expect(client.state).toBe("live");
    client.stop();
  });

  it("asks for a fresh token and resumes after a drop; a 1008 close reports the token as rejected", async () => {
    const auth = fakeAuth(["tok1", "tok2"]);
    const { client } = setup({ auth });
    client.start();
    await settle();
    const ws = FakeWebSocket.instances[0];
    ws.open();
    ws.emit(ev("s1", 1, "step.started"));
    ws.onclose?.({ code: 1008 });
    expect(auth.rejected).toHaveBeenCalledWith("tok1");
    vi.runOnlyPendingTimers();
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.instances[1].protocols).toEqual(["grizz.v1", "bearer.tok2"]);
    expect(FakeWebSocket.instances[1].url).toContain("last_event_id=");
    client.stop();
  });

  it("fetches a new ticket before every server-sent events connect", async () => {
    const auth = fakeAuth(["tok1"], ["tk1", "tk2"]);
    const { client } = setup({ auth, transports: ["sse"] });
    client.start();
    await settle();
    expect(auth.ticket).toHaveBeenCalledTimes(1);
    let es = FakeEventSource.instances[0];
    expect(es.url).toBe("http://engine.test/api/v1/conversations/c1/events?ticket=tk1");
    es.open();
    es.emit(ev("s1", 1, "step.started"));
    es.fail();
    expect(es.closed).toBe(true);
    vi.runOnlyPendingTimers();
    await settle();
    expect(auth.ticket).toHaveBeenCalledTimes(2);
    es = FakeEventSource.instances[1];
    expect(es.url).toBe(
      "http://engine.test/api/v1/conversations/c1/events?ticket=tk2&after=1764072000001-0",
    );
    expect(auth.token).not.toHaveBeenCalled();
    client.stop();
  });

  it("sends the bearer on every long-poll request and reports a 401", async () => {
    const auth = fakeAuth(["tok1", "tok2"]);
    const { client, fetcher } = setup({ auth, transports: ["poll"] });
    client.start();
    await settle();
    expect(fetcher.calls).toHaveLength(1);
    expect(fetcher.calls[0].init.headers.Authorization).toBe("Bearer tok1");
    expect(fetcher.calls[0].init.headers.traceparent).toMatch(/^00-/);
    fetcher.calls[0].resolve([ev("s1", 1, "step.started")]);
    await settle();
    expect(client.state).toBe("fallback");
    expect(fetcher.calls).toHaveLength(2);
    expect(fetcher.calls[1].init.headers.Authorization).toBe("Bearer tok2");
    // the engine refuses the token
    fetcher.fn.mockImplementationOnce(async () => ({ ok: false, status: 401, json: async () => ({}) }) as any);
    fetcher.calls[1].resolve([]);
    await settle();
    expect(auth.rejected).toHaveBeenCalledWith("tok2");
    expect(client.state).toBe("reconnecting");
    client.stop();
  });

  it("a failed token fetch is a failed attempt: back-off and retry, no crash", async () => {
    const auth = fakeAuth([new Error("engine unreachable"), "tok2"]);
    const { client, states } = setup({ auth, transports: ["ws"], random: () => 1 });
    client.start();
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(client.state).toBe("reconnecting");
    vi.advanceTimersByTime(499);
    await settle();
    expect(auth.token).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1); // attempt 0 waits 500 ms with random 1
    await settle();
    expect(auth.token).toHaveBeenCalledTimes(2);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(FakeWebSocket.instances[0].protocols).toEqual(["grizz.v1", "bearer.tok2"]);
    FakeWebSocket.instances[0].open();
    expect(states.map((x) => x[0])).toEqual(["connecting", "reconnecting", "live"]);
    client.stop();
  });

  it("a failed token fetch on the first transport falls back like a refused connect", async () => {
    const auth = fakeAuth([new Error("no"), "tok2"], ["tk1"]);
    const { client } = setup({ auth });
    client.start();
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.instances[0].url).toContain("ticket=tk1");
    client.stop();
  });

  it("stop() while the token is on its way opens nothing", async () => {
    let resolve!: (t: string) => void;
    const token = vi.fn(() => new Promise<string>((r) => (resolve = r)));
    const { client } = setup({ auth: { token, ticket: async () => "tk" } });
    client.start();
    client.nudge(); // no second attempt while the first waits for its token
    await settle();
    expect(token).toHaveBeenCalledTimes(1);
    client.stop();
    resolve("tok1");
    await settle();
    expect(FakeWebSocket.instances).toHaveLength(0);
    expect(client.state).toBe("closed");
  });
});

describe("answers reducer", () => {
  it("step.restarted drops the partial text and deltas follow again", () => {
    let live: LiveAnswers = {};
    const seq = [
      ev("s1", 1, "step.started", { model: "demo/demo" }),
      delta("s1", 2, "Partial "),
      delta("s1", 3, "answer"),
      ev("s1", 4, "step.restarted"),
      delta("s1", 5, "Fresh "),
      delta("s1", 6, "answer"),
      ev("s1", 7, "message.completed", { message_id: "m1", text: "Fresh answer" }),
      ev("s1", 8, "usage", { provider: "demo", model: "demo", prompt_tokens: 10, completion_tokens: 2, usage_cents: 0 }),
      ev("s1", 9, "step.finished", { status: "completed" }),
    ];
    for (const e of seq.slice(0, 4)) live = applyEvent(live, e);
    expect(live.s1.text).toBe("");
    for (const e of seq.slice(4)) live = applyEvent(live, e);
    expect(live.s1.text).toBe("Fresh answer");
    expect(live.s1.finished).toBe(true);
    expect(live.s1.status).toBe("completed");
    expect(live.s1.usage?.completion_tokens).toBe(2);
  });

  it("records failures and cancellations", () => {
    let live: LiveAnswers = {};
    live = applyEvent(live, ev("s1", 1, "step.started"));
    live = applyEvent(live, ev("s1", 2, "step.failed", { code: "upstream_unavailable", message: "x" }));
    live = applyEvent(live, ev("s1", 3, "step.finished", { status: "failed" }));
    expect(live.s1.status).toBe("failed");
    expect(live.s1.error?.code).toBe("upstream_unavailable");
    live = applyEvent(live, ev("s2", 1, "step.cancelled"));
    expect(live.s2.status).toBe("cancelled");
  });
});

describe("traceparent", () => {
  it("is 00-<32 hex>-<16 hex>-01 and random", () => {
    const a = traceparent();
    expect(a).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(traceparent()).not.toBe(a);
  });
});
