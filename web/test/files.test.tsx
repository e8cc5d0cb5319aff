// Files and live output in tool cards, and the composer's file chips.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { ToolCard } from "../src/components/ToolCard";
import { MessageBox, type UploadFile } from "../src/components/MessageBox";
import { appendOutput, applyEvent, MAX_LIVE_OUTPUT, type LiveAnswers } from "../src/lib/answers";
import { mergeCards, storedCards, type ToolCard as Card } from "../src/lib/toolCards";
import { ApiError, uploadErrorText } from "../src/lib/api";
import type { ChatEvent, Step } from "../src/lib/types";

const CHART = { id: "f-chart", name: "chart.png", media_type: "image/png", size: 20480 };
const CSV = { id: "f-csv", name: "out.csv", media_type: "text/csv", size: 1200 };

let made: string[] = [];
let revoked: string[] = [];
beforeEach(() => {
  made = [];
  revoked = [];
  URL.createObjectURL = vi.fn(() => {
    const url = `blob:test/${made.length + 1}`;
    made.push(url);
    return url;
  });
  URL.revokeObjectURL = vi.fn((url: string) => void revoked.push(url));
});
afterEach(cleanup);

function card(extra: Partial<Card>): Card {
  return { callId: "c0", name: "code_interpreter", arguments: '{"code":"print(1)"}', state: "ok", ...extra };
}

describe("ToolCard files", () => {
  it("shows an image the call wrote inline, fetched with the token through a blob: URL revoked on unmount", async () => {
    const load = vi.fn(async () => new Blob([new Uint8Array([137, 80, 78, 71])], { type: "image/png" }));
    const { unmount } = render(
      <ToolCard card={card({ result: "done", files: [CHART] })} onDecide={vi.fn()} loadFile={load} />,
    );
    const img = (await screen.findByAltText("chart.png")) as HTMLImageElement;
    expect(load).toHaveBeenCalledWith("f-chart");
    expect(img.getAttribute("src")).toBe("blob:test/1");
    // A click opens it full size.
    const link = img.closest("a")!;
    expect(link.getAttribute("href")).toBe("blob:test/1");
    expect(link.getAttribute("target")).toBe("_blank");
    // Shown outside the collapsed details: in view without opening the card.
    expect(img.closest("details")).toBeNull();
    unmount();
    expect(revoked).toEqual(["blob:test/1"]);
  });

  it("offers any other file as a download, fetched when clicked and saved under its name", async () => {
    const load = vi.fn(async () => new Blob(["a,b\n1,2\n"], { type: "application/octet-stream" }));
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(`${this.download} ${this.href}`);
    });
    render(<ToolCard card={card({ files: [CSV] })} onDecide={vi.fn()} loadFile={load} />);
    const link = screen.getByRole("link", { name: /out\.csv/ });
    expect(link.getAttribute("download")).toBe("out.csv");
    expect(screen.getByText("1 KB")).toBeTruthy();
    expect(load).not.toHaveBeenCalled();
    fireEvent.click(link);
    await waitFor(() => expect(clicked).toEqual(["out.csv blob:test/1"]));
    expect(load).toHaveBeenCalledWith("f-csv");
    click.mockRestore();
  });

  it("says so when an image cannot be fetched", async () => {
    const load = vi.fn(async () => {
      throw new ApiError(404, "not_found", "No such file.");
    });
    render(<ToolCard card={card({ files: [CHART] })} onDecide={vi.fn()} loadFile={load} />);
    expect((await screen.findByRole("alert")).textContent).toContain("chart.png could not be loaded");
  });
});

describe("ToolCard live output", () => {
  it("shows what a running call prints (stderr marked), and the result instead once it ends", () => {
    const output = [
      { stream: "stdout" as const, text: "step 1\n" },
      { stream: "stderr" as const, text: "warning: slow\n" },
    ];
    const { container, rerender } = render(
      <ToolCard card={card({ state: "running", result: undefined, output })} onDecide={vi.fn()} />,
    );
    const pre = container.querySelector("pre.tool-output")!;
    expect(pre.textContent).toBe("step 1\nwarning: slow\n");
    expect(pre.querySelector(".tool-stderr")!.textContent).toBe("warning: slow\n");
    expect(pre.closest("details")).toBeNull(); // in view while it runs
    rerender(<ToolCard card={card({ state: "ok", result: "step 1\n", output })} onDecide={vi.fn()} />);
    expect(container.querySelector("pre.tool-output")).toBeNull();
    expect(container.querySelector("pre.tool-result")!.textContent).toBe("step 1\n");
  });

  it("notes when earlier output was cut", () => {
    render(
      <ToolCard
        card={card({ state: "running", output: [{ stream: "stdout", text: "tail" }], outputCut: true })}
        onDecide={vi.fn()}
      />,
    );
    expect(screen.getByText(/earlier output cut/)).toBeTruthy();
  });
});

