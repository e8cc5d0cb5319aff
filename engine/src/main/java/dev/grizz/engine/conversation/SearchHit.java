package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A conversation that matched a search: a snippet of its best matching message (or of its title
 * when only the title matched, then {@code stepId} is null), words found marked {@code **so**}.
 */
public record SearchHit(
    UUID conversationId, String title, String snippet, @Nullable UUID stepId, Instant updatedAt) {}
