package dev.grizz.engine.conversation;

import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Finds a user's own chat conversations by words of their titles and messages. */
@Service
public class ConversationSearch {

  public static final int MAX_QUERY = 200;

  private final SearchRepository rows;

  ConversationSearch(SearchRepository rows) {
    this.rows = rows;
  }

  /**
   * The user's chat conversations holding every word of {@code text} (as a word's beginning), best
   * first; none for text without words.
   */
  @Transactional(readOnly = true)
  public List<SearchHit> search(UUID userId, String text, int limit) {
    if (text.codePoints().noneMatch(Character::isLetterOrDigit)) {
      return List.of();
    }
    return rows.search(userId, text, limit);
  }
}
