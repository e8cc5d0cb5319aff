"use client";

import { useEffect, useState } from "react";
import { snippetParts, type SearchHit } from "../lib/search";

/**
 * Search over the user's conversations (titles and messages): while there is a query, its hits
 * stand in for the list; a hit opens its conversation on the branch of the matched message.
 */
export function SidebarSearch({
  search,
  onOpenHit,
  errorText,
  children,
}: {
  search: (q: string) => Promise<SearchHit[]>;
  onOpenHit: (hit: SearchHit) => void;
  errorText: (e: unknown) => string;
  /** The conversation list, shown while there is no query. */
  children: React.ReactNode;
}) {
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = q.trim();

  useEffect(() => {
    if (!query) {
      setHits(null);
      setError(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      search(query)
        .then((h) => {
          if (!live) return;
          setHits(h);
          setError(null);
        })
        .catch((e) => live && setError(errorText(e)));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, search, errorText]);

  return (
    <>
      <div className="search" role="search">
        <label className="sr-only" htmlFor="conv-search">
          Search conversations
        </label>
        <input
          id="conv-search"
          type="search"
          placeholder="Search conversations"
          value={q}
          maxLength={200}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape" && q) {
              e.stopPropagation();
              setQ("");
            }
          }}
        />
      </div>
      {!query ? (
        children
      ) : (
        <nav aria-label="Search results">
          {error && <p className="small" role="alert">{error}</p>}
          {hits && hits.length === 0 && <p className="small search-none">Nothing found.</p>}
          <ul className="conv-list search-hits">
            {(hits ?? []).map((h, i) => (
              <li key={`${h.conversation_id}-${h.step_id ?? "title"}-${i}`}>
                <button type="button" className="conv-title hit" onClick={() => onOpenHit(h)}>
                  <span className="hit-title">{h.title || "Untitled"}</span>
                  <span className="hit-snippet">
                    {snippetParts(h.snippet).map((p, j) => (p.match ? <mark key={j}>{p.text}</mark> : <span key={j}>{p.text}</span>))}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}
    </>
  );
}
