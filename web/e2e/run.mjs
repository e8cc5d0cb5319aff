// End-to-end check of the chat UI against a running engine (demo provider).
//   GRIZZ_E2E_URL=http://127.0.0.1:18400 node e2e/run.mjs
// Needs web/out (npm run build) and Debian's chromium at /usr/bin/chromium (or CHROMIUM_PATH).
// Serves web/out on the same origin as a proxy to the engine (e2e/serve.mjs), then drives it.

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServer } from "./serve.mjs";
import { clientChecks, markdownAndA11yChecks, weightCheck } from "./client-checks.mjs";
import { graphChecks } from "./graph-checks.mjs";
import { memoryChecks } from "./memory-checks.mjs";
import { liveChecks } from "./live-checks.mjs";
import { importChecks } from "./import-checks.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const SHOTS = path.join(here, "screenshots");
const ENGINE = process.env.GRIZZ_E2E_URL;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TIMEOUT = Number(process.env.GRIZZ_E2E_TIMEOUT_MS ?? 30_000);

if (!ENGINE) {
  console.error("Set GRIZZ_E2E_URL to the engine's base URL, e.g. http://127.0.0.1:18400");
  process.exit(2);
}
if (!fs.existsSync(path.join(here, "..", "out", "index.html"))) {
  console.error("web/out is missing: run `npm run build` first");
  process.exit(2);
}

// The demo provider's reply, as DemoProvider.reply(prompt) builds it.
const CLOSINGS = [
  "Streaming works: each word you see arrived as its own event.",
  "Set a provider key to talk to a real model; the engine picks it up at start-up.",
  "Every answer is stored as a step with its tokens and cost, here zero cents.",
  "You can stop an answer half-way; what was written so far is kept.",
  "The context sent to a model keeps the newest turns that fit its token budget.",
];
function javaHash(s) {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}
export function demoReply(prompt) {
  const words = prompt.trim().split(/\s+/);
  const echo = words.slice(0, 12).join(" ") + (words.length > 12 ? " …" : "");
  const n = CLOSINGS.length;
  const pick = ((javaHash(prompt) % n) + n) % n;
  return (
    `Hello! I am the demo provider: no language model was called. You wrote ${words.length}` +
    `${words.length === 1 ? " word" : " words"}, beginning with "${echo}". ` +
    `${CLOSINGS[pick]} ${CLOSINGS[(pick + 1) % n]}`
  );
}

// Watches the newest answer in the page: every text it shows while streaming must be a prefix
// of the expected reply (no doubled or lost words).
const WATCH_SCRIPT = () => {
  window.__e2e = { violations: [], samples: 0, expected: null };
  window.__e2eWatch = (expected) => {
    window.__e2e.expected = expected;
    window.__e2e.violations = [];
    window.__e2e.samples = 0;
  };
  const check = () => {
    const st = window.__e2e;
    if (!st.expected) return;
    const answers = document.querySelectorAll("article.msg.assistant");
    const last = answers[answers.length - 1];
    const md = last && last.querySelector(".md");
    if (!md) return;
    const text = md.textContent ?? "";
    st.samples++;
    if (!st.expected.startsWith(text) && st.violations.length < 20) st.violations.push(text);
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
};

const results = [];
let failures = 0;

// GRIZZ_E2E_ONLY=<regex>: run only the steps whose names match (while working on some).
const ONLY = process.env.GRIZZ_E2E_ONLY ? new RegExp(process.env.GRIZZ_E2E_ONLY) : null;

async function step(name, fn) {
  if (ONLY && !ONLY.test(name)) return;
  const started = Date.now();
  try {
    await fn();
    results.push(`PASS ${name} (${Date.now() - started} ms)`);
    console.log(`✓ ${name}`);
  } catch (e) {
    failures++;
    results.push(`FAIL ${name}: ${e?.message ?? e}`);
    console.log(`✗ ${name}\n    ${String(e?.stack ?? e).split("\n").slice(0, 4).join("\n    ")}`);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

const { server, url: BASE } = await startServer(ENGINE);
const hook = (p) => fetch(BASE + p, { method: "POST" }).then((r) => r.json().catch(() => null));
fs.mkdirSync(SHOTS, { recursive: true });
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "grizz-e2e-chromium-"));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  viewport: { width: 1100, height: 760 },
});
context.setDefaultTimeout(TIMEOUT);
await context.addInitScript(WATCH_SCRIPT);
const page = context.pages()[0] ?? (await context.newPage());
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
// Every fetch to the API carries a W3C traceparent (EventSource and WebSocket cannot set headers),
// and every one but those that create sessions/accounts carries the session's bearer token.
// (This script itself calls only the e2e server's /__e2e hooks, never the engine's API, so it needs
// no session of its own; the UI creates and keeps its anonymous session.)
const untraced = [];
let traced = 0;
const unauthorized = [];
let bearers = 0;
page.on("request", (r) => {
  const pathname = new URL(r.url()).pathname;
  if (r.resourceType() !== "fetch" || !pathname.startsWith("/api/")) return;
  if (/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(r.headers()["traceparent"] ?? "")) traced++;
  else untraced.push(`${r.method()} ${r.url()}`);
  if (/^\/api\/v1\/(sessions|accounts|shared)(\/|$)/.test(pathname)) return; // shared: a page for anyone
  if (/^Bearer \S+$/.test(r.headers()["authorization"] ?? "")) bearers++;
  else unauthorized.push(`${r.method()} ${r.url()}`);
});

