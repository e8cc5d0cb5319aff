// Browser checks of the chat UI users expect (issue 22's client items): scrolling while an answer
// streams, keeping a refused message, the theme, the phone layout, the model shown while streaming.
// Called from run.mjs with its page and helpers.

import path from "node:path";
import { expectNoSeriousViolations } from "./axe.mjs";

export async function clientChecks(t) {
  const { page, step, assert, SHOTS, send, waitStreaming, waitFinished, newChat, demoReply } = t;
  const box = () => page.getByRole("textbox", { name: "Message", exact: true });
  const thread = () => page.locator("section.thread");

  await step("focus is in the message box on load", async () => {
    await page.goto(t.BASE + "/");
    await page.waitForFunction(() => document.activeElement?.id === "message");
  });

  await step("Enter → first token painted: measured and printed (p50 of 7, demo provider)", async () => {
    await newChat();
    await send("Latency warm-up message");
    await waitFinished();
    await page.evaluate(() => {
      document.querySelector("#message").addEventListener(
        "keydown",
        (e) => {
          if (e.key === "Enter" && !e.shiftKey) window.__t0 = performance.now();
        },
        true,
      );
      // Resolves once a new answer shows text, after the frame that paints it.
      window.__firstToken = (before) =>
        new Promise((resolve) => {
          const seen = () => {
            const all = document.querySelectorAll("article.msg.assistant");
            return all.length > before && (all[all.length - 1].querySelector(".md")?.textContent ?? "").length > 0;
          };
          const done = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - window.__t0), 0));
          const mo = new MutationObserver(() => {
            if (seen()) {
              mo.disconnect();
              done();
            }
          });
          mo.observe(document.body, { subtree: true, childList: true, characterData: true });
        });
    });
    const samples = [];
    for (let i = 0; i < 7; i++) {
      const before = await page.locator("article.msg.assistant").count();
      await page.evaluate(() => window.__e2eWatch(null));
      await box().fill(`Latency sample number ${i}`);
      const measured = page.evaluate((b) => window.__firstToken(b), before);
      await box().press("Enter");
      samples.push(await measured);
      await page.getByRole("button", { name: /Stop/ }).click();
      await page.waitForFunction(() => [...document.querySelectorAll("article.msg.assistant")].pop()?.dataset.status !== "running");
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const p50 = sorted[Math.floor(sorted.length / 2)];
    console.log(`    Enter → first token painted: p50 ${p50.toFixed(0)} ms (target ≤ 100), samples ${samples.map((x) => x.toFixed(0)).join(", ")} ms`);
  });

  await step("scrolled up while an answer streams, the view stays put and 'Jump to latest' brings it back", async () => {
    await page.setViewportSize({ width: 1100, height: 420 });
    try {
      await newChat();
      const lines = Array.from({ length: 14 }, (_, i) => `line ${i + 1} of a tall message`).join("\n");
      await send(`Scroll test please\n${lines}`);
      await waitStreaming();
      const overflow = await thread().evaluate((el) => el.scrollHeight - el.clientHeight);
      assert(overflow > 150, `the thread does not overflow (${overflow} px)`);
      await thread().hover();
      await page.mouse.wheel(0, -2000);
      await page.waitForFunction(() => document.querySelector("section.thread").scrollTop < 20);
      // Text keeps arriving; the reader stays where they scrolled.
      const before = await page.locator("article.msg.assistant .md").last().textContent();
      await page.waitForFunction(
        (b) => (document.querySelector("article.msg.assistant:last-of-type .md, article.msg.assistant .md")?.textContent ?? "") !== b ||
          [...document.querySelectorAll("article.msg.assistant .md")].pop()?.textContent !== b,
        before,
      );
      await page.waitForTimeout(600);
      const top = await thread().evaluate((el) => el.scrollTop);
      assert(top < 20, `pulled back down while streaming (scrollTop ${top})`);
      const jump = page.getByRole("button", { name: /Jump to latest/ });
      await jump.waitFor();
      await page.screenshot({ path: path.join(SHOTS, "jump-to-latest.png") });
      await jump.click();
      await page.waitForFunction(() => {
        const el = document.querySelector("section.thread");
        return el.scrollHeight - el.scrollTop - el.clientHeight < 50;
      });
      await jump.waitFor({ state: "detached" });
      // Back at the bottom, it follows the text again.
      await waitFinished();
      const gap = await thread().evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
      assert(gap < 50, `not at the bottom after the answer finished (${gap} px above)`);
    } finally {
      await page.setViewportSize({ width: 1100, height: 760 });
    }
  });

  // step.started names the model asked for ("auto" by default); the router's pick comes in a
  // step.model event before the first token. While the answer streams its meta names that model,
  // never "auto"; done, it still does.
  await step("the streaming answer names its routed model, never 'auto'", async () => {
    await newChat();
    await send("Which model writes this answer");
    await waitStreaming();
    const meta = page.locator("article.msg.assistant").last().locator(".meta");
    const seen = [];
    while ((await page.locator("article.msg.assistant").last().getAttribute("data-status")) === "running") {
      seen.push(((await meta.textContent()) ?? "").trim());
      await page.waitForTimeout(100);
    }
    assert(seen.length > 0 && seen.every((m) => !/\bauto\b/.test(m)), `while streaming the meta showed ${JSON.stringify(seen.filter(Boolean).slice(0, 3))}`);
    assert(seen.some((m) => /\bdemo\//.test(m)), `while streaming the meta never named the model: ${JSON.stringify(seen.slice(0, 3))}`);
    await waitFinished();
    const done = ((await meta.textContent()) ?? "").trim();
    assert(/^demo\//.test(done), `done, the model shows as ${JSON.stringify(done)}`);
  });

  await step("a refused message stays in the box (429 with a countdown, network error) and across a reload", async () => {
    await newChat();
    await send("Draft check, first message");
    await waitFinished();
    const conv = new URL(page.url()).searchParams.get("c");
    // 429: the engine says how long to wait.
    await page.route("**/api/v1/conversations/*/messages", (route) =>
      route.fulfill({
        status: 429,
        contentType: "application/json",
        headers: { "Retry-After": "4" },
        body: JSON.stringify({ error: { code: "rate_limited", message: "Too many messages.", details: { retry_after_seconds: 4 } } }),
      }),
    );
    await box().fill("Please keep this draft");
    await box().press("Enter");
    const banner = page.getByRole("alert").filter({ hasText: "too quickly" });
    await banner.waitFor();
    assert((await box().inputValue()) === "Please keep this draft", `the box holds ${JSON.stringify(await box().inputValue())}`);
    const first = Number((/(\d+) s/.exec((await banner.textContent()) ?? "") ?? [])[1]);
    assert(first >= 3 && first <= 4, `countdown starts at ${first}`);
    await page.getByRole("button", { name: /^Wait \d s$/ }).waitFor();
    await page.waitForFunction((n) => {
      const m = /(\d+) s/.exec(document.querySelector(".banner")?.textContent ?? "");
      return m && Number(m[1]) < n;
    }, first);
    await page.screenshot({ path: path.join(SHOTS, "rate-limited.png") });
    await banner.waitFor({ state: "detached", timeout: 8000 });
    // A network error: still kept.
    await page.unroute("**/api/v1/conversations/*/messages");
    await page.route("**/api/v1/conversations/*/messages", (route) => route.abort("connectionrefused"));
    await box().press("Enter");
    await page.getByRole("alert").filter({ hasText: "could not be reached" }).waitFor();
    assert((await box().inputValue()) === "Please keep this draft", "a network error lost the draft");
    await page.unroute("**/api/v1/conversations/*/messages");
    // A reload: the draft of this conversation comes back; a new chat has its own (empty) one.
    await page.reload();
    await page.waitForFunction(() => document.querySelector("#message")?.value === "Please keep this draft");
    await newChat();
    assert((await box().inputValue()) === "", "a new chat shows another conversation's draft");
    await page.goto(`${t.BASE}/?c=${conv}`);
    await page.waitForFunction(() => document.querySelector("#message")?.value === "Please keep this draft");
    // Sent and accepted: forgotten.
    await page.evaluate((e) => window.__e2eWatch(e), demoReply("Please keep this draft"));
    await box().press("Enter");
    await waitStreaming();
    await waitFinished();
    await page.reload();
    await page.locator("article.msg.assistant").first().waitFor();
    assert((await box().inputValue()) === "", "the sent draft came back after a reload");
  });

  await step("text typed before a file is attached stays in the box when the file makes the conversation", async () => {
    await newChat();
    await box().fill("Please sum the numbers in this file");
    await page.getByLabel("Files", { exact: true }).setInputFiles({ name: "n.csv", mimeType: "text/csv", buffer: Buffer.from("n\n1\n2\n") });
    await page.locator('.file-chip[data-state="done"]', { hasText: "n.csv" }).waitFor();
    assert(new URL(page.url()).searchParams.get("c"), "no conversation was made for the file");
    assert((await box().inputValue()) === "Please sum the numbers in this file", `the box holds ${JSON.stringify(await box().inputValue())}`);
    await box().fill("");
  });

  await step("the length limit shows as a counter near it and Send refuses past it", async () => {
    await box().fill("a".repeat(30_000));
    const counter = page.locator("#message-length");
    await counter.waitFor();
    assert(((await counter.textContent()) ?? "").includes("30,000 / 32,768 bytes"), `counter says ${await counter.textContent()}`);
    await box().fill("a".repeat(33_000));
    await page.getByText("232 bytes over the limit of 32,768").waitFor();
    assert(await page.getByRole("button", { name: "Send" }).isDisabled(), "Send is enabled past the limit");
    await box().fill("");
    await counter.waitFor({ state: "detached" });
  });

  const bg = () => page.evaluate(() => getComputedStyle(document.querySelector(".main")).backgroundColor);
  const dark = (c) => {
    const [r, g, b] = (c.match(/\d+/g) ?? []).map(Number);
    return r + g + b < 200;
  };

  await step("engine outage: a plain notice with Retry now, Stop queued and sent on recovery, reconnect within seconds", async () => {
    await newChat();
    await page.evaluate(() => window.__e2eWatch(null));
    await box().fill("What time is it in London?");
    await box().press("Enter");
    const card = (s) => page.locator("article.msg.assistant").last().locator(`.tool-card[data-tool="current_time"][data-status="${s}"]`);
    await card("waiting").waitFor();
    const notice = page.locator(".outage");
    await t.hook("/__e2e/outage?on=1");
    let restored = false;
    try {
      await notice.waitFor({ timeout: 8000 });
      assert(((await notice.textContent()) ?? "").includes("can’t be reached"), `notice says ${await notice.textContent()}`);
      await page.getByRole("button", { name: /Stop/ }).click();
      await page.getByRole("button", { name: "■ Stop queued" }).waitFor();
      await page.getByRole("button", { name: "Retry now" }).click();
      await page.waitForTimeout(800);
      assert(await notice.isVisible(), "the notice went away while the engine was still down");
      assert(((await card("waiting").count()) === 1), "the call stopped waiting while the engine was down");
      await page.screenshot({ path: path.join(SHOTS, "outage.png") });
      await page.waitForTimeout(4000); // long enough for the stream's own back-off to grow
      await t.hook("/__e2e/outage?on=0");
      restored = true;
      const back = Date.now();
      await page.waitForFunction(() => ["live", "fallback"].includes(document.querySelector(".conn")?.dataset.state ?? ""), null, {
        timeout: 15_000,
      });
      const took = Date.now() - back;
      console.log(`    reconnected ${took} ms after the engine answered again`);
      assert(took <= 5000, `reconnected only ${took} ms after the engine was back`);
      await notice.waitFor({ state: "detached" });
      // The queued Stop was sent: the call is cancelled and the turn ends.
      await card("cancelled").waitFor({ timeout: 10_000 });
      await page.waitForFunction(() => [...document.querySelectorAll("article.msg.assistant")].pop()?.dataset.status !== "running");
    } finally {
      if (!restored) await t.hook("/__e2e/outage?on=0");
    }
    // Loaded during an outage: the notice, not a raw error; after it, the list and no banner.
    await t.hook("/__e2e/outage?on=1");
    try {
      await page.reload();
      await notice.waitFor({ timeout: 8000 });
      assert((await page.locator(".banner").count()) === 0, `an error banner shows beside the notice: ${await page.locator(".banner").allTextContents()}`);
    } finally {
      await t.hook("/__e2e/outage?on=0");
    }
    await notice.waitFor({ state: "detached", timeout: 6000 });
    await page.locator(".conv-list .conv-title").first().waitFor({ timeout: 6000 });
    assert((await page.locator(".banner").count()) === 0, `a banner stayed after recovery: ${await page.locator(".banner").allTextContents()}`);
  });

  await step("the theme follows the system, and Light/Dark is remembered", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(t.BASE + "/");
    assert(dark(await bg()), `system dark: background ${await bg()}`);
    const theme = page.getByLabel("Theme");
    await theme.selectOption("light");
    assert(!dark(await bg()), `light chosen: background ${await bg()}`);
    await page.reload();
    assert(!dark(await bg()), `light not remembered: background ${await bg()}`);
    await page.emulateMedia({ colorScheme: "light" });
    await page.getByLabel("Theme").selectOption("dark");
    assert(dark(await bg()), `dark chosen: background ${await bg()}`);
    await page.reload();
    assert(dark(await bg()), `dark not remembered: background ${await bg()}`);
    await page.getByLabel("Theme").selectOption("system");
    assert(!dark(await bg()), `system (light) again: background ${await bg()}`);
  });

  await step("phone: the menu has its own close, closes on a tap outside or Escape; tap targets ≥ 44 px; the box grows", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(t.BASE + "/");
      await page.locator(".conv-list .conv-title").first().waitFor();
      const size = async (loc) => {
        const b = await loc.boundingBox();
        return b ? [Math.round(b.width), Math.round(b.height)] : null;
      };
      const small = [];
      const check = async (name, loc) => {
        const s = await size(loc);
        if (!s || s[0] < 44 || s[1] < 44) small.push(`${name} ${JSON.stringify(s)}`);
      };
      const menu = page.getByRole("button", { name: "Conversations", exact: true });
      await check("☰", menu);
      await menu.click();
      const close = page.getByRole("button", { name: "Close conversations" });
      await close.waitFor();
      await page.waitForTimeout(300);
      const cb = await close.boundingBox();
      assert(cb && cb.x + cb.width <= 390, "the close button is off screen");
      await check("close", close);
      const first = page.locator(".conv-list li").first();
      await check("rename", first.getByRole("button", { name: /^Rename/ }));
      await check("delete", first.getByRole("button", { name: /^Delete/ }));
      await check("conversation", first.locator(".conv-title"));
      await page.screenshot({ path: path.join(SHOTS, "phone-menu.png") });
      // A tap outside the menu closes it.
      await page.mouse.click(375, 420);
      await page.waitForFunction(() => !document.querySelector(".app")?.classList.contains("sidebar-open"));
      await menu.click();
      await close.waitFor();
      await page.keyboard.press("Escape");
      await page.waitForFunction(() => !document.querySelector(".app")?.classList.contains("sidebar-open"));
      await menu.click();
      await close.click();
      await page.waitForFunction(() => !document.querySelector(".app")?.classList.contains("sidebar-open"));
      await check("send", page.getByRole("button", { name: "Send" }));
      await check("attach", page.getByRole("button", { name: "Attach files" }));
      const copy = page.getByRole("button", { name: "Copy code" });
      if (await copy.count()) await check("copy", copy.first());
      assert(small.length === 0, `tap targets under 44×44: ${small.join(", ")}`);
      // The composer grows with its text, up to a cap, then scrolls.
      const h0 = (await box().boundingBox()).height;
      await box().fill(Array.from({ length: 4 }, (_, i) => `line ${i}`).join("\n"));
      const h1 = (await box().boundingBox()).height;
      assert(h1 > h0 + 20, `the box did not grow (${h0} → ${h1})`);
      await box().fill(Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n"));
      const h2 = (await box().boundingBox()).height;
      assert(h2 <= 250 && h2 > h1, `the box is ${h2} px for 40 lines (cap 240)`);
      const scrolls = await box().evaluate((el) => el.scrollHeight > el.clientHeight && getComputedStyle(el).overflowY === "auto");
      assert(scrolls, "past the cap the box does not scroll");
      await box().fill("");
    } finally {
      await page.setViewportSize({ width: 1100, height: 760 });
    }
  });
}

