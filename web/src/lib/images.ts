// Images a user attaches to a message, as the data: URLs the engine takes.

/** The types the engine accepts. */
export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

/** At most this many images per message (the engine's limit). */
export const MAX_IMAGES = 4;

/** An image this size or smaller is sent as it is; a larger one is scaled down first. */
const SEND_AS_IS_BYTES = 512 * 1024;

/** The longest side of a scaled-down image: what vision models resize to anyway. */
const MAX_SIDE = 1568;

function asDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("The image could not be read."));
    reader.readAsDataURL(blob);
  });
}

/**
 * A file as a data: URL the engine takes. A photo over half a megabyte is scaled down (longest side
 * 1568 px, JPEG) so that it fits the engine's request size limit; a GIF is sent as it is.
 */
export async function readImage(file: File): Promise<string> {
  if (!IMAGE_TYPES.includes(file.type)) {
    throw new Error(`${file.name || "That file"} is not a PNG, JPEG, GIF or WebP image.`);
  }
  if (file.size <= SEND_AS_IS_BYTES || file.type === "image/gif") {
    return asDataUrl(file);
  }
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("The image could not be scaled down.");
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvas.toDataURL("image/jpeg", 0.85);
}