const lastAnswer = () => page.locator("article.msg.assistant").last();
const conn = () => page.locator(".conn");

async function newChat() {
  await page.getByRole("button", { name: "+ New chat" }).click();
  await page.locator("h1.title", { hasText: "New chat" }).waitFor();
}

async function send(prompt) {
  const expected = demoReply(prompt);
  await page.evaluate((e) => window.__e2eWatch(e), expected);
  const box = page.getByRole("textbox", { name: "Message", exact: true });
  await box.fill(prompt);
  await box.press("Enter");
  return expected;
}

async function waitStreaming() {
  // some text is visible and the answer is still running
  await page.waitForFunction(() => {
    const a = [...document.querySelectorAll("article.msg.assistant")].pop();
    return a && a.dataset.status === "running" && (a.querySelector(".md")?.textContent ?? "").length > 5;
  });
}

async function waitFinished(status = "completed") {
  await page.waitForFunction((s) => {
    const a = [...document.querySelectorAll("article.msg.assistant")].pop();
    return a && a.dataset.status === s;
  }, status);
}

async function answerText() {
  return (await lastAnswer().locator(".md").textContent()) ?? "";
}

async function checkNoViolations() {
  const st = await page.evaluate(() => window.__e2e);
  assert(st.violations.length === 0, `streamed text diverged from the reply: ${JSON.stringify(st.violations.slice(0, 3))}`);
  assert(st.samples > 0, "no streamed text was observed");
}

async function connState() {
  return {
    state: await conn().getAttribute("data-state"),
    transport: await conn().getAttribute("data-transport"),
  };
}