function event(seq: number, stepId: string, type: string, data: Record<string, unknown>): ChatEvent {
  return {
    id: `1764072000000-${seq}`,
    type,
    conversation_id: "conv",
    task_id: "conv",
    step_id: stepId,
    seq,
    attempt: 1,
    ts: "2026-12-07T12:00:00Z",
    data,
  } as ChatEvent;
}

describe("tool.output and files from events and stored steps", () => {
  it("appends a call's output on its answer's card, then takes the result's files", () => {
    let live: LiveAnswers = {};
    for (const e of [
      event(1, "a", "step.started", { model: "demo", attempt: 1 }),
      event(2, "a", "tool.call", { call_id: "c0", name: "code_interpreter", arguments: "{}" }),
      event(3, "a", "step.finished", { status: "completed", continues: true }),
      event(4, "t0", "tool.output", { call_id: "c0", stream: "stdout", text: "(3, " }),
      event(5, "t0", "tool.output", { call_id: "c0", stream: "stdout", text: "2)\n" }),
      event(6, "t0", "tool.output", { call_id: "c0", stream: "stderr", text: "oops\n" }),
    ]) {
      live = applyEvent(live, e);
    }
    const running = mergeCards([], live.a.toolCalls)[0];
    expect(running.state).toBe("running");
    expect(running.stepId).toBe("t0");
    expect(running.output).toEqual([
      { stream: "stdout", text: "(3, 2)\n" },
      { stream: "stderr", text: "oops\n" },
    ]);
    live = applyEvent(
      live,
      event(7, "t0", "tool.result", {
        call_id: "c0",
        name: "code_interpreter",
        status: "ok",
        result: "(3, 2)",
        truncated: false,
        duration_ms: 40,
        files: [CHART],
      }),
    );
    const ended = mergeCards([], live.a.toolCalls)[0];
    expect(ended.state).toBe("ok");
    expect(ended.files).toEqual([CHART]);
    expect(live.t0).toBeUndefined(); // the tool step's events went to the answer's card
  });

  it("keeps only the newest MAX_LIVE_OUTPUT characters of output, and says it cut", () => {
    let state = appendOutput([], { stream: "stdout", text: "x".repeat(MAX_LIVE_OUTPUT - 5) });
    expect(state.cut).toBe(false);
    state = appendOutput(state.chunks, { stream: "stderr", text: "0123456789" }, state.cut);
    expect(state.cut).toBe(true);
    expect(state.chunks.reduce((n, c) => n + c.text.length, 0)).toBe(MAX_LIVE_OUTPUT);
    expect(state.chunks[1]).toEqual({ stream: "stderr", text: "0123456789" });
  });

  it("rebuilds a card's files from its stored tool step after a reload", () => {
    const tool: Step = {
      id: "t0",
      parent_step_id: "a",
      type: "tool",
      status: "completed",
      metadata: { call_id: "c0", name: "code_interpreter", index: 0, outcome: "ok", files: [CHART, { bogus: 1 }] },
    };
    const cards = storedCards(undefined, [tool], new Map());
    expect(cards[0].files).toEqual([CHART]);
  });
});

