// Conversation search hits (GET /api/v1/conversations/search): the snippet marks matches **like this**.

export interface SearchHit {
  conversation_id: string;
  title: string | null;
  snippet: string;
  /** The step whose message matched (absent: the title did). */
  step_id?: string | null;
  updated_at?: string;
}

/** A snippet as plain text and marked matches, in order; an unclosed ** is kept as text. */
export function snippetParts(snippet: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  const re = /\*\*(.+?)\*\*/gs;
  let at = 0;
  for (const m of snippet.matchAll(re)) {
    if (m.index! > at) parts.push({ text: snippet.slice(at, m.index), match: false });
    parts.push({ text: m[1], match: true });
    at = m.index! + m[0].length;
  }
  if (at < snippet.length) parts.push({ text: snippet.slice(at), match: false });
  return parts;
}
