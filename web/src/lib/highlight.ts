// A rehype plugin that highlights fenced code with lowlight (highlight.js grammars), for a small
// set of languages only: the bundle carries these grammars and no others. Unknown languages stay
// plain text. The output is a syntax tree of spans (never an HTML string).

import { createLowlight } from "lowlight";
import bash from "highlight.js/lib/languages/bash";
import c from "highlight.js/lib/languages/c";
import cpp from "highlight.js/lib/languages/cpp";
import css from "highlight.js/lib/languages/css";
import diff from "highlight.js/lib/languages/diff";
import go from "highlight.js/lib/languages/go";
import java from "highlight.js/lib/languages/java";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import markdown from "highlight.js/lib/languages/markdown";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";

export const lowlight = createLowlight({
  bash, c, cpp, css, diff, go, java, javascript, json, markdown, python, rust, sql, typescript, xml, yaml,
});
lowlight.registerAlias({ bash: ["sh", "shell", "zsh", "console"], xml: ["html", "svg"], python: ["py"], javascript: ["js", "jsx"], typescript: ["ts", "tsx"], yaml: ["yml"] });

type Node = { type: string; tagName?: string; properties?: Record<string, unknown>; children?: Node[]; value?: string };

function text(node: Node): string {
  if (node.type === "text") return node.value ?? "";
  return (node.children ?? []).map(text).join("");
}

function languageOf(code: Node): string | null {
  const classes = code.properties?.className;
  for (const c of Array.isArray(classes) ? classes : []) {
    const m = /^language-(.+)$/.exec(String(c));
    if (m) return m[1].toLowerCase();
  }
  return null;
}

export function rehypeLowlight() {
  return (tree: Node) => {
    const visit = (node: Node) => {
      for (const child of node.children ?? []) {
        if (node.tagName === "pre" && child.tagName === "code") {
          const lang = languageOf(child);
          if (lang && lowlight.registered(lang)) {
            const result = lowlight.highlight(lang, text(child));
            child.children = result.children as Node[];
            const classes = Array.isArray(child.properties?.className) ? (child.properties!.className as string[]) : [];
            child.properties = { ...child.properties, className: ["hljs", ...classes] };
          }
        } else visit(child);
      }
    };
    visit(tree);
  };
}
