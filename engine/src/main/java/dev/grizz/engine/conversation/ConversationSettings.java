package dev.grizz.engine.conversation;

import org.jspecify.annotations.Nullable;

/**
 * A conversation's own settings, applied to each of its answers: the model (a message may still
 * name another), the system prompt, temperature and output token limit. A setting not given is null
 * and the engine's default applies; none is ever 0 for "not set". Ranges are checked where the
 * settings are accepted (the chat service), by the same rules as any request.
 */
public record ConversationSettings(
    @Nullable String model,
    @Nullable String systemPrompt,
    @Nullable Double temperature,
    @Nullable Integer maxOutputTokens) {

  public static final ConversationSettings NONE = new ConversationSettings(null, null, null, null);
}
