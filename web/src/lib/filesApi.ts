// The files of a conversation: upload (with progress), list, bytes, delete; and the name a
// download was sent with.

import { traceparent } from "./trace";
import type { FileRef } from "./types";
import { ApiError, apiBase, errorFromResponse, errorText, readJson } from "./errors";
import { authorizedFetch, conv, networkError, request, withRefresh } from "./http";

/** A file of a conversation, as the files API lists it. */
export interface ConversationFile extends FileRef {
  conversation_id: string;
  origin: "upload" | "sandbox" | (string & {});
  created_at: string;
  url?: string;
}

/** The upload limit the engine enforces by default (GRIZZ_MAX_UPLOAD_BYTES). */
export const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

/** One upload over XMLHttpRequest (fetch reports no upload progress). */
function xhrUpload(
  url: string,
  token: string | null,
  file: Blob,
  onProgress?: (fraction: number) => void,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("traceparent", traceparent());
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(networkError());
    xhr.send(file);
  });
}

/** Uploads a file into a conversation (its code interpreter sees it in /mnt/data). */
async function uploadFile(
  conversationId: string,
  file: File,
  onProgress?: (fraction: number) => void,
): Promise<ConversationFile> {
  const url = `${apiBase()}${conv(conversationId)}/files?name=${encodeURIComponent(file.name || "file")}`;
  const parse = (text: string) => readJson({ text: async () => text });
  const res = await withRefresh(
    (token) => xhrUpload(url, token, file, onProgress),
    (r) => parse(r.text),
  );
  const json = await parse(res.text);
  if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, json);
  return json as ConversationFile;
}

/** Why an upload failed, in plain words. */
export function uploadErrorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 413) return "file too large (max 16 MiB)";
    if (e.code === "invalid_file_name") return "the file name is not allowed";
    if (e.code === "not_found") return "the conversation no longer exists";
    if (e.code === "network") return "the engine could not be reached";
  }
  return errorText(e);
}

/** The file name a download was sent with (Content-Disposition), else the fallback. */
export function fileNameOf(disposition: string | null | undefined, fallback: string): string {
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition ?? "");
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ""));
    } catch {
      /* the plain name below */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition ?? "");
  return plain ? plain[1].trim() : fallback;
}

export const filesApi = {
  uploadFile,
  listFiles: (id: string) =>
    request<{ items: ConversationFile[] }>("GET", `${conv(id)}/files`).then((r) => r.items ?? []),
  /** A file's bytes (an <img src> cannot carry the bearer token: show it through a blob: URL). */
  fileBlob: (fileId: string) =>
    authorizedFetch("GET", `/api/v1/files/${encodeURIComponent(fileId)}`).then((r) => r.blob()),
  deleteFile: (fileId: string) => request<void>("DELETE", `/api/v1/files/${encodeURIComponent(fileId)}`),
};
