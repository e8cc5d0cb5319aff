// Splits markdown into its top-level blocks (at blank lines outside code fences and $$ math), so
// that a streaming answer re-renders only its last, growing block: the ones before it are done
// and their rendering is memoised.

export function splitBlocks(src: string): string[] {
  const lines = src.replace(/\r\n?/g, "\n").split("\n");
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  let math = false;
  const flush = () => {
    if (current.length && current.some((l) => l.trim() !== "")) blocks.push(current.join("\n"));
    current = [];
  };
  for (const line of lines) {
    if (fence) {
      current.push(line);
      if (new RegExp(`^\\s{0,3}${fence[0]}{${fence.length},}\\s*$`).test(line)) fence = null;
      continue;
    }
    if (math) {
      current.push(line);
      if (/\$\$\s*$/.test(line)) math = false;
      continue;
    }
    const open = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      fence = open[1];
      current.push(line);
      continue;
    }
    const t = line.trim();
    if (t.startsWith("$$") && !(t.length > 4 && t.endsWith("$$"))) {
      math = true;
      current.push(line);
      continue;
    }
    const listItem = /^\s*([-*+]|\d+[.)])\s/.test(line) || /^\s{2,}\S/.test(line);
    if (line.trim() === "") {
      // A blank line inside a list may be followed by more of the list: decided on the next line.
      const last = current.length ? current[current.length - 1] : "";
      if (/^\s*([-*+]|\d+[.)])\s/.test(last) || /^\s{2,}\S/.test(last)) {
        current.push(line);
        continue;
      }
      if (last.trim() !== "") flush();
      continue;
    }
    if (current.length && current[current.length - 1].trim() === "" && !listItem) {
      while (current.length && current[current.length - 1].trim() === "") current.pop();
      flush();
    }
    current.push(line);
  }
  flush();
  return blocks;
}

/** Whether the text may hold math ($…$, $$…$$, \(…\), \[…\]): only then is KaTeX loaded. */
export function mayHaveMath(src: string): boolean {
  return /\$\$[\s\S]*?\$\$|\$[^\s$][^$\n]*\$|\\\(|\\\[/.test(src);
}
