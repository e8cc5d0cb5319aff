"use client";

import { useEffect, useRef, useState } from "react";
import { apiBase } from "../lib/api";
import { engineUp, probeDelay } from "../lib/outage";

/**
 * Whether the engine is down, found by asking GET /health when the stream has lost its
 * connection (after a moment: a cut socket usually reconnects at once) or a call could not
 * reach it. Down: probes at 0.5 s, 1 s, 2 s, then every 3 s, until it answers; then `onBack`
 * (with whether a probe had found it down). `retryNow` probes at once.
 */
export function useOutage(connLost: boolean, onBack: (wasDown: boolean) => void) {
  const [outage, setOutage] = useState(false);
  const back = useRef(onBack);
  back.current = onBack;
  const probeNow = useRef<() => void>(() => {});
  /** A probe found the engine down (since it was last up). */
  const down = useRef(false);

  useEffect(() => {
    if (!connLost && !outage) return;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let done = false;
    const check = async () => {
      if (timer) clearTimeout(timer);
      timer = null;
      const up = await engineUp(apiBase(), fetch);
      if (done) return;
      if (up) {
        done = true;
        const wasDown = down.current;
        down.current = false;
        setOutage(false);
        back.current(wasDown);
        return;
      }
      down.current = true;
      setOutage(true);
      timer = setTimeout(() => void check(), probeDelay(attempt++));
    };
    probeNow.current = () => {
      attempt = 0;
      void check();
    };
    timer = setTimeout(() => void check(), outage ? 0 : 800);
    return () => {
      done = true;
      if (timer) clearTimeout(timer);
      probeNow.current = () => {};
    };
  }, [connLost, outage]);

  return { outage, setOutage, retryNow: () => probeNow.current() };
}
