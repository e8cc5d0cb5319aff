import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import { RichMarkdown, loadMath, safeUrl } from "../src/components/RichMarkdown";
import { mayHaveMath, splitBlocks } from "../src/lib/mdBlocks";

afterEach(cleanup);

describe("RichMarkdown", () => {
  it("renders GFM tables and highlighted code with a copy button", () => {
    const { container } = render(
      <RichMarkdown text={"| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1  # one\n```"} />,
    );
    expect(container.querySelectorAll("table td").length).toBe(2);
    expect(container.querySelector("th")?.textContent).toBe("a");
    const pre = container.querySelector("pre");
    expect(pre?.getAttribute("tabindex")).toBe("0");
    expect(pre?.querySelector("code.hljs .hljs-comment")?.textContent).toBe("# one");
    expect(pre?.textContent?.trimEnd()).toBe("x = 1  # one");
    expect(screen.getByRole("button", { name: "Copy code" })).toBeTruthy();
  });

  it("keeps model output inert: no raw HTML, no javascript: links", () => {
    const { container } = render(
      <RichMarkdown
        text={'Hi <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script>\n\n[click](javascript:alert(1)) [ok](https://example.com) ![i](javascript:alert(2))'}
      />,
    );
    expect(container.querySelector("img")).toBeNull();
    expect(container.querySelector("script")).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="window.__xss=1">');
    const links = [...container.querySelectorAll("a")];
    expect(links.map((a) => a.getAttribute("href"))).toEqual(["https://example.com"]);
    expect(links[0].getAttribute("rel")).toContain("noopener");
    expect(safeUrl("javascript:alert(1)")).toBe("");
    expect(safeUrl("JaVaScRiPt:alert(1)")).toBe("");
    expect(safeUrl("data:text/html,x")).toBe("");
  });

  it("typesets math once KaTeX has loaded", async () => {
    await loadMath();
    const { container } = render(<RichMarkdown text={"Energy: $E = mc^2$\n\n$$\n\\int_0^1 x\\,dx\n$$"} />);
    await waitFor(() => expect(container.querySelectorAll(".katex").length).toBe(2));
    expect(container.querySelector(".katex-display")).toBeTruthy();
  });

  it("maps a model's # heading under the page's h1", () => {
    const { container } = render(<RichMarkdown text={"# Title\n\ntext"} />);
    expect(container.querySelector("h2")?.textContent).toBe("Title");
    expect(container.querySelector("h1")).toBeNull();
  });
});

describe("splitBlocks", () => {
  it("splits at blank lines but not inside fences, math or lists", () => {
    expect(splitBlocks("a\nb\n\nc")).toEqual(["a\nb", "c"]);
    expect(splitBlocks("```\nx\n\ny\n```\n\nz")).toEqual(["```\nx\n\ny\n```", "z"]);
    expect(splitBlocks("$$\na\n\nb\n$$\n\nq")).toEqual(["$$\na\n\nb\n$$", "q"]);
    expect(splitBlocks("- a\n\n- b\n\nafter")).toEqual(["- a\n\n- b", "after"]);
    expect(splitBlocks("```py\nopen fence while streaming")).toEqual(["```py\nopen fence while streaming"]);
  });

  it("loads KaTeX only for text that may hold math", () => {
    expect(mayHaveMath("costs $5 and $6")).toBe(true); // a false positive is harmless
    expect(mayHaveMath("plain text, no dollars")).toBe(false);
    expect(mayHaveMath("$$x$$")).toBe(true);
    expect(mayHaveMath("\\(x\\)")).toBe(true);
  });
});
