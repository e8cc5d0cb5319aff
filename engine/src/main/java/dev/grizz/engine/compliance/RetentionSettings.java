package dev.grizz.engine.compliance;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long data is kept. A conversation older than {@code conversations} since its last activity is
 * deleted with its steps, messages and events; violations older than {@code violations} are
 * deleted; anonymous users created longer than {@code anonymousUsers} ago who own no conversation
 * are deleted (their sessions end); a memory neither used to write nor edited for {@code memories}
 * is deleted. Unset means kept until erased.
 */
@ConfigurationProperties("grizz.retention")
record RetentionSettings(
    @Nullable Duration conversations,
    @Nullable Duration violations,
    @Nullable Duration anonymousUsers,
    @Nullable Duration memories) {}
