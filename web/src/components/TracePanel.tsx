"use client";

import { useEffect, useState } from "react";
import { ms, traceCost, traceError, traceTokens, traceWhat } from "../lib/traceView";
import type { AnswerTrace } from "../lib/types";

/** How an answer was made: each step (answers, tool calls, follow-ups) with model, tokens, cost and times. */
export function TracePanel({
  load,
  errorText,
}: {
  load: () => Promise<AnswerTrace>;
  errorText: (e: unknown) => string;
}) {
  const [trace, setTrace] = useState<AnswerTrace | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    load()
      .then((t) => live && setTrace(t))
      .catch((e) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [load, errorText]);

  if (error) return <p className="error-inline" role="alert">{error}</p>;
  if (!trace) return <p className="small muted">Loading…</p>;
  return (
    <section className="trace" aria-label="How this answer was made">
      <p className="small">
        {ms(trace.duration_ms)} · {traceTokens(trace)} tokens · {traceCost(trace.usage_cents)}
      </p>
      <div className="table-scroll">
        <table className="small">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Status</th>
              <th scope="col">Tokens</th>
              <th scope="col">Cost</th>
              <th scope="col">Time</th>
              <th scope="col">First token</th>
            </tr>
          </thead>
          <tbody>
            {trace.steps.map((s) => (
              <tr key={s.id} data-type={s.type}>
                <td>
                  {traceWhat(s)}
                  {s.tool_calls && s.tool_calls.length > 0 && (
                    <span className="muted"> · called {s.tool_calls.map((c) => `${c.name} (${c.outcome ?? c.status})`).join(", ")}</span>
                  )}
                  {traceError(s.error) && <span className="error-inline"> · {traceError(s.error)}</span>}
                </td>
                <td>
                  {s.status}
                  {s.finish_reason ? ` (${s.finish_reason})` : ""}
                </td>
                <td>{traceTokens(s)}</td>
                <td>{traceCost(s.usage_cents)}</td>
                <td>{ms(s.duration_ms)}</td>
                <td>{s.type === "llm" ? ms(s.time_to_first_token_ms) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
