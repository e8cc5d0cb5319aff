import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { MessageBox } from "../src/components/MessageBox";
import { PlainMarkdown as Markdown } from "../src/components/PlainMarkdown";

afterEach(cleanup);

describe("MessageBox", () => {
  it("sends attached images with the text, and lets one be removed first", async () => {
    const onSend = vi.fn();
    render(<MessageBox onSend={onSend} />);
    const png = new File([new Uint8Array([137, 80, 78, 71])], "a.png", { type: "image/png" });
    const jpg = new File([new Uint8Array([255, 216, 255])], "b.jpg", { type: "image/jpeg" });
    fireEvent.change(screen.getByLabelText("Image files"), { target: { files: [png, jpg] } });
    await screen.findByAltText("Attached image 2");
    fireEvent.click(screen.getByLabelText("Remove image 1"));
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "what is this?" } });
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onSend).toHaveBeenCalledWith("what is this?", ["data:image/jpeg;base64,/9j/"]);
    expect(screen.queryByAltText("Attached image 1")).toBeNull();
  });

  it("refuses a file that is not an image the engine takes", async () => {
    render(<MessageBox onSend={vi.fn()} />);
    const svg = new File(["<svg/>"], "x.svg", { type: "image/svg+xml" });
    fireEvent.change(screen.getByLabelText("Image files"), { target: { files: [svg] } });
    expect((await screen.findByRole("alert")).textContent).toContain("not a PNG, JPEG, GIF or WebP");
  });

  it("sends on Enter and clears the box", () => {
    const onSend = vi.fn();
    render(<MessageBox onSend={onSend} />);
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "Hello there" } });
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onSend).toHaveBeenCalledWith("Hello there", []);
    expect(box.value).toBe("");
  });

  it("does not send on Shift+Enter (a new line instead)", () => {
    const onSend = vi.fn();
    render(<MessageBox onSend={onSend} />);
    const box = screen.getByLabelText("Message") as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: "line one" } });
    const notPrevented = fireEvent.keyDown(box, { key: "Enter", shiftKey: true });
    expect(notPrevented).toBe(true); // the browser inserts the newline
    expect(onSend).not.toHaveBeenCalled();
    expect(box.value).toBe("line one");
  });

  it("does not send blank text or while disabled", () => {
    const onSend = vi.fn();
    const { rerender } = render(<MessageBox onSend={onSend} />);
    const box = screen.getByLabelText("Message");
    fireEvent.change(box, { target: { value: "   " } });
    fireEvent.keyDown(box, { key: "Enter" });
    rerender(<MessageBox onSend={onSend} disabled />);
    fireEvent.change(box, { target: { value: "hi" } });
    fireEvent.keyDown(box, { key: "Enter" });
    expect(onSend).not.toHaveBeenCalled();
  });
});

describe("Markdown", () => {
  it("renders code blocks with a copy button and never injects HTML", () => {
    const { container } = render(
      <Markdown text={"Hi **there** <img src=x onerror=alert(1)>\n\n```js\nconst a = 1;\n```\n[bad](javascript:alert(1))"} />,
    );
    expect(container.querySelector("img")).toBeNull();
    expect(container.textContent).toContain("<img src=x onerror=alert(1)>");
    expect(container.querySelector("strong")?.textContent).toBe("there");
    expect(container.querySelector("pre code")?.textContent).toBe("const a = 1;");
    expect(screen.getByRole("button", { name: "Copy code" })).toBeTruthy();
    expect(container.querySelector("a")).toBeNull();
  });

  it("shows an unclosed fence as code while streaming", () => {
    const { container } = render(<Markdown text={"```py\nprint('hi')"} />);
    expect(container.querySelector("pre code")?.textContent).toBe("print('hi')");
  });
});