try {
  await page.goto(BASE + "/");

  await step("send a message and see the streamed answer complete (WebSocket)", async () => {
    const expected = await send("Hello Grizz, please explain streaming");
    await waitStreaming();
    const c = await connState();
    assert(c.state === "live" && c.transport === "ws", `expected live over ws, got ${JSON.stringify(c)}`);
    await waitFinished();
    assert((await answerText()) === expected, `answer was ${JSON.stringify(await answerText())}`);
    await checkNoViolations();
    await page.locator("article.msg.assistant .usage").last().waitFor();
    const usage = await page.locator("article.msg.assistant .usage").last().textContent();
    assert(/\d+ in · \d+ out tokens/.test(usage ?? ""), `usage line missing: ${usage}`);
    await page.screenshot({ path: path.join(SHOTS, "finished-answer.png") });
    await page.setViewportSize({ width: 390, height: 780 });
    await page.waitForTimeout(400); // the sidebar slides away at phone width
    await page.screenshot({ path: path.join(SHOTS, "finished-answer-phone.png") });
    await page.setViewportSize({ width: 1100, height: 760 });
  });

  await step("cut the WebSocket mid-answer: it resumes and completes with no duplicated text", async () => {
    await newChat();
    const expected = await send("Cut the socket while you are answering this one");
    await waitStreaming();
    const cut = await hook("/__e2e/cut-ws");
    assert(cut && cut.cut >= 1, `no socket to cut: ${JSON.stringify(cut)}`);
    await page.waitForFunction(() => document.querySelector(".conn")?.getAttribute("data-state") !== "live", null, {
      timeout: 5000,
    }).catch(() => {}); // reconnection may be quicker than this check
    await waitFinished();
    assert((await answerText()) === expected, `answer was ${JSON.stringify(await answerText())}`);
    await checkNoViolations();
    await page.waitForFunction(() => document.querySelector(".conn")?.getAttribute("data-state") === "live");
  });

  await step("Stop while streaming cancels the answer and keeps the partial text", async () => {
    await newChat();
    const expected = await send("Please stop me half way through this answer");
    await waitStreaming();
    await page.getByRole("button", { name: /Stop/ }).click();
    await waitFinished("cancelled");
    const text = await answerText();
    assert(text.length > 0 && text.length < expected.length && expected.startsWith(text), `partial text was ${JSON.stringify(text)}`);
    await page.getByText("Stopped.").last().waitFor();
  });

  await step("reload mid-answer: the answer finishes after the reload", async () => {
    await newChat();
    const expected = await send("Reload the page in the middle of this reply please");
    await waitStreaming();
    await page.reload();
    await page.evaluate((e) => window.__e2eWatch(e), expected);
    await waitFinished();
    assert((await answerText()) === expected, `answer was ${JSON.stringify(await answerText())}`);
    await checkNoViolations();
  });

  await step("WebSocket refused: falls back to SSE and still streams an answer", async () => {
    await hook("/__e2e/block-ws?on=1");
    try {
      await page.goto(BASE + "/");
      await newChat();
      const expected = await send("Fallback to server sent events now");
      await waitStreaming();
      const c = await connState();
      assert(c.state === "fallback" && c.transport === "sse", `expected SSE fallback, got ${JSON.stringify(c)}`);
      await waitFinished();
      assert((await answerText()) === expected, `answer was ${JSON.stringify(await answerText())}`);
      await checkNoViolations();
      await page.screenshot({ path: path.join(SHOTS, "sse-fallback.png") });
    } finally {
      await hook("/__e2e/block-ws?on=0");
    }
  });

  await step("?transport=poll: long-poll streams an answer", async () => {
    await page.goto(BASE + "/?transport=poll");
    await newChat();
    const expected = await send("Long poll is the last resort");
    await waitStreaming();
    const c = await connState();
    assert(c.state === "fallback" && c.transport === "poll", `expected long-poll, got ${JSON.stringify(c)}`);
    await waitFinished();
    assert((await answerText()) === expected, `answer was ${JSON.stringify(await answerText())}`);
    await checkNoViolations();
  });

  await step("reload keeps the same anonymous user and the same conversations", async () => {
    await page.goto(BASE + "/");
    const titles = () => page.locator(".conv-list .conv-title").allTextContents();
    await page.locator(".conv-list .conv-title").first().waitFor();
    const session = () => page.evaluate(() => JSON.parse(localStorage.getItem("grizz.session") ?? "null"));
    const before = await session();
    assert(before?.user?.id && before.user.kind === "anonymous", `no anonymous session stored: ${JSON.stringify(before?.user)}`);
    const listBefore = await titles();
    assert(listBefore.length >= 5, `expected the conversations of the earlier steps, got ${JSON.stringify(listBefore)}`);
    assert((await page.locator(".account-who").textContent()) === "Guest", "account area does not say Guest");
    await page.reload();
    await page.waitForFunction(
      (n) => document.querySelectorAll(".conv-list .conv-title").length === n,
      listBefore.length,
    );
    const listAfter = await titles();
    assert(JSON.stringify(listAfter) === JSON.stringify(listBefore), `list changed: ${JSON.stringify({ listBefore, listAfter })}`);
    const after = await session();
    assert(after?.user?.id === before.user.id, `user changed: ${before.user.id} → ${after?.user?.id}`);
  });

  await step("a conversation's settings are saved with it and cap its answers", async () => {
    await newChat();
    await send("Settings check, first message");
    await waitFinished();
    await page.getByRole("button", { name: "Conversation settings" }).click();
    await page.getByLabel("System prompt").fill("Be very brief.");
    await page.getByLabel("Max tokens").fill("3");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("form", { name: "Conversation settings" }).waitFor({ state: "detached" });
    const before = await page.locator("article.msg.assistant").count();
    const expected = await send("Now a second message please");
    await page.waitForFunction((n) => {
      const all = document.querySelectorAll("article.msg.assistant");
      return all.length > n && all[all.length - 1].dataset.status === "completed";
    }, before);
    const text = await answerText();
    assert(text.length > 0 && text.length < expected.length && expected.startsWith(text),
      `expected a cut answer, got ${JSON.stringify(text)}`);
    await page.getByRole("button", { name: "Conversation settings" }).click();
    assert((await page.getByLabel("Max tokens").inputValue()) === "3", "max tokens not kept");
    assert((await page.getByLabel("System prompt").inputValue()) === "Be very brief.", "system prompt not kept");
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
  });

  await step("an attached image is sent with the message, shown with it and reaches the model", async () => {
    await newChat();
    const pixel = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
      "base64",
    );
    await page.getByLabel("Files", { exact: true }).setInputFiles({ name: "pixel.png", mimeType: "image/png", buffer: pixel });
    await page.getByAltText("Attached image 1").waitFor();
    const prompt = "What is in this picture";
    const expected = demoReply(prompt) + " You sent 1 image.";
    await page.evaluate((e) => window.__e2eWatch(e), expected);
    const box = page.getByRole("textbox", { name: "Message", exact: true });
    await box.fill(prompt);
    await box.press("Enter");
    await waitFinished();
    assert((await answerText()) === expected, `answer was ${JSON.stringify(await answerText())}`);
    await page.getByAltText("Image 1 you sent").waitFor();
    const src = await page.getByAltText("Image 1 you sent").getAttribute("src");
    assert(src?.startsWith("data:image/png;base64,"), `the sent image is not shown: ${src?.slice(0, 40)}`);
  });

  // Tool calls: the e2e engine runs with GRIZZ_TOOLS_REQUIRE_APPROVAL=current_time, so each of
  // the demo's time lookups waits on its card for Approve or Deny.
  const ask = async (prompt) => {
    await page.evaluate(() => window.__e2eWatch(null));
    const box = page.getByRole("textbox", { name: "Message", exact: true });
    await box.fill(prompt);
    await box.press("Enter");
  };
  const timeCard = (status) => lastAnswer().locator(`.tool-card[data-tool="current_time"][data-status="${status}"]`);

  await step("a tool call is a card inside the answer: approve it, the result and the answer follow", async () => {
    await newChat();
    await ask("What time is it in Tokyo?");
    await timeCard("waiting").waitFor();
    // The calling step has finished but the turn has not: the answer still runs and can be stopped.
    assert((await lastAnswer().getAttribute("data-status")) === "running", "the answer does not run while the call waits");
    await page.getByRole("button", { name: /Stop/ }).waitFor();
    await page.getByText(/\d+:\d\d left/).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "tool-approval.png") });
    await timeCard("waiting").getByRole("button", { name: "Approve" }).click();
    await timeCard("ok").waitFor();
    await waitFinished();
    const text = await lastAnswer().locator(".md").last().textContent();
    assert(/^In Asia\/Tokyo it is \d\d:\d\d on \w+day, \d{4}-\d\d-\d\d\.$/.test(text ?? ""), `answer was ${JSON.stringify(text)}`);
    assert((await page.locator("article.msg.assistant").count()) === 1, "the turn's steps are not one answer");
    await timeCard("ok").locator("summary").click();
    await timeCard("ok").locator(".tool-args").waitFor();
    const args = await timeCard("ok").locator(".tool-args").textContent();
    const result = await timeCard("ok").locator(".tool-result").textContent();
    assert(args.includes('"timezone": "Asia/Tokyo"'), `arguments shown: ${args}`);
    assert(/"datetime": "\d{4}-/.test(result ?? ""), `result shown: ${result}`);
    await page.screenshot({ path: path.join(SHOTS, "tool-card.png") });
    // From the stored conversation after a reload: the same single answer with its card.
    await page.reload();
    await timeCard("ok").waitFor();
    assert((await page.locator("article.msg.assistant").count()) === 1, "after a reload the turn is not one answer");
    assert(/^In Asia\/Tokyo it is/.test((await lastAnswer().locator(".md").last().textContent()) ?? ""), "stored answer text missing");
  });

  await step("deny a tool call: the card says denied and the answer goes on", async () => {
    await ask("What time is it in Paris?");
    await timeCard("waiting").waitFor();
    await timeCard("waiting").getByRole("button", { name: "Deny" }).click();
    await timeCard("denied").waitFor();
    await waitFinished();
    const text = await lastAnswer().locator(".md").last().textContent();
    assert(text === "The tool current_time answered: The user denied this call.", `answer was ${JSON.stringify(text)}`);
    assert((await timeCard("denied").locator(".tool-state").textContent()) === "Denied", "card does not say Denied");
  });

  await step("Stop while a call waits for approval ends the whole turn", async () => {
    await ask("What time is it in London?");
    await timeCard("waiting").waitFor();
    await page.getByRole("button", { name: /Stop/ }).click();
    await timeCard("cancelled").waitFor();
    await page.waitForFunction(() => [...document.querySelectorAll("article.msg.assistant")].pop()?.dataset.status !== "running");
    await lastAnswer().getByText("Stopped.").waitFor();
    assert(await page.getByRole("textbox", { name: "Message", exact: true }).isEnabled(), "the composer stays disabled");
  });

  // The code interpreter (bubblewrap on this machine): a CSV attached in the composer is in
  // /mnt/data, the chart the code saves there is shown in the card, and the session keeps its
  // variables for the next call.
  const codeCard = (status) => lastAnswer().locator(`.tool-card[data-tool="code_interpreter"][data-status="${status}"]`);
  const chartShown = () =>
    page.waitForFunction(() => {
      const img = [...document.querySelectorAll('.tool-card[data-tool="code_interpreter"] img')].find(
        (i) => i.getAttribute("alt") === "chart.png",
      );
      return !!img && img.complete && img.naturalWidth > 0 && img.getAttribute("src")?.startsWith("blob:");
    });

  await step("attach a CSV, chart it with code: the PNG shows in the card; a second block uses the first's variables", async () => {
    await newChat();
    const csv = "month,sales\nJan,120\nFeb,135\nMar,160\nApr,150\n";
    await page.getByLabel("Files", { exact: true }).setInputFiles({
      name: "sales.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });
    // Attached before the first message: the conversation is made to hold it.
    const chip = page.locator('.file-chip[data-state="done"]', { hasText: "sales.csv" });
    await chip.waitFor();
    assert(((await chip.textContent()) ?? "").includes(`${csv.length} B`), `chip shows no size: ${await chip.textContent()}`);
    assert(new URL(page.url()).searchParams.get("c"), "no conversation was made for the file");
    // Over the engine's 16 MiB upload limit: the chip says so plainly.
    await page.getByLabel("Files", { exact: true }).setInputFiles({
      name: "big.bin",
      mimeType: "application/octet-stream",
      buffer: Buffer.alloc(17 * 1024 * 1024),
    });
    const failed = page.locator('.file-chip[data-state="failed"]', { hasText: "big.bin" });
    await failed.waitFor();
    const why = (await failed.getByRole("alert").textContent()) ?? "";
    assert(why === "file too large (max 16 MiB)", `a too large file's chip says ${JSON.stringify(why)}`);
    await page.screenshot({ path: path.join(SHOTS, "code-attached.png") });
    await page.getByRole("button", { name: "Remove big.bin" }).click();
    await failed.waitFor({ state: "detached" });
    const first = [
      "Please chart the sales.",
      "```python",
      "import pandas as pd",
      "import matplotlib",
      'matplotlib.use("Agg")',
      "import matplotlib.pyplot as plt",
      'df = pd.read_csv("/mnt/data/sales.csv")',
      "print(df.shape)",
      'ax = df.plot(x="month", y="sales", kind="bar", legend=False, color="#2f6fed")',
      'ax.set_title("Sales by month")',
      'plt.savefig("/mnt/data/chart.png", dpi=80)',
      "plt.close()",
      "```",
    ].join("\n");
    await ask(first);
    await chip.waitFor({ state: "detached" }); // sent: the chips are cleared
    await codeCard("ok").waitFor({ timeout: 90_000 });
    await chartShown();
    await waitFinished();
    const said = (await lastAnswer().locator(".md").last().textContent()) ?? "";
    assert(said.startsWith("The tool code_interpreter answered:") && said.includes("(4, 2)"), `answer was ${JSON.stringify(said)}`);
    await page.locator("h1.title", { hasText: "Please chart the sales." }).waitFor();
    await codeCard("ok").evaluate((el) => el.scrollIntoView({ block: "start" }));
    await page.screenshot({ path: path.join(SHOTS, "code-chart.png") });

    const before = await page.locator("article.msg.assistant").count();
    await ask(["And the total?", "```python", 'print("rows", len(df), "total", int(df["sales"].sum()))', "```"].join("\n"));
    await page.waitForFunction((n) => {
      const all = document.querySelectorAll("article.msg.assistant");
      return all.length > n && all[all.length - 1].dataset.status === "completed";
    }, before, { timeout: 90_000 });
    const second = (await lastAnswer().locator(".md").last().textContent()) ?? "";
    assert(second.includes("rows 4 total 565"), `the session did not keep df: ${JSON.stringify(second)}`);
    await codeCard("ok").locator("summary").click();
    const result = (await codeCard("ok").locator(".tool-result").textContent()) ?? "";
    assert(result.includes("rows 4 total 565"), `result shown: ${result}`);
    await codeCard("ok").locator(".tool-result").evaluate((el) => el.scrollIntoView({ block: "end" }));
    await page.screenshot({ path: path.join(SHOTS, "code-followup.png") });

    // After a reload, the chart comes back from the stored tool step.
    await page.reload();
    await chartShown();
    assert((await page.locator('img[alt="chart.png"]').count()) === 1, "the chart is not shown once after a reload");
    // The conversation's files, under its settings: the upload and the chart the code wrote.
    await page.getByRole("button", { name: "Conversation settings" }).click();
    const files = page.getByRole("region", { name: "Conversation files" });
    await files.locator('tr[data-origin="sandbox"]', { hasText: "chart.png" }).waitFor();
    await files.locator('tr[data-origin="upload"]', { hasText: "sales.csv" }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, "code-files.png") });
    const download = page.waitForEvent("download");
    await files.getByRole("link", { name: /sales\.csv/ }).click();
    const saved = await download;
    assert(saved.suggestedFilename() === "sales.csv", `downloaded as ${saved.suggestedFilename()}`);
    const bytes = fs.readFileSync(await saved.path(), "utf8");
    assert(bytes === csv, `downloaded ${JSON.stringify(bytes)}`);
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
  });

  await step("a running code call shows its output live in the card, then the result", async () => {
    const before = await page.locator("article.msg.assistant").count();
    await ask(
      [
        "Count slowly.",
        "```python",
        "import sys, time",
        // Each piece comes past the engine's 100 ms joining window, so that it is sent at once.
        "time.sleep(0.3)",
        'print("careful", file=sys.stderr, flush=True)',
        "time.sleep(0.3)",
        'print("tick 0", flush=True)',
        "time.sleep(2.5)",
        'print("tick 1", flush=True)',
        "```",
      ].join("\n"),
    );
    // While it runs: the first line is in the card's output, outside the collapsed details.
    const running = lastAnswer().locator('.tool-card[data-tool="code_interpreter"][data-status="running"]');
    await running.locator("pre.tool-output", { hasText: "tick 0" }).waitFor({ timeout: 60_000 });
    await running.locator("pre.tool-output .tool-stderr", { hasText: "careful" }).waitFor();
    const live = (await running.locator("pre.tool-output").textContent()) ?? "";
    assert(!live.includes("tick 1"), `output ran ahead of the code: ${JSON.stringify(live)}`);
    await running.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "code-live-output.png") });
    await page.waitForFunction((n) => {
      const all = document.querySelectorAll("article.msg.assistant");
      return all.length > n && all[all.length - 1].dataset.status === "completed";
    }, before, { timeout: 60_000 });
    assert((await lastAnswer().locator("pre.tool-output").count()) === 0, "live output stayed after the result");
    const said = (await lastAnswer().locator(".md").last().textContent()) ?? "";
    assert(said.includes("tick 0") && said.includes("tick 1"), `answer was ${JSON.stringify(said)}`);
  });

  await step("with every tool unticked in the settings, asking the time gives an answer without a card", async () => {
    await newChat();
    await send("Tools check, first message");
    await waitFinished();
    await page.getByRole("button", { name: "Conversation settings" }).click();
    const boxes = page.getByRole("form", { name: "Conversation settings" }).getByRole("checkbox");
    const n = await boxes.count();
    assert(n >= 2, `expected the engine's tools as boxes, got ${n}`);
    for (let i = 0; i < n; i++) await boxes.nth(i).uncheck();
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByRole("form", { name: "Conversation settings" }).waitFor({ state: "detached" });
    const before = await page.locator("article.msg.assistant").count();
    const prompt = "What time is it in Tokyo?";
    const expected = await send(prompt);
    await page.waitForFunction((k) => {
      const all = document.querySelectorAll("article.msg.assistant");
      return all.length > k && all[all.length - 1].dataset.status === "completed";
    }, before);
    assert((await answerText()) === expected, `answer was ${JSON.stringify(await answerText())}`);
    assert((await lastAnswer().locator(".tool-card").count()) === 0, "a tool card was shown");
    await page.getByRole("button", { name: "Conversation settings" }).click();
    for (let i = 0; i < n; i++) assert(!(await boxes.nth(i).isChecked()), "tool toggles not kept");
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
  });

  await graphChecks({ page, context, step, assert, BASE, SHOTS, path, send, newChat, waitStreaming, waitFinished, demoReply, fs, AXE: path.join(here, "..", "node_modules", "axe-core", "axe.min.js") });
  await weightCheck({ context, step, assert, ENGINE });
  await clientChecks({ page, step, assert, SHOTS, BASE, send, waitStreaming, waitFinished, newChat, demoReply, hook });
  const AXE = path.join(here, "..", "node_modules", "axe-core", "axe.min.js");
  await markdownAndA11yChecks({ page, step, assert, SHOTS, BASE, newChat, waitFinished, AXE });
  await memoryChecks({ page, step, assert, SHOTS, newChat, waitFinished, AXE });
  // After the memory checks: the answers use the memory kept there, so its note is checked too.
  await liveChecks({ page, step, assert, send, newChat, waitStreaming, waitFinished, demoReply });
  await importChecks({ page, step, assert, SHOTS, newChat, AXE });

  await step("no uncaught errors in the page", async () => {
    assert(pageErrors.length === 0, pageErrors.join("\n"));
  });

  await step("every API fetch sent a traceparent header", async () => {
    assert(traced > 0, "no API fetch was seen");
    assert(untraced.length === 0, `without traceparent: ${untraced.slice(0, 5).join(", ")}`);
  });

  await step("every API fetch (but sessions/accounts) sent the bearer token", async () => {
    assert(bearers > 0, "no authenticated API fetch was seen");
    assert(unauthorized.length === 0, `without a bearer: ${unauthorized.slice(0, 5).join(", ")}`);
  });
} finally {
  await context.close().catch(() => {});
  server.closeAllConnections?.();
  server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

console.log("\n" + results.join("\n"));
const passed = results.length - failures;
console.log(`\n${passed} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
