"use client";

import { useEffect, useRef, useState } from "react";
import { api } from "../lib/api";
import { getSession, type SessionUser } from "../lib/session";

/**
 * The signed-in user (or guest), refreshed from /me once per user. Another user (sign-in,
 * sign-out, an expired session replaced by a new guest) calls `onUserChanged`.
 */
export function useSessionUser(onUserChanged: () => void): SessionUser | null {
  const [user, setUser] = useState<SessionUser | null>(null);
  const changed = useRef(onUserChanged);
  changed.current = onUserChanged;

  useEffect(() => {
    const session = getSession();
    const known = session.user();
    let userId = known?.id ?? null;
    let userKind = known?.kind ?? null;
    let fetchedFor: string | null = null;
    setUser(known);
    const refreshMe = (id: string | null, kind: string | null) => {
      const key = `${id}/${kind}`;
      if (fetchedFor === key) return;
      fetchedFor = key;
      api
        .me()
        .then((me) => {
          if (me?.id && me.id === userId) setUser((u) => ({ ...(u ?? {}), ...me }));
        })
        .catch(() => undefined);
    };
    // With no stored session yet, the first API call makes one and the subscription below fires.
    if (known) refreshMe(userId, userKind);
    return session.subscribe((s) => {
      const next = s?.user ?? null;
      if (!next) return;
      const previous = userId;
      userId = next.id;
      userKind = next.kind;
      setUser((u) => (u && u.id === next.id ? { ...u, ...next } : next));
      if (previous && previous !== next.id) changed.current();
      refreshMe(next.id, next.kind);
    });
  }, []);

  return user;
}
