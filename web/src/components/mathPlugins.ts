// Math support, loaded on first need (RichMarkdown.loadMath): KaTeX and its stylesheet are the
// heaviest part of the markdown renderer, and most answers have no math.
import "katex/dist/katex.min.css";
export { default as remarkMath } from "remark-math";
export { default as rehypeKatex } from "rehype-katex";