/** The first load straight from the engine (which serves the precompressed UI): its weight and caching. */
export async function weightCheck(t) {
  const { context, step, assert, ENGINE } = t;
  await step("first load from the engine: ≤ 200 KB compressed, hashed files immutable, favicon, /me once", async () => {
    const p = await context.newPage();
    try {
      const cdp = await context.newCDPSession(p);
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      const responses = [];
      p.on("response", (r) => responses.push(r));
      const me = [];
      p.on("request", (r) => {
        if (new URL(r.url()).pathname === "/api/v1/me") me.push(r.url());
      });
      await p.goto(ENGINE + "/", { waitUntil: "networkidle" });
      await p.getByRole("textbox", { name: "Message", exact: true }).waitFor();
      await p.waitForTimeout(500);
      let total = 0;
      const rows = [];
      for (const r of responses) {
        const sizes = await r.request().sizes().catch(() => null);
        const bytes = sizes ? sizes.responseBodySize + sizes.responseHeadersSize : 0;
        total += bytes;
        const url = new URL(r.url());
        rows.push(`${String(bytes).padStart(7)} ${r.headers()["content-encoding"] ?? "-"} ${url.pathname}`);
        if (url.pathname.startsWith("/_next/static/")) {
          const cc = r.headers()["cache-control"] ?? "";
          assert(/immutable/.test(cc) && /max-age=31536000/.test(cc), `${url.pathname}: Cache-Control ${cc}`);
          // Files under 512 bytes are not precompressed (nothing to gain).
          if (sizes && sizes.responseBodySize > 1024)
            assert(r.headers()["content-encoding"], `${url.pathname} was sent uncompressed`);
        }
        if (url.pathname === "/") assert(/no-cache/.test(r.headers()["cache-control"] ?? ""), "index.html is cacheable");
      }
      const kb = total / 1024;
      console.log(`    first load: ${responses.length} responses, ${kb.toFixed(1)} KB transferred (limit 200 KB)\n      ${rows.join("\n      ")}`);
      assert(kb <= 200, `first load is ${kb.toFixed(1)} KB`);
      const icon = await p.request.get(ENGINE + "/favicon.ico");
      assert(icon.status() === 200, `/favicon.ico: ${icon.status()}`);
      assert(me.length <= 1, `/api/v1/me fetched ${me.length} times on load`);
    } finally {
      await p.close();
    }
  });
}

