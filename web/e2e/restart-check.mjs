// Issue 22, item 1: an engine restart must not sign anyone out. Run in two phases around a restart
// of the engine (.ci/web-e2e does it): `before` opens the UI in a browser profile kept in DIR,
// sends a message and notes the conversation; `after` (the engine restarted on the same port, the
// page served from the same origin) opens the same profile and expects the same user with the same
// conversation, not a new empty guest.
//   GRIZZ_E2E_URL=http://127.0.0.1:PORT node e2e/restart-check.mjs before|after DIR
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { startServer } from "./serve.mjs";

const [phase, dir] = process.argv.slice(2);
const ENGINE = process.env.GRIZZ_E2E_URL;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!ENGINE || !["before", "after"].includes(phase) || !dir) {
  console.error("usage: GRIZZ_E2E_URL=… node e2e/restart-check.mjs before|after DIR");
  process.exit(2);
}
const statePath = path.join(dir, "restart-state.json");
const saved = phase === "after" ? JSON.parse(fs.readFileSync(statePath, "utf8")) : null;
// The same origin both times: the session lives in the origin's localStorage.
const { server, url: BASE } = await startServer(ENGINE, saved?.port ?? 0);
const port = Number(new URL(BASE).port);
const context = await chromium.launchPersistentContext(path.join(dir, "profile"), {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  viewport: { width: 1100, height: 760 },
});
context.setDefaultTimeout(30_000);
const page = context.pages()[0] ?? (await context.newPage());
const titles = () => page.locator("nav[aria-label='Conversation list'] .conv-title").allTextContents();
let ok = true;
try {
  await page.goto(BASE + "/");
  if (phase === "before") {
    const box = page.getByRole("textbox", { name: "Message", exact: true });
    const words = `Restart check ${Date.now()}: this conversation must outlive the engine.`;
    await box.fill(words);
    await box.press("Enter");
    await page.waitForFunction(() => {
      const a = [...document.querySelectorAll("article.msg.assistant")].pop();
      return a && a.dataset.status === "completed";
    });
    await page.locator("nav[aria-label='Conversation list'] .conv-title").first().waitFor();
    fs.writeFileSync(statePath, JSON.stringify({ port, words, titles: await titles() }));
    console.log(`✓ before the restart: ${(await titles()).length} conversation(s), one just answered`);
  } else {
    const first = page.locator("nav[aria-label='Conversation list'] .conv-title").first();
    await first.waitFor({ timeout: 15_000 }).catch(() => {});
    const now = await titles();
    const kept = saved.titles.every((t) => now.includes(t));
    if (!kept) {
      ok = false;
      console.log(`✗ after the restart the conversations are gone (signed out?): had ${JSON.stringify(saved.titles)}, now ${JSON.stringify(now)}`);
    } else {
      await page.locator("nav[aria-label='Conversation list'] .conv-title", { hasText: saved.titles[0] }).first().click();
      await page.locator("article.msg.user", { hasText: saved.words }).waitFor();
      console.log(`✓ after the restart: the same user, ${now.length} conversation(s), the message still there`);
    }
  }
} catch (e) {
  ok = false;
  console.log(`✗ restart check (${phase}): ${e.message}`);
} finally {
  await context.close().catch(() => {});
  server.closeAllConnections?.();
  server.close();
}
process.exit(ok ? 0 : 1);
