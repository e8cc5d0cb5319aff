"use client";

// Markdown as users expect it from a chat: GFM (tables, task lists, strikethrough, autolinks),
// math with KaTeX (loaded only when the text may hold math), highlighted code with a copy
// button. Safe against markup in model output: raw HTML is shown as text (react-markdown without
// rehype-raw), and links keep only http(s)/mailto URLs (javascript: and the like are dropped).
// While an answer streams, only its last block re-renders; finished blocks are memoised.

import { memo, useEffect, useRef, useState, type ComponentProps, type ReactNode } from "react";
import ReactMarkdown, { defaultUrlTransform, type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

type PluggableList = NonNullable<ComponentProps<typeof ReactMarkdown>["remarkPlugins"]>;
import { rehypeLowlight } from "../lib/highlight";
import { mayHaveMath, splitBlocks } from "../lib/mdBlocks";

/** Only these schemes are linked; anything else (javascript:, data:, vbscript:) is dropped. */
export function safeUrl(url: string): string {
  const safe = defaultUrlTransform(url);
  return /^(https?:|mailto:|#|\/)/i.test(safe) ? safe : "";
}

let mathPlugins: { remark: PluggableList; rehype: PluggableList } | null = null;
let mathLoading: Promise<void> | null = null;

/** Loads remark-math, rehype-katex and KaTeX's CSS once, the first time math may be shown. */
export function loadMath(): Promise<void> {
  if (mathPlugins) return Promise.resolve();
  mathLoading ??= import("./mathPlugins").then((m) => {
    mathPlugins = { remark: [m.remarkMath], rehype: [[m.rehypeKatex, { throwOnError: false, strict: "ignore", trust: false }]] };
  });
  return mathLoading;
}

function CodePre({ children, node: _node, ...rest }: ComponentProps<"pre"> & { node?: unknown }) {
  const ref = useRef<HTMLPreElement | null>(null);
  const [copied, setCopied] = useState(false);
  const code = (children as { props?: { className?: string } } | undefined)?.props?.className ?? "";
  const lang = /language-([\w+#.-]+)/.exec(code)?.[1] ?? "code";
  const copy = async () => {
    try {
      await navigator.clipboard.writeText((ref.current?.textContent ?? "").replace(/\n$/, ""));
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="code">
      <div className="code-bar">
        <span>{lang}</span>
        <button type="button" className="copy" onClick={copy} aria-label="Copy code">
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      {/* Focusable, so a keyboard can scroll a long line into view. */}
      <pre ref={ref} tabIndex={0} {...rest}>
        {children}
      </pre>
    </div>
  );
}

/** Headings one level under the page's h1 (a model's "# Title" is an h2 here). */
const heading = (level: number) =>
  function Heading({ children }: { children?: ReactNode }) {
    const Tag = `h${Math.min(6, level + 1)}` as "h2";
    return <Tag>{children}</Tag>;
  };

const components: Components = {
  pre: CodePre,
  a: ({ href, children }) =>
    href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    ) : (
      <span>{children}</span>
    ),
  table: ({ children }) => (
    <div className="table-wrap" tabIndex={0} role="region" aria-label="Table">
      <table>{children}</table>
    </div>
  ),
  img: ({ alt }) => <span className="muted">[image: {alt ?? ""}]</span>,
  h1: heading(1),
  h2: heading(2),
  h3: heading(3),
  h4: heading(4),
  h5: heading(5),
  h6: heading(6),
};

const Block = memo(function Block({ text, math }: { text: string; math: boolean }) {
  const m = math ? mathPlugins : null;
  return (
    <ReactMarkdown
      remarkPlugins={[remarkGfm, ...(m?.remark ?? [])]}
      rehypePlugins={[rehypeLowlight, ...(m?.rehype ?? [])]}
      components={components}
      urlTransform={safeUrl}
      skipHtml={false}
    >
      {text}
    </ReactMarkdown>
  );
});

export function RichMarkdown({ text }: { text: string }) {
  const wantsMath = mayHaveMath(text);
  const [math, setMath] = useState(() => wantsMath && !!mathPlugins);
  useEffect(() => {
    if (!wantsMath || math) return;
    let live = true;
    void loadMath().then(() => live && setMath(true));
    return () => {
      live = false;
    };
  }, [wantsMath, math]);
  const blocks = splitBlocks(text);
  return (
    <div className="md">
      {blocks.map((b, i) => (
        <Block key={i} text={b} math={math} />
      ))}
    </div>
  );
}
