"use client";

import { useEffect, useState } from "react";
import { api, ApiError, errorText } from "../lib/api";
import type { SharedConversation } from "../lib/types";
import { Markdown } from "./Markdown";

/** The page path of a share, for people: the token in the hash stays out of server logs and Referer. */
export function sharedPageUrl(token: string, origin = window.location.origin): string {
  return `${origin}/shared/index.html#${encodeURIComponent(token)}`;
}

/** A shared conversation, read-only, for anyone holding the link (no session is made). */
export function SharedPage() {
  const [shared, setShared] = useState<SharedConversation | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const token = decodeURIComponent(window.location.hash.replace(/^#/, ""));
    if (!token) {
      setError("This link has no share in it.");
      return;
    }
    api
      .shared(token)
      .then((s) => {
        setShared(s);
        document.title = `${s.title || "Shared conversation"} · Grizz`;
      })
      .catch((e) =>
        setError(e instanceof ApiError && e.status === 404 ? "This link no longer works: it was revoked or the conversation is gone." : errorText(e)),
      );
  }, []);

  return (
    <main className="shared-page">
      <header className="shared-head">
        <h1>{shared?.title || "Shared conversation"}</h1>
        {shared && (
          <p className="small muted">
            Shared {new Date(shared.shared_at).toLocaleString()} · read-only · <a href="/">Open Grizz</a>
          </p>
        )}
      </header>
      {error && (
        <p className="error-inline" role="alert">
          {error}
        </p>
      )}
      {!shared && !error && <p className="muted">Loading…</p>}
      {shared && (
        <section className="thread shared-thread" aria-label="Messages">
          {shared.messages
            .filter((m) => m.role === "user" || m.role === "assistant")
            .map((m, i) =>
              m.role === "user" ? (
                <article key={i} className="msg user" aria-label="Message">
                  {m.images && m.images.length > 0 && (
                    <div className="attachments">
                      {m.images.map((src, j) => (
                        <img key={j} src={src} alt={`Image ${j + 1} sent with the message`} className="thumb" />
                      ))}
                    </div>
                  )}
                  <p>{m.content}</p>
                </article>
              ) : (
                <article key={i} className="msg assistant" aria-label="Answer">
                  <Markdown text={m.content} />
                </article>
              ),
            )}
        </section>
      )}
    </main>
  );
}
