package dev.grizz.engine.conversation;

import dev.grizz.engine.config.IdGenerator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Conversations shared by link. A share keeps a snapshot of the branch shown when it was made, so
 * what its owner does afterwards stays private; its token (256 random bits) is the only key.
 */
@Service
public class Shares {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ConversationStore conversations;
  private final ShareRepository rows;
  private final IdGenerator ids;
  private final Clock clock;
  private final JsonMapper json;

  Shares(
      ConversationStore conversations,
      ShareRepository rows,
      IdGenerator ids,
      Clock clock,
      JsonMapper json) {
    this.conversations = conversations;
    this.rows = rows;
    this.ids = ids;
    this.clock = clock;
    this.json = json;
  }

  /**
   * Shares the branch the user's conversation shows now.
   *
   * @throws ConversationNotFoundException for an unknown or foreign conversation
   */
  @Transactional
  public Share share(UUID userId, UUID conversationId) {
    ConversationDetail branch = conversations.detail(userId, conversationId).activeBranch();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    List<SharedSnapshot.SharedMessage> messages =
        branch.messages().stream()
            .filter(m -> m.role() == Message.Role.USER || m.role() == Message.Role.ASSISTANT)
            .filter(m -> !m.content().isBlank() || !m.images().isEmpty())
            .map(
                m ->
                    new SharedSnapshot.SharedMessage(
                        m.role().name().toLowerCase(Locale.ROOT), m.content(), m.images()))
            .toList();
    SharedSnapshot snapshot = new SharedSnapshot(branch.conversation().title(), now, messages);
    Share share = new Share(ids.next(), conversationId, userId, token(), now);
    rows.insert(share, json.writeValueAsString(snapshot));
    return share;
  }

  /**
   * The shares of the user's conversation, oldest first.
   *
   * @throws ConversationNotFoundException for an unknown or foreign conversation
   */
  @Transactional(readOnly = true)
  public List<Share> list(UUID userId, UUID conversationId) {
    conversations
        .find(userId, conversationId)
        .orElseThrow(() -> new ConversationNotFoundException(conversationId));
    return rows.forTask(userId, conversationId);
  }

  /** Every share the user made: for their data export. */
  @Transactional(readOnly = true)
  public List<Share> ofUser(UUID userId) {
    return rows.forUser(userId);
  }

  /** Revokes a share; false when the user has no such share on that conversation. */
  @Transactional
  public boolean revoke(UUID userId, UUID conversationId, UUID shareId) {
    return rows.delete(userId, conversationId, shareId);
  }

  /**
   * What a token shows, to anyone; empty for a token revoked, gone with its conversation, or never
   * made.
   */
  @Transactional(readOnly = true)
  public Optional<SharedSnapshot> shared(String token) {
    if (token.length() > 100) {
      return Optional.empty();
    }
    return rows.snapshot(token).map(text -> json.readValue(text, SharedSnapshot.class));
  }

  private static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
