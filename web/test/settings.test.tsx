import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { ConversationSettingsPanel } from "../src/components/ConversationSettingsPanel";
import { ToolCard } from "../src/components/ToolCard";
import { ApiError } from "../src/lib/api";

afterEach(cleanup);

const models = [{ id: "demo/demo", provider: "demo", model: "demo" }];

describe("ConversationSettingsPanel", () => {
  it("saves what is filled in and leaves the rest unset (never 0)", async () => {
    const onSave = vi.fn().mockResolvedValue(undefined);
    const onClose = vi.fn();
    render(
      <ConversationSettingsPanel settings={{ temperature: 0.7 }} models={models} onSave={onSave} onClose={onClose} />,
    );
    expect((screen.getByLabelText("Temperature") as HTMLInputElement).value).toBe("0.7");
    fireEvent.change(screen.getByLabelText("Conversation model"), { target: { value: "demo/demo" } });
    fireEvent.change(screen.getByLabelText("System prompt"), { target: { value: "Be terse." } });
    fireEvent.change(screen.getByLabelText("Temperature"), { target: { value: "" } });
    fireEvent.change(screen.getByLabelText("Max tokens"), { target: { value: "64" } });
    fireEvent.click(screen.getByText("Save"));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onSave).toHaveBeenCalledWith({ model: "demo/demo", system_prompt: "Be terse.", max_tokens: 64 });
  });

  it("shows the engine's refusal and stays open", async () => {
    const onSave = vi.fn().mockRejectedValue(new Error("settings.temperature must be between 0 and 2"));
    const onClose = vi.fn();
    render(<ConversationSettingsPanel settings={{}} models={models} onSave={onSave} onClose={onClose} />);
    fireEvent.change(screen.getByLabelText("Temperature"), { target: { value: "5" } });
    // Past the browser's own range check, as an older browser or a script would send it.
    fireEvent.submit(screen.getByRole("form", { name: "Conversation settings" }));
    expect(await screen.findByRole("alert")).toHaveProperty(
      "textContent",
      "settings.temperature must be between 0 and 2",
    );
    expect(onClose).not.toHaveBeenCalled();
  });

  const tools = [
    { name: "current_time", description: "time" },
    { name: "fetch_url", description: "fetch" },
  ];

  it("tool boxes: all ticked sends no tools key, none sends [], some send their names; other settings kept", async () => {
    const onSave = vi.fn().mockResolvedValue(undefined);
    render(
      <ConversationSettingsPanel settings={{ max_tokens: 9 }} models={models} tools={tools} onSave={onSave} onClose={() => {}} />,
    );
    const box = (name: string) => screen.getByRole("checkbox", { name }) as HTMLInputElement;
    expect(box("current_time").checked && box("fetch_url").checked).toBe(true);
    fireEvent.click(screen.getByText("Save"));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave).toHaveBeenLastCalledWith({ max_tokens: 9 });
    fireEvent.click(box("fetch_url"));
    fireEvent.click(screen.getByText("Save"));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(2));
    expect(onSave).toHaveBeenLastCalledWith({ max_tokens: 9, tools: ["current_time"] });
    fireEvent.click(box("current_time"));
    fireEvent.click(screen.getByText("Save"));
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(3));
    expect(onSave).toHaveBeenLastCalledWith({ max_tokens: 9, tools: [] });
    cleanup();
    render(
      <ConversationSettingsPanel settings={{ tools: [] }} models={models} tools={tools} onSave={onSave} onClose={() => {}} />,
    );
    expect(box("current_time").checked || box("fetch_url").checked).toBe(false);
  });

  it("keeps the stored tools when the engine's list has not loaded", async () => {
    const onSave = vi.fn().mockResolvedValue(undefined);
    render(<ConversationSettingsPanel settings={{ tools: [] }} models={models} onSave={onSave} onClose={() => {}} />);
    fireEvent.click(screen.getByText("Save"));
    await waitFor(() => expect(onSave).toHaveBeenCalled());
    expect(onSave).toHaveBeenCalledWith({ tools: [] });
  });
});

describe("ToolCard", () => {
  // Made per test: a time fixed when the file loads would have run down on a slow machine.
  const waiting = () => ({
    callId: "c0",
    name: "current_time",
    arguments: '{"timezone":"Asia/Tokyo"}',
    stepId: "t0",
    state: "waiting",
    expiresAt: new Date(Date.now() + 90_000).toISOString(),
  });

  it("posts the decision for the waiting step and shows the time left", async () => {
    const onDecide = vi.fn().mockResolvedValue(undefined);
    render(<ToolCard card={waiting()} onDecide={onDecide} />);
    expect(screen.getByText(/1:(29|30) left/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Deny" }));
    await waitFor(() => expect(onDecide).toHaveBeenCalledWith("t0", false));
  });

  it("says a call already decided or expired (409) in a short note, no crash", async () => {
    const onDecide = vi.fn().mockRejectedValue(new ApiError(409, "approval_not_pending", "not pending"));
    render(<ToolCard card={waiting()} onDecide={onDecide} />);
    fireEvent.click(screen.getByRole("button", { name: "Approve" }));
    expect(await screen.findByText("Already decided or expired.")).toBeTruthy();
  });
});
