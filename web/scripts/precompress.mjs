// Writes a .br and a .gz next to every text file of web/out (after `next build`), so the engine
// sends the precompressed bytes to browsers that accept them (engine: WebUiConfig).
//   node scripts/precompress.mjs [dir]

import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, "..", "out"));
const TEXT = /\.(html|js|css|json|txt|svg|map|ico)$/;
const MIN_BYTES = 512;

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (TEXT.test(entry.name)) yield full;
  }
}

let raw = 0;
let br = 0;
let count = 0;
for (const file of files(root)) {
  const bytes = fs.readFileSync(file);
  if (bytes.length < MIN_BYTES) continue;
  const brotli = zlib.brotliCompressSync(bytes, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  const gzip = zlib.gzipSync(bytes, { level: 9 });
  fs.writeFileSync(file + ".br", brotli);
  fs.writeFileSync(file + ".gz", gzip);
  raw += bytes.length;
  br += brotli.length;
  count++;
}
console.log(`grizz: precompressed ${count} files of ${root}: ${Math.round(raw / 1024)} KB → ${Math.round(br / 1024)} KB brotli`);
