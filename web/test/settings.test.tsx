import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { ConversationSettingsPanel } from "../src/components/ConversationSettingsPanel";

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
});
