package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.UUID;

/** A conversation shared by link: whoever holds {@code token} may read its snapshot. */
public record Share(UUID id, UUID conversationId, UUID userId, String token, Instant createdAt) {}
