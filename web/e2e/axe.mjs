// axe-core in the page: no serious or critical violation (issue 22), shared by the e2e checks.

/** Fails with the violations' ids and first targets when axe finds a serious or critical one. */
export async function expectNoSeriousViolations(page, AXE, assert, label) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert(found.length === 0, `${label}: ${found.join("; ")}`);
}
