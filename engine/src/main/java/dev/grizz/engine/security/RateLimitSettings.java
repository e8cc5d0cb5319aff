package dev.grizz.engine.security;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Requests per minute, shared by every pod through Redis (per pod while Redis is down).
 *
 * @param messagesAnonymous chat messages (REST, WebSocket, /v1 completions) of an anonymous user
 * @param messagesUser the same for a signed-in user or admin; an API key may set its own
 * @param sessionsPerAddress anonymous sessions and sign-ups per client address
 * @param loginsPerAddress login attempts per client address (password guessing)
 */
@Validated
@ConfigurationProperties("grizz.rate")
public record RateLimitSettings(
    @Min(1) int messagesAnonymous,
    @Min(1) int messagesUser,
    @Min(1) int sessionsPerAddress,
    @Min(1) int loginsPerAddress) {}
