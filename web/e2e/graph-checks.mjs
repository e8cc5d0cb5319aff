// Browser checks of the step graph (issue 22): versions and branches, Regenerate as a new version,
// Edit as a new branch, Copy and feedback. Called from run.mjs with its helpers.
import { expectNoSeriousViolations } from "./axe.mjs";

export async function graphChecks({ page, context, step, assert, BASE, SHOTS, path, send, newChat, waitStreaming, waitFinished, demoReply, fs, AXE }) {
  const answers = () => page.locator("article.msg.assistant");
  const userMessages = () => page.locator("article.msg.user");
  const lastAnswer = () => answers().last();
  const answerText = async () => (await lastAnswer().locator(".md").textContent()) ?? "";
  const count = (scope) => scope.locator(".version-count").textContent();

  await step("Regenerate makes a new version of the answer; ‹ › moves between the versions", async () => {
    await newChat();
    const prompt = "Please stop me half way through this answer";
    await send(prompt);
    await waitStreaming();
    await page.getByRole("button", { name: /Stop/ }).click();
    await waitFinished("cancelled");
    const partial = await answerText();
    await page.evaluate((e) => window.__e2eWatch(e), demoReply(prompt));
    await lastAnswer().getByRole("button", { name: "Regenerate answer" }).click();
    await waitStreaming();
    await waitFinished();
    assert((await answerText()) === demoReply(prompt), `answer was ${JSON.stringify(await answerText())}`);
    // It streamed live (over the conversation's stream, like a posted message), with no doubled words.
    const watched = await page.evaluate(() => window.__e2e);
    assert(watched.violations.length === 0 && watched.samples > 0, `streamed text: ${JSON.stringify(watched)}`);
    assert((await answers().count()) === 1, "the branch shows more than the new version");
    assert((await userMessages().count()) === 1, "the question was posted again");
    assert((await count(lastAnswer())) === "2/2", `versions shown: ${await count(lastAnswer())}`);
    await page.screenshot({ path: path.join(SHOTS, "answer-versions.png") });
    await lastAnswer().getByRole("button", { name: "Previous version of this answer" }).click();
    await page.waitForFunction(() => document.querySelector("article.msg.assistant .version-count")?.textContent === "1/2");
    assert((await answerText()) === partial, `version 1 shows ${JSON.stringify(await answerText())}`);
    assert((await lastAnswer().getAttribute("data-status")) === "cancelled", "version 1 is not the stopped answer");
    // The shown branch is the engine's: it stays after a reload.
    await page.reload();
    await page.waitForFunction(() => document.querySelector("article.msg.assistant .version-count")?.textContent === "1/2");
    await lastAnswer().getByRole("button", { name: "Next version of this answer" }).click();
    await page.waitForFunction(() => document.querySelector("article.msg.assistant .version-count")?.textContent === "2/2");
    assert((await answerText()) === demoReply(prompt), "version 2 is not the regenerated answer");
  });

  await step("Edit a message: the edit is a new branch whose answer streams; the old branch is one version back", async () => {
    await newChat();
    await send("First question about versions");
    await waitFinished();
    await send("Second question about versions");
    await page.waitForFunction(() => document.querySelectorAll("article.msg.assistant").length === 2);
    await waitFinished();
    await userMessages().first().getByRole("button", { name: "Edit message" }).click();
    const editor = page.getByRole("textbox", { name: "Edited message" });
    assert((await editor.inputValue()) === "First question about versions", "the editor does not hold the message");
    const edited = "Edited first question about branches";
    await editor.fill(edited);
    await page.evaluate((e) => window.__e2eWatch(e), demoReply(edited));
    await page.getByRole("form", { name: "Edit message" }).getByRole("button", { name: "Save" }).click();
    await waitStreaming();
    await waitFinished();
    assert((await answerText()) === demoReply(edited), `answer was ${JSON.stringify(await answerText())}`);
    assert((await userMessages().count()) === 1, `the new branch shows ${await userMessages().count()} messages`);
    assert(((await userMessages().first().locator("p").textContent()) ?? "") === edited, "the edited message is not shown");
    assert((await count(userMessages().first())) === "2/2", "the message shows no versions");
    await page.screenshot({ path: path.join(SHOTS, "message-versions.png") });
    await userMessages().first().getByRole("button", { name: "Previous version of this message" }).click();
    await page.waitForFunction(() => document.querySelectorAll("article.msg.user").length === 2);
    assert(((await userMessages().first().locator("p").textContent()) ?? "") === "First question about versions", "version 1 is not the original");
    assert((await answerText()) === demoReply("Second question about versions"), "the old branch does not end at its newest answer");
  });

  await step("Copy an answer and rate it: the rating is stored (aria-pressed after a reload)", async () => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE });
    const expected = await answerText();
    await lastAnswer().getByRole("button", { name: "Copy answer" }).click();
    await lastAnswer().getByRole("button", { name: "Copy answer" }).filter({ hasText: "Copied" }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert(copied === expected, `copied ${JSON.stringify(copied)}`);
    const up = lastAnswer().getByRole("button", { name: "Good answer" });
    assert((await up.getAttribute("aria-pressed")) === "false", "a rating is shown before one was given");
    await up.click();
    await page.waitForFunction(() => [...document.querySelectorAll("article.msg.assistant")].pop()?.querySelector('[aria-label="Good answer"]')?.getAttribute("aria-pressed") === "true");
    await page.reload();
    await lastAnswer().getByRole("button", { name: "Good answer", pressed: true }).waitFor();
    await lastAnswer().getByRole("button", { name: "Bad answer" }).click();
    await lastAnswer().getByRole("button", { name: "Bad answer", pressed: true }).waitFor();
    assert((await up.getAttribute("aria-pressed")) === "false", "both ratings are pressed");
  });

  await step("How this answer was made: the trace lists the answer's step with its model and tokens", async () => {
    const button = lastAnswer().getByRole("button", { name: "How this answer was made" });
    await button.click();
    assert((await button.getAttribute("aria-expanded")) === "true", "the trace button is not expanded");
    const trace = lastAnswer().getByRole("region", { name: "How this answer was made" });
    const row = trace.locator('tr[data-type="llm"]').first();
    await row.waitFor();
    const text = (await row.textContent()) ?? "";
    assert(/demo/.test(text) && /completed/.test(text) && /\d+ in · \d+ out/.test(text), `trace row: ${JSON.stringify(text)}`);
    await page.screenshot({ path: path.join(SHOTS, "answer-trace.png") });
    await button.click();
    await trace.waitFor({ state: "detached" });
  });

  await step("search the conversations: a hit on another branch opens that branch", async () => {
    // The edit step's conversation shows its first branch now; the edited message is on the other.
    await newChat();
    const box = page.getByRole("searchbox", { name: "Search conversations" });
    await box.fill("branches");
    const results = page.getByRole("navigation", { name: "Search results" });
    const hit = results.getByRole("button").filter({ has: page.locator("mark") }).first();
    await hit.waitFor();
    const marked = (await hit.locator("mark").first().textContent()) ?? "";
    assert(/branches/i.test(marked), `the match is not marked: ${JSON.stringify(marked)}`);
    await page.screenshot({ path: path.join(SHOTS, "search.png") });
    await hit.click();
    await page.waitForFunction(() => document.querySelector("article.msg.user p")?.textContent === "Edited first question about branches");
    assert((await userMessages().count()) === 1, "the hit's branch is not the one shown");
    await box.fill("");
    await page.getByRole("navigation", { name: "Conversation list" }).waitFor();
  });

  const axe = (p, label) => expectNoSeriousViolations(p, AXE, assert, label);

  await step("share a conversation: the read-only page shows its branch (axe, light and dark); revoked, the link stops working", async () => {
    // The search step left the edited branch shown: "Edited first question about branches".
    await page.getByRole("button", { name: "Conversation settings" }).click();
    const panel = page.getByRole("region", { name: "Share and export" });
    await panel.getByRole("button", { name: "Create share link" }).click();
    const link = panel.getByRole("list", { name: "Share links" }).getByRole("link").first();
    await link.waitFor();
    const href = await link.getAttribute("href");
    assert(/\/shared\/index\.html#.+/.test(href ?? ""), `share link: ${href}`);
    await page.screenshot({ path: path.join(SHOTS, "share-panel.png") });
    const viewer = await context.newPage();
    try {
      await viewer.goto(href);
      await viewer.locator("h1", { hasText: "First question about versions" }).waitFor();
      await viewer.locator("article.msg.user p", { hasText: "Edited first question about branches" }).waitFor();
      await viewer.locator("article.msg.assistant .md").first().waitFor();
      const said = (await viewer.locator("article.msg.assistant .md").first().textContent()) ?? "";
      assert(said === demoReply("Edited first question about branches"), `shared answer: ${JSON.stringify(said)}`);
      assert((await viewer.locator("article.msg.user").count()) === 1, "the shared page shows another branch too");
      for (const scheme of ["light", "dark"]) {
        await viewer.emulateMedia({ colorScheme: scheme });
        await axe(viewer, `shared page (${scheme})`);
        await viewer.screenshot({ path: path.join(SHOTS, `shared-${scheme}.png`) });
      }
      await panel.getByRole("button", { name: "Revoke share link" }).first().click();
      await panel.getByRole("list", { name: "Share links" }).waitFor({ state: "detached" });
      await viewer.reload();
      await viewer.getByRole("alert").filter({ hasText: "no longer works" }).waitFor();
    } finally {
      await viewer.close();
    }
  });

  await step("export the conversation as Markdown and JSON (fetched with the token, then saved)", async () => {
    const panel = page.getByRole("region", { name: "Share and export" });
    let download = page.waitForEvent("download");
    await panel.getByRole("button", { name: "Export Markdown" }).click();
    let saved = await download;
    assert(saved.suggestedFilename().endsWith(".md"), `markdown saved as ${saved.suggestedFilename()}`);
    const md = fs.readFileSync(await saved.path(), "utf8");
    assert(md.includes("Edited first question about branches"), `markdown export: ${md.slice(0, 200)}`);
    download = page.waitForEvent("download");
    await panel.getByRole("button", { name: "Export JSON" }).click();
    saved = await download;
    assert(saved.suggestedFilename().endsWith(".json"), `json saved as ${saved.suggestedFilename()}`);
    const json = JSON.parse(fs.readFileSync(await saved.path(), "utf8"));
    assert(JSON.stringify(json).includes("Edited first question about branches"), "json export lacks the message");
    await page.getByRole("button", { name: "Conversation settings" }).click();
  });
}