const MARKDOWN_PROMPT = [
  "Render this table and code please.",
  "```python",
  'print("\\n| Fruit | Count |\\n|---|---|\\n| apple | 3 |\\n| pear | 5 |\\n")',
  "print('<img src=x onerror=\"window.__xss=1\"> [click](javascript:window.__xss=2)')",
  "print()",
  'print("`" * 3 + "js")',
  'print("const answer = 42; // " + "the answer " * 5)',
  'print("`" * 3)',
  "print()",
  'print("$$E = mc^2$$")',
  "```",
].join("\n");

/** Markdown in answers, accessibility (axe) and the screenshots of the main screens. */
export async function markdownAndA11yChecks(t) {
  const { page, step, assert, SHOTS, newChat, waitFinished, AXE } = t;
  const box = () => page.getByRole("textbox", { name: "Message", exact: true });
  let markdownUrl = null;

  await step("markdown: a table, highlighted code and math render; HTML and javascript: links stay inert", async () => {
    await newChat();
    await page.evaluate(() => window.__e2eWatch(null));
    await box().fill(MARKDOWN_PROMPT);
    await box().press("Enter");
    await page.locator('.tool-card[data-tool="code_interpreter"][data-status="ok"]').waitFor({ timeout: 90_000 });
    await waitFinished();
    const md = page.locator("article.msg.assistant").last().locator(".md").last();
    await md.locator("table td", { hasText: "apple" }).waitFor();
    assert((await md.locator("table td").count()) === 4, "the table does not have 4 cells");
    await md.locator("pre code.hljs .hljs-keyword", { hasText: "const" }).waitFor();
    await md.locator(".katex").first().waitFor();
    assert((await md.locator("img").count()) === 0, "an <img> from the answer's text was rendered");
    const hrefs = await md.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert(!hrefs.some((h) => /^javascript:/i.test(h ?? "")), `a javascript: link was rendered: ${hrefs}`);
    // The link's text is shown, but not as a javascript: link.
    const click = md.getByText("click", { exact: true });
    await click.waitFor();
    await click.click();
    await page.waitForTimeout(200);
    assert((await page.evaluate(() => window.__xss)) === undefined, "script from the answer ran");
    const said = (await md.textContent()) ?? "";
    assert(said.includes("<img src=x onerror=") && !said.includes("…"), `the HTML is not shown as text (or the answer was cut): ${said}`);
    // The long code line scrolls inside its block, which the keyboard can reach.
    assert((await md.locator("pre").first().getAttribute("tabindex")) === "0", "the code block is not focusable");
    await md.locator("table").scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, "markdown.png") });
    markdownUrl = page.url();
  });

  const axe = (label) => expectNoSeriousViolations(page, AXE, assert, label);

  for (const scheme of ["light", "dark"]) {
    await step(`accessibility (axe, ${scheme}): no serious or critical violations on the main screens; screenshots`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      try {
        for (const [w, h, kind] of [
          [1100, 760, "desktop"],
          [390, 844, "phone"],
        ]) {
          await page.setViewportSize({ width: w, height: h });
          await page.goto(t.BASE + "/");
          await page.locator("h1.title", { hasText: "New chat" }).waitFor();
          await page.waitForFunction(() => document.activeElement?.id === "message");
          await page.screenshot({ path: path.join(SHOTS, `empty-${kind}-${scheme}.png`) });
          await axe(`empty chat (${kind})`);
          if (markdownUrl) {
            await page.goto(markdownUrl);
            const md = page.locator("article.msg.assistant .md table").last();
            await md.waitFor();
            await page.locator("article.msg.assistant .katex").last().waitFor();
            await page.locator("article.msg.assistant").last().scrollIntoViewIfNeeded();
            await page.screenshot({ path: path.join(SHOTS, `answer-${kind}-${scheme}.png`) });
            if (kind === "phone") {
              const b = await page.getByRole("button", { name: "Copy code" }).last().boundingBox();
              assert(b && b.width >= 44 && b.height >= 44, `Copy is ${b?.width}×${b?.height} on a phone`);
            }
            await axe(`answer with code and a table (${kind})`);
            await page.getByRole("button", { name: "Conversation settings" }).click();
            await page.getByRole("form", { name: "Conversation settings" }).waitFor();
            await page.screenshot({ path: path.join(SHOTS, `settings-${kind}-${scheme}.png`) });
            if (kind === "phone") {
              for (const name of ["Save", "Cancel"]) {
                const b = await page.getByRole("button", { name, exact: true }).boundingBox();
                assert(b && b.width >= 44 && b.height >= 44, `${name} is ${b?.width}×${b?.height} on a phone`);
              }
            }
            await axe(`settings panel (${kind})`);
            await page.getByRole("button", { name: "Cancel", exact: true }).click();
          }
          if (kind === "phone") {
            await page.getByRole("button", { name: "Conversations", exact: true }).click();
            await page.getByRole("button", { name: "Close conversations" }).waitFor();
            await page.waitForTimeout(300);
            await page.screenshot({ path: path.join(SHOTS, `menu-${kind}-${scheme}.png`) });
            await page.keyboard.press("Escape");
          }
        }
      } finally {
        await page.setViewportSize({ width: 1100, height: 760 });
        await page.emulateMedia({ colorScheme: "light" });
      }
    });
  }
}
