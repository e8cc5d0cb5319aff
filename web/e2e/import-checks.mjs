// Browser check of the ChatGPT import (issue 22): the sidebar's "Import from ChatGPT" uploads an
// export's conversations.json, lists the conversations made and what was left out, and each opens
// with its branches as versions; a file that is not an export is refused in plain words.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expectNoSeriousViolations } from "./axe.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
/** The export the engine's ChatGptImportIT imports: branches, a system node, a tool run, an image part. */
const EXPORT = path.join(here, "..", "..", "engine", "src", "test", "resources", "imports", "chatgpt-conversations.json");

export async function importChecks({ page, step, assert, SHOTS, newChat, AXE }) {
  const panel = () => page.getByRole("region", { name: "Import from ChatGPT" });
  const answers = () => page.locator("article.msg.assistant");
  const axe = (label) => expectNoSeriousViolations(page, AXE, assert, label);

  await step("import from ChatGPT: the export's conversations are listed with what was left out, and open with their branches", async () => {
    await page.setViewportSize({ width: 1100, height: 900 });
    await newChat();
    await page.getByRole("button", { name: "Import from ChatGPT" }).click();
    const file = panel().getByLabel("ChatGPT export (conversations.json)");

    // Not an export: refused, nothing imported.
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "grizz-import-")), "conversations.json");
    fs.writeFileSync(bad, '[{"title": "cut off');
    await file.setInputFiles(bad);
    await panel().getByRole("alert").getByText(/not a ChatGPT export’s conversations.json/).waitFor();

    await file.setInputFiles(EXPORT);
    const list = panel().getByRole("list", { name: "Imported conversations" });
    await list.getByRole("button", { name: "Trip to Lisbon" }).waitFor();
    assert((await list.getByRole("listitem").count()) === 2, `listed: ${await list.textContent()}`);
    const left = (await panel().locator(".import-skipped").textContent()) ?? "";
    for (const words of ["2 system messages", "1 tool message", "1 image or file sent in a message", "1 conversation with nothing left"]) {
      assert(left.includes(words), `left out says ${JSON.stringify(left)}, not ${words}`);
    }
    await page.screenshot({ path: path.join(SHOTS, "import-panel.png") });
    await axe("import panel");
    // The sidebar lists them by their own last activity (2023 here), so below this run's newer
    // conversations: not looked for there.

    await list.getByRole("button", { name: "Trip to Lisbon" }).click();
    await page.locator("h1.title", { hasText: "Trip to Lisbon" }).waitFor();
    // The shown branch is the export's current one: the regenerated answer, then "And food?".
    await page.waitForFunction(() => document.querySelectorAll("article.msg.assistant").length === 2);
    const texts = async () => (await answers().locator(".md").allTextContents()).map((t) => t.trim());
    assert(JSON.stringify(await texts()) === JSON.stringify(["Try the trams and Sintra.", "Pastéis de nata, warm."]), `answers: ${JSON.stringify(await texts())}`);
    assert((await answers().first().locator(".version-count").textContent()) === "2/2", "the regenerated answer shows no versions");
    await answers().first().getByRole("button", { name: "Previous version of this answer" }).click();
    await page.waitForFunction(() => document.querySelector("article.msg.assistant .version-count")?.textContent === "1/2");
    await page.waitForFunction(() => [...document.querySelectorAll("article.msg.assistant .md")].map((m) => m.textContent?.trim()).join("|") === "Belém Tower and Alfama.|That is the Jerónimos Monastery.");
    const users = (await page.locator("article.msg.user p").allTextContents()).map((t) => t.trim());
    assert(users.includes("What is this building?"), `user messages: ${JSON.stringify(users)}`);
    await page.getByRole("button", { name: "Close import" }).click();
  });
}
