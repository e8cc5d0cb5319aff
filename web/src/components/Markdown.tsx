"use client";

// An answer's markdown. The full renderer (RichMarkdown: GFM, math, highlighting) is a separate
// chunk, fetched when the first answer is shown, so the first load stays small; until it has
// arrived the small built-in renderer shows the same text at once (streaming never waits).

import { useEffect, useState, type ComponentType } from "react";
import { PlainMarkdown } from "./PlainMarkdown";

type Renderer = ComponentType<{ text: string }>;
let rich: Renderer | null = null;
let loading: Promise<Renderer> | null = null;

export function loadRichMarkdown(): Promise<Renderer> {
  loading ??= import("./RichMarkdown").then((m) => (rich = m.RichMarkdown));
  return loading;
}

export function Markdown({ text }: { text: string }) {
  const [Renderer, setRenderer] = useState<Renderer | null>(() => rich);
  useEffect(() => {
    if (Renderer) return;
    let live = true;
    void loadRichMarkdown().then((r) => live && setRenderer(() => r));
    return () => {
      live = false;
    };
  }, [Renderer]);
  return Renderer ? <Renderer text={text} /> : <PlainMarkdown text={text} />;
}