describe("MessageBox file chips", () => {
  function deferred<T>() {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  it("uploads a file that is not an image: progress, then a chip with its name and size; Send waits for it", async () => {
    const pending = deferred<{ id: string; name: string; size: number }>();
    let progress: (f: number) => void = () => {};
    const upload: UploadFile = vi.fn((_file, onProgress) => {
      progress = onProgress;
      return pending.promise;
    });
    const onSend = vi.fn();
    render(<MessageBox onSend={onSend} onUploadFile={upload} uploadError={uploadErrorText} />);
    const csv = new File(["a,b\n1,2\n"], "sales.csv", { type: "text/csv" });
    fireEvent.change(screen.getByLabelText("Files"), { target: { files: [csv] } });
    const bar = (await screen.findByLabelText("Uploading sales.csv")) as HTMLProgressElement;
    act(() => progress(0.5));
    expect(bar.value).toBe(0.5);
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "plot it" } });
    expect((screen.getByRole("button", { name: "Uploading…" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onSend).not.toHaveBeenCalled();
    await act(async () => pending.resolve({ id: "f1", name: "sales.csv", size: 8 }));
    const chip = screen.getByText(/sales\.csv/).closest("li")!;
    expect(chip.dataset.state).toBe("done");
    expect(chip.textContent).toContain("8 B");
    expect(screen.queryByLabelText("Uploading sales.csv")).toBeNull();
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onSend).toHaveBeenCalledWith("plot it", []);
    expect(screen.queryByText(/sales\.csv/)).toBeNull(); // sent: the chips are cleared
  });

  it("says plainly why an upload failed (413: too large), and the chip can be dismissed", async () => {
    const upload: UploadFile = vi.fn(async () => {
      throw new ApiError(413, "payload_too_large", "Too large.");
    });
    render(<MessageBox onSend={vi.fn()} onUploadFile={upload} uploadError={uploadErrorText} />);
    const big = new File(["x"], "huge.bin", { type: "application/octet-stream" });
    fireEvent.change(screen.getByLabelText("Files"), { target: { files: [big] } });
    expect((await screen.findByRole("alert")).textContent).toBe("file too large (max 16 MiB)");
    expect(screen.getByText(/huge\.bin/).closest("li")!.dataset.state).toBe("failed");
    fireEvent.click(screen.getByLabelText("Remove huge.bin"));
    expect(screen.queryByText(/huge\.bin/)).toBeNull();
  });

  it("keeps images as vision input sent with the message, and removes an uploaded file from the conversation", async () => {
    const upload: UploadFile = vi.fn(async (file) => ({ id: "f2", name: file.name, size: file.size }));
    const remove = vi.fn(async () => undefined);
    const onSend = vi.fn();
    render(<MessageBox onSend={onSend} onUploadFile={upload} onRemoveFile={remove} />);
    const png = new File([new Uint8Array([137, 80, 78, 71])], "a.png", { type: "image/png" });
    const txt = new File(["hello"], "notes.txt", { type: "text/plain" });
    fireEvent.change(screen.getByLabelText("Files"), { target: { files: [png, txt] } });
    await screen.findByAltText("Attached image 1");
    await waitFor(() => expect(screen.getByText(/notes\.txt/).closest("li")!.dataset.state).toBe("done"));
    expect(upload).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByLabelText("Remove notes.txt"));
    expect(remove).toHaveBeenCalledWith("f2");
    const box = screen.getByLabelText("Message");
    fireEvent.change(box, { target: { value: "look" } });
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onSend).toHaveBeenCalledWith("look", ["data:image/png;base64,iVBORw=="]);
  });

  it("takes files dropped on the composer", async () => {
    const upload: UploadFile = vi.fn(async (file) => ({ id: "f3", name: file.name, size: file.size }));
    const { container } = render(<MessageBox onSend={vi.fn()} onUploadFile={upload} />);
    const csv = new File(["a"], "drop.csv", { type: "text/csv" });
    const form = container.querySelector("form")!;
    fireEvent.dragOver(form, { dataTransfer: { types: ["Files"], files: [csv] } });
    expect(form.className).toContain("dragging");
    fireEvent.drop(form, { dataTransfer: { types: ["Files"], files: [csv] } });
    await waitFor(() => expect(upload).toHaveBeenCalledTimes(1));
    expect(form.className).not.toContain("dragging");
  });
});

describe("ConversationFiles", () => {
  it("lists the conversation's files with size and origin; one can be downloaded or deleted", async () => {
    const { ConversationFiles } = await import("../src/components/ConversationFiles");
    const items = [
      { ...CSV, id: "f1", name: "sales.csv", conversation_id: "conv", origin: "upload", created_at: "2026-12-07T12:00:00Z" },
      { ...CHART, conversation_id: "conv", origin: "sandbox", created_at: "2026-12-07T12:00:01Z" },
    ];
    const list = vi.fn(async () => items);
    const remove = vi.fn(async () => undefined);
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(true);
    render(<ConversationFiles list={list} load={vi.fn()} remove={remove} errorText={String} />);
    const rows = await screen.findAllByRole("row");
    expect(rows.map((r) => r.textContent)).toEqual([
      "NameSizeFromActions",
      "⬇ sales.csv1 KBuploaded✕",
      "⬇ chart.png20 KBmade by code✕",
    ]);
    expect(screen.getByRole("link", { name: /sales\.csv/ }).getAttribute("download")).toBe("sales.csv");
    fireEvent.click(screen.getByLabelText("Delete chart.png"));
    await waitFor(() => expect(screen.queryByText(/chart\.png/)).toBeNull());
    expect(remove).toHaveBeenCalledWith("f-chart");
    confirm.mockRestore();
  });
});
