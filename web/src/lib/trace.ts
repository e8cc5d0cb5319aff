// W3C trace context: a fresh trace id and span id for each request.

export type RandomBytes = (n: number) => Uint8Array;

export const cryptoRandomBytes: RandomBytes = (n) => {
  const bytes = new Uint8Array(n);
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && typeof c.getRandomValues === "function") {
    c.getRandomValues(bytes);
  } else {
    for (let i = 0; i < n; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  return bytes;
};

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

function nonZero(randomBytes: RandomBytes, n: number): Uint8Array {
  // All-zero ids are invalid in the spec; draw again in that (unlikely) case.
  for (let i = 0; i < 4; i++) {
    const bytes = randomBytes(n);
    if (bytes.some((b) => b !== 0)) return bytes;
  }
  const bytes = new Uint8Array(n);
  bytes[n - 1] = 1;
  return bytes;
}

/** `00-<32 hex trace id>-<16 hex span id>-01` */
export function traceparent(randomBytes: RandomBytes = cryptoRandomBytes): string {
  return `00-${hex(nonZero(randomBytes, 16))}-${hex(nonZero(randomBytes, 8))}-01`;
}
