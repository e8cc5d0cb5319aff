package dev.grizz.engine.event;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Work for a worker on any pod: run this step of this conversation. */
public record Job(UUID stepId, UUID conversationId, @Nullable String traceparent) {}
