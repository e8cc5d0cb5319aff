package dev.grizz.engine.file;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A file of a conversation.
 *
 * @param mediaType its media type, from its name (and for images its first bytes)
 * @param origin {@code upload} (the user's) or {@code sandbox} (written by code)
 * @param content its bytes; null when only listed
 */
public record StoredFile(
    UUID id,
    UUID conversationId,
    String name,
    String mediaType,
    long size,
    String origin,
    Instant createdAt,
    byte @Nullable [] content) {

  public static final String UPLOAD = "upload";
  public static final String SANDBOX = "sandbox";

  /** Whether a browser may show it inline: a raster image (never SVG, which can hold script). */
  public boolean inlineImage() {
    return MediaTypes.INLINE_IMAGES.contains(mediaType);
  }

  /** The same file without its bytes. */
  public StoredFile listed() {
    return new StoredFile(id, conversationId, name, mediaType, size, origin, createdAt, null);
  }
}
