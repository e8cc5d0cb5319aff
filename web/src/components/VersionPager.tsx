"use client";

import { versionsOf } from "../lib/turns";
import type { Step } from "../lib/types";

/** ‹ n/m › between the versions of a message or an answer (shown only when it has more than one). */
export function VersionPager({
  step,
  what,
  disabled,
  onSwitch,
}: {
  step?: Step;
  what: "message" | "answer";
  disabled?: boolean;
  onSwitch: (stepId: string) => unknown;
}) {
  const v = versionsOf(step);
  if (!v) return null;
  const go = (index: number) => onSwitch(v.ids[index - 1]);
  return (
    <span className="versions" role="group" aria-label={`Versions of this ${what}`}>
      <button
        type="button"
        className="act"
        aria-label={`Previous version of this ${what}`}
        disabled={disabled || v.index <= 1}
        onClick={() => go(v.index - 1)}
      >
        ‹
      </button>
      <span className="version-count" aria-label={`Version ${v.index} of ${v.ids.length}`}>
        {v.index}/{v.ids.length}
      </span>
      <button
        type="button"
        className="act"
        aria-label={`Next version of this ${what}`}
        disabled={disabled || v.index >= v.ids.length}
        onClick={() => go(v.index + 1)}
      >
        ›
      </button>
    </span>
  );
}
