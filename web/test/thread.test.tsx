import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { Thread } from "../src/components/Thread";
import type { Turn } from "../src/lib/turns";

afterEach(cleanup);

const turn = (text: string): Turn[] => [
  {
    key: "u1",
    user: { id: "u1", role: "user", content: "hi", step_id: "s0" } as any,
    answers: [
      {
        key: "s1",
        running: true,
        segments: [
          {
            stepId: "s1",
            cards: [],
            live: { stepId: "s1", text, reasoning: "", status: "running", finished: false, toolCalls: [], order: 0 } as any,
          },
        ],
      },
    ],
  },
];

/** jsdom has no layout: the thread's scroll metrics are set by hand. */
function metrics(el: HTMLElement, m: { scrollHeight: number; clientHeight: number }) {
  Object.defineProperty(el, "scrollHeight", { configurable: true, get: () => m.scrollHeight });
  Object.defineProperty(el, "clientHeight", { configurable: true, get: () => m.clientHeight });
}

describe("Thread", () => {
  it("follows new text at the bottom, stays put when scrolled up, and offers Jump to latest", () => {
    const decide = async () => undefined;
    const { rerender } = render(<Thread turns={turn("a")} conversationKey="c1" onDecide={decide} />);
    const el = screen.getByRole("region", { name: "Messages" });
    const m = { scrollHeight: 1000, clientHeight: 400 };
    metrics(el, m);
    rerender(<Thread turns={turn("ab")} conversationKey="c1" onDecide={decide} />);
    expect(el.scrollTop).toBe(1000); // at the bottom: follows
    el.scrollTop = 100; // the reader scrolls up
    fireEvent.scroll(el);
    m.scrollHeight = 1200;
    rerender(<Thread turns={turn("abc")} conversationKey="c1" onDecide={decide} />);
    expect(el.scrollTop).toBe(100);
    const jump = screen.getByRole("button", { name: /Jump to latest/ });
    fireEvent.click(jump);
    expect(el.scrollTop).toBe(1200);
    expect(screen.queryByRole("button", { name: /Jump to latest/ })).toBeNull();
    m.scrollHeight = 1300;
    rerender(<Thread turns={turn("abcd")} conversationKey="c1" onDecide={decide} />);
    expect(el.scrollTop).toBe(1300); // following again
  });
});
