// Browser check of the live events as the one source of truth (issue 22): a streamed answer is
// shown finished from its events (message.completed, usage, step.finished), with no fetch of the
// conversation, and what it shows is what a reload (a fetch of the stored conversation) shows.

/** What a reader sees of the thread: each message's text, each answer's status, model and usage line, note and actions. */
const SEEN = () =>
  [...document.querySelectorAll("article.msg")].map((a) => ({
    role: a.classList.contains("assistant") ? "assistant" : "user",
    status: a.dataset.status ?? null,
    text: (a.querySelector(".md") ?? a.querySelector("p"))?.textContent ?? "",
    meta: a.querySelector(".meta")?.textContent ?? null,
    memories: a.querySelector("details.memories-used summary")?.textContent ?? null,
    versions: a.querySelector(".version-count")?.textContent ?? null,
    actions: [...a.querySelectorAll(".answer-actions button")].map((b) => `${b.getAttribute("aria-label") ?? b.textContent}:${b.getAttribute("aria-pressed") ?? ""}:${b.disabled}`),
  }));

export async function liveChecks({ page, step, assert, send, newChat, waitStreaming, waitFinished, demoReply }) {
  const answers = () => page.locator("article.msg.assistant");
  const lastAnswer = () => answers().last();
  /** Every GET of one conversation (…/conversations/{id}) the page makes, with when. */
  const gets = [];
  page.on("request", (r) => {
    const { pathname } = new URL(r.url());
    if (r.method() === "GET" && /^\/api\/v1\/conversations\/[0-9a-f-]{36}$/.test(pathname)) gets.push({ at: Date.now(), url: pathname });
  });
  const finishedAt = async () => {
    await waitFinished();
    return Date.now();
  };

  await step("a streamed answer ends from its events: no conversation fetched at or after step.finished; a reload shows the same turn", async () => {
    await page.setViewportSize({ width: 1100, height: 760 });
    await newChat();
    gets.length = 0;
    const first = "Live events are the source of truth for this answer";
    await send(first);
    await waitStreaming();
    let ended = await finishedAt();
    await page.waitForTimeout(1000);
    assert(gets.length === 0, `a new conversation's answer fetched it: ${JSON.stringify(gets)}`);

    const second = "And a second answer in the same conversation";
    await send(second);
    await page.waitForFunction(() => document.querySelectorAll("article.msg.assistant").length === 2);
    await waitStreaming();
    ended = await finishedAt();
    // Past the old refetch's 150 ms debounce and its round trip.
    await page.waitForTimeout(1000);
    const late = gets.filter((g) => g.at >= ended - 50);
    assert(late.length === 0, `fetched after step.finished: ${JSON.stringify(late)}`);
    assert(gets.length === 0, `fetched during the streamed answer: ${JSON.stringify(gets)}`);
    assert(((await lastAnswer().locator(".md").textContent()) ?? "") === demoReply(second), "the finished answer's text is not the reply");

    // Rated from the live turn (the step's id came from the events and the post, not a fetch).
    await lastAnswer().getByRole("button", { name: "Good answer" }).click();
    await lastAnswer().getByRole("button", { name: "Good answer", pressed: true }).waitFor();
    await page.waitForTimeout(500);
    assert(gets.length === 0, `rating fetched the conversation: ${JSON.stringify(gets)}`);

    const live = await page.evaluate(SEEN);
    assert(live.filter((m) => m.role === "assistant").every((a) => /\d+ in · \d+ out tokens/.test(a.meta ?? "")), `usage not shown: ${JSON.stringify(live)}`);
    assert(live.some((a) => a.actions.some((b) => b.startsWith("Regenerate answer"))), `no Regenerate: ${JSON.stringify(live)}`);
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll("article.msg.assistant").length === 2);
    await waitFinished();
    const stored = await page.evaluate(SEEN);
    assert(JSON.stringify(live) === JSON.stringify(stored), `live and reloaded turns differ:\n live   ${JSON.stringify(live)}\n stored ${JSON.stringify(stored)}`);
  });
}
