package dev.grizz.engine.conversation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The query behind {@link ConversationStore#page}: a user's conversations by keyset, most recently
 * active first, and the opaque cursor (URL-safe Base64 of {@code updatedAt|id}) that continues it.
 */
final class ConversationPages {

  private final TaskRepository tasks;

  ConversationPages(TaskRepository tasks) {
    this.tasks = tasks;
  }

  ConversationPage page(UUID userId, int limit, @Nullable String cursor) {
    Instant afterUpdatedAt = null;
    UUID afterId = null;
    if (cursor != null && !cursor.isBlank()) {
      String[] parts = decodeCursor(cursor);
      afterUpdatedAt = Instant.parse(parts[0]);
      afterId = UUID.fromString(parts[1]);
    }
    List<Conversation> rows = tasks.page(userId, limit + 1, afterUpdatedAt, afterId);
    if (rows.size() <= limit) {
      return new ConversationPage(rows, null);
    }
    List<Conversation> items = rows.subList(0, limit);
    Conversation last = items.getLast();
    return new ConversationPage(List.copyOf(items), encodeCursor(last.updatedAt(), last.id()));
  }

  private static String encodeCursor(Instant updatedAt, UUID id) {
    String raw = updatedAt + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static String[] decodeCursor(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String[] parts = raw.split("\\|", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException("malformed cursor");
      }
      Instant.parse(parts[0]);
      UUID.fromString(parts[1]);
      return parts;
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw new ConversationStore.InvalidCursorException(cursor);
    }
  }
}
