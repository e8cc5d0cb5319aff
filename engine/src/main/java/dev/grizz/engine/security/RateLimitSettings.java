package dev.grizz.engine.security;

import dev.grizz.engine.config.SettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Requests per minute, shared by every pod through Redis (per pod while Redis is down).
 *
 * @param messagesAnonymous chat messages (REST, WebSocket, /v1 completions) of an anonymous user
 * @param messagesUser the same for a signed-in user or admin; an API key may set its own
 * @param sessionsPerAddress anonymous sessions and sign-ups per client address
 * @param loginsPerAddress login attempts per client address (password guessing)
 */
@ConfigurationProperties("grizz.rate")
public record RateLimitSettings(
    int messagesAnonymous, int messagesUser, int sessionsPerAddress, int loginsPerAddress) {

  public RateLimitSettings {
    SettingException.min("grizz.rate.messages-anonymous", messagesAnonymous, 1);
    SettingException.min("grizz.rate.messages-user", messagesUser, 1);
    SettingException.min("grizz.rate.sessions-per-address", sessionsPerAddress, 1);
    SettingException.min("grizz.rate.logins-per-address", loginsPerAddress, 1);
  }
}
