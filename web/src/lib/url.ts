import type { TransportKind } from "./streamClient";

export function readParam(name: string): string | null {
  if (typeof window === "undefined") return null;
  return new URLSearchParams(window.location.search).get(name);
}

/** `?transport=sse` starts at that transport (and falls back further only). */
export function transportOrder(): TransportKind[] | undefined {
  const t = readParam("transport");
  if (t === "ws") return ["ws", "sse", "poll"];
  if (t === "sse") return ["sse", "poll"];
  if (t === "poll" || t === "longpoll") return ["poll"];
  return undefined;
}

export function setUrlConversation(id: string | null, push: boolean) {
  const url = new URL(window.location.href);
  if (id) url.searchParams.set("c", id);
  else url.searchParams.delete("c");
  if (push) window.history.pushState({ c: id }, "", url);
  else window.history.replaceState({ c: id }, "", url);
}
