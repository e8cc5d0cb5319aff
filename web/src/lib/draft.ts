// What the composer keeps: the typed message per conversation (across reloads, until it is
// accepted) and the engine's message length limit.

const DRAFT_PREFIX = "grizz.draft.";
const LIMIT_KEY = "grizz.maxContentBytes";
/** The engine's default grizz.chat.max-content-bytes; learned anew from a content_too_large refusal. */
export const DEFAULT_MAX_CONTENT_BYTES = 32_768;
/** The counter shows from this share of the limit on. */
export const COUNTER_FROM = 0.8;

type Store = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export function storage(): Store | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;
  }
}

export function loadDraft(store: Store | null, key: string): string {
  try {
    return store?.getItem(DRAFT_PREFIX + key) ?? "";
  } catch {
    return "";
  }
}

export function saveDraft(store: Store | null, key: string, text: string) {
  try {
    if (text) store?.setItem(DRAFT_PREFIX + key, text);
    else store?.removeItem(DRAFT_PREFIX + key);
  } catch {
    // storage full or unavailable: the draft lives in the page only
  }
}

/** UTF-8 bytes of the text, as the engine counts them. */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The limit from a content_too_large message ("… the limit is 32768 bytes."), if it says one. */
export function limitFromMessage(message: string | undefined): number | null {
  const m = /limit is (\d+) bytes/.exec(message ?? "");
  return m ? Number(m[1]) : null;
}

export function loadLimit(store: Store | null): number {
  try {
    const n = Number(store?.getItem(LIMIT_KEY));
    return n > 0 ? n : DEFAULT_MAX_CONTENT_BYTES;
  } catch {
    return DEFAULT_MAX_CONTENT_BYTES;
  }
}

export function saveLimit(store: Store | null, limit: number) {
  try {
    store?.setItem(LIMIT_KEY, String(limit));
  } catch {
    // unavailable: known for this page only
  }
}

/** What the counter under the box says, or null while the text is well under the limit. */
export function lengthNote(bytes: number, limit: number): { text: string; over: boolean } | null {
  if (bytes < limit * COUNTER_FROM) return null;
  const over = bytes > limit;
  return {
    text: over
      ? `${(bytes - limit).toLocaleString("en")} bytes over the limit of ${limit.toLocaleString("en")}`
      : `${bytes.toLocaleString("en")} / ${limit.toLocaleString("en")} bytes`,
    over,
  };
}
