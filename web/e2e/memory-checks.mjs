// Browser checks of memory (issue 21): the memory panel, the remember tool through the demo
// provider, the note on an answer that used memories, and the marker where a summary took over.
import path from "node:path";
import { expectNoSeriousViolations } from "./axe.mjs";

export async function memoryChecks(t) {
  const { page, step, assert, SHOTS, newChat, waitFinished, AXE } = t;
  const box = () => page.getByRole("textbox", { name: "Message", exact: true });
  const panel = () => page.getByRole("region", { name: "Memory" });
  const ask = async (text) => {
    await page.evaluate(() => window.__e2eWatch(null));
    await box().fill(text);
    await box().press("Enter");
  };
  const axe = (label) => expectNoSeriousViolations(page, AXE, assert, label);

  await step("memory: told to remember, the model keeps it; the panel lists, adds, edits and deletes; a later answer says which memory it used", async () => {
    await page.setViewportSize({ width: 1100, height: 760 });
    await newChat();
    await ask("Remember that my favourite colour is teal.");
    await page.locator('.tool-card[data-tool="remember"][data-status="ok"]').waitFor();
    await waitFinished();

    await page.getByRole("button", { name: "Memory", exact: true }).click();
    await panel().getByText("my favourite colour is teal", { exact: true }).waitFor();
    const add = panel().getByRole("textbox", { name: "A new memory" });
    await add.fill("I live in Lyon.");
    await panel().getByRole("button", { name: "Add", exact: true }).click();
    await panel().getByText("I live in Lyon.", { exact: true }).waitFor();
    await panel().getByRole("button", { name: "Edit memory: I live in Lyon." }).click();
    await panel().getByRole("textbox", { name: "Edit memory" }).fill("I live in Grenoble.");
    await panel().getByRole("button", { name: "Save", exact: true }).click();
    await panel().getByText("I live in Grenoble.", { exact: true }).waitFor();
    assert((await panel().getByText("I live in Lyon.", { exact: true }).count()) === 0, "the edited memory still shows its old words");
    await page.screenshot({ path: path.join(SHOTS, "memory-panel.png") });
    await axe("memory panel");
    await panel().getByRole("button", { name: "Delete memory: I live in Grenoble." }).click();
    await panel().getByText("I live in Grenoble.", { exact: true }).waitFor({ state: "detached" });
    await page.getByRole("button", { name: "Close memory" }).click();

    await newChat();
    await ask("What is my favourite colour?");
    await waitFinished();
    const note = page.locator("article.msg.assistant").last().locator("details.memories-used");
    await note.getByText("Used 1 memory").waitFor();
    await note.locator("summary").click();
    await note.getByText("my favourite colour is teal").waitFor();
  });

  await step("memory: a long conversation is summarised in the background; the marker shows where, with the summary", async () => {
    await newChat();
    // Two messages of about 4,000 tokens each pass 80 % of the 6,000-token budget: the first turn
    // is summarised after the second.
    await ask("alpha ".repeat(4000).trim());
    await waitFinished();
    await ask("bravo ".repeat(4000).trim());
    await waitFinished();
    const url = page.url();
    const marker = page.locator(".summary-marker");
    const deadline = Date.now() + 30_000;
    while ((await marker.count()) === 0) {
      assert(Date.now() < deadline, "no summary marker appeared within 30 s");
      await page.waitForTimeout(1000);
      await page.goto(url);
      await page.locator("article.msg.assistant").first().waitFor();
    }
    await marker.getByText("Earlier messages summarised").click();
    await marker.getByText(/The user said: alpha alpha/).waitFor();
    // It sits between the two turns: after the first answer, before the second message.
    const between = await page.evaluate(() => {
      const m = document.querySelector(".summary-marker");
      const turn = m?.closest(".turn");
      return !!turn && !!turn.nextElementSibling && turn.querySelectorAll("article.msg.assistant").length === 1;
    });
    assert(between, "the marker is not after the first turn");
    assert((await page.locator("article.msg.assistant").count()) === 2, "the summary was shown as an answer");
    await marker.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "summary-marker.png") });
  });
}
