"use client";

// Stop pressed while the engine was unreachable (src/hooks/useChat.ts): kept, and sent once it
// answers again.

import { useCallback, useRef, useState } from "react";
import { api } from "../lib/api";
import { chatError, type ChatError } from "../lib/chatError";

export function useQueuedStops(setError: (e: ChatError) => void) {
  const [queuedStops, setQueuedStops] = useState<{ conversation: string; step: string }[]>([]);
  const queuedRef = useRef(queuedStops);
  queuedRef.current = queuedStops;

  /** Queues a Stop (once per step). */
  const queueStop = (conversation: string, step: string) =>
    setQueuedStops((q) => [...q.filter((s) => s.step !== step), { conversation, step }]);

  /** Sends the queued Stops. */
  const sendQueuedStops = useCallback(() => {
    const stops = queuedRef.current;
    if (!stops.length) return;
    setQueuedStops([]);
    for (const s of stops) api.cancelStep(s.conversation, s.step).catch((e) => setError(chatError(e)));
  }, [setError]);

  return { stopQueued: queuedStops.length > 0, queueStop, sendQueuedStops };
}
