package dev.grizz.engine.usage;

import java.time.Instant;
import java.util.UUID;

/** A stored usage row. */
public record UsageRow(UUID id, UsageRecord record, Instant createdAt) {}
