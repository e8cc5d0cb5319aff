"use client";

import { useCallback, useEffect, useState } from "react";

/** One long-term memory, as GET /api/v1/memories lists it. */
export type MemoryItem = {
  id: string;
  content: string;
  source: "user" | "model";
  status: "active" | "proposed";
  conversation_id: string | null;
  updated_at: string;
};

export type MemoryModeName = "auto" | "confirm" | "off";

/** The caller's mode, and whether the operator offers long-term memory at all. */
export type MemoryModeView = { mode: MemoryModeName; available: boolean };

export type MemoryApi = {
  list: () => Promise<MemoryItem[]>;
  add: (content: string) => Promise<MemoryItem>;
  update: (id: string, change: { content?: string; status?: "active" }) => Promise<MemoryItem>;
  remove: (id: string) => Promise<unknown>;
  mode: () => Promise<MemoryModeView>;
  setMode: (mode: MemoryModeName) => Promise<MemoryModeView>;
};

const MODES: { value: MemoryModeName; label: string }[] = [
  { value: "auto", label: "Remember automatically" },
  { value: "confirm", label: "Ask me first" },
  { value: "off", label: "Off" },
];

/**
 * What the assistant remembers about the user across conversations: every memory is listed,
 * editable and deletable; what the model proposes in mode "Ask me first" waits here for a yes.
 */
export function MemoryPanel({ api, errorText }: { api: MemoryApi; errorText: (e: unknown) => string }) {
  const [items, setItems] = useState<MemoryItem[] | null>(null);
  const [mode, setMode] = useState<MemoryModeView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [draft, setDraft] = useState("");
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const [listed, current] = await Promise.all([api.list(), api.mode()]);
      setItems(listed);
      setMode(current);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api, errorText]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      await refresh();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const proposed = (items ?? []).filter((m) => m.status === "proposed");
  const active = (items ?? []).filter((m) => m.status === "active");

  return (
    <section className="memory-panel" aria-label="Memory">
      <h2 className="small">Memory</h2>
      <p className="small muted">
        Facts the assistant keeps about you for later conversations. Answers show which ones they used.
      </p>
      {mode && !mode.available && (
        <p className="small muted" role="status">
          Long-term memory is turned off on this server.
        </p>
      )}
      {mode && (
        <label className="small">
          Memory{" "}
          <select
            value={mode.mode}
            disabled={busy}
            onChange={(e) => void act(() => api.setMode(e.target.value as MemoryModeName))}
          >
            {MODES.map((m) => (
              <option key={m.value} value={m.value}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {error && (
        <p className="error-inline small" role="alert">
          {error}
        </p>
      )}
      {items === null && !error && <p className="small muted">Loading…</p>}
      {proposed.length > 0 && (
        <>
          <h3 className="small">Waiting for your yes</h3>
          <ul className="memory-list" aria-label="Proposed memories">
            {proposed.map((m) => (
              <li key={m.id} data-status="proposed">
                <span>{m.content}</span>
                <button type="button" disabled={busy} onClick={() => void act(() => api.update(m.id, { status: "active" }))}>
                  Keep
                </button>
                <button type="button" disabled={busy} onClick={() => void act(() => api.remove(m.id))}>
                  Discard
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {items !== null && active.length === 0 && <p className="small muted">Nothing remembered yet.</p>}
      {active.length > 0 && (
        <ul className="memory-list" aria-label="Memories">
          {active.map((m) =>
            editing?.id === m.id ? (
              <li key={m.id} data-status="editing">
                <label className="sr-only" htmlFor={`memory-${m.id}`}>
                  Edit memory
                </label>
                <input
                  id={`memory-${m.id}`}
                  value={editing.text}
                  onChange={(e) => setEditing({ id: m.id, text: e.target.value })}
                />
                <button
                  type="button"
                  disabled={busy || !editing.text.trim()}
                  onClick={() =>
                    void act(async () => {
                      await api.update(m.id, { content: editing.text });
                      setEditing(null);
                    })
                  }
                >
                  Save
                </button>
                <button type="button" onClick={() => setEditing(null)}>
                  Cancel
                </button>
              </li>
            ) : (
              <li key={m.id} data-status="active">
                <span>{m.content}</span>
                <button type="button" aria-label={`Edit memory: ${m.content}`} onClick={() => setEditing({ id: m.id, text: m.content })}>
                  Edit
                </button>
                <button
                  type="button"
                  aria-label={`Delete memory: ${m.content}`}
                  disabled={busy}
                  onClick={() => void act(() => api.remove(m.id))}
                >
                  Delete
                </button>
              </li>
            ),
          )}
        </ul>
      )}
      <form
        className="memory-add"
        onSubmit={(e) => {
          e.preventDefault();
          const text = draft.trim();
          if (!text) return;
          void act(async () => {
            await api.add(text);
            setDraft("");
          });
        }}
      >
        <label className="sr-only" htmlFor="memory-new">
          A new memory
        </label>
        <input
          id="memory-new"
          placeholder="Something to remember, e.g. I prefer short answers."
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" disabled={busy || !draft.trim()}>
          Add
        </button>
      </form>
    </section>
  );
}

/** The note under an answer that used memories: which ones, on demand. */
export function MemoriesUsed({ used }: { used: { id: string; content: string }[] }) {
  if (used.length === 0) return null;
  return (
    <details className="memories-used small muted">
      <summary>
        Used {used.length} {used.length === 1 ? "memory" : "memories"}
      </summary>
      <ul>
        {used.map((m) => (
          <li key={m.id}>{m.content}</li>
        ))}
      </ul>
    </details>
  );
}

/** Where a summary took over: the turns above it are sent to the model only as this summary. */
export function SummaryMarker({ text }: { text: string }) {
  return (
    <details className="summary-marker small muted" role="note">
      <summary>Earlier messages summarised</summary>
      <p>{text}</p>
    </details>
  );
}
