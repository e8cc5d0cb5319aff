package dev.grizz.engine.conversation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A conversation's own settings, applied to each of its answers: the model (a message may still
 * name another), the system prompt, temperature and output token limit, and the tools its answers
 * may call (by name: null offers every tool the user may use, an empty list none). A setting not
 * given is null and the engine's default applies; none is ever 0 for "not set". Ranges are checked
 * where the settings are accepted (the chat service), by the same rules as any request.
 */
public record ConversationSettings(
    @Nullable String model,
    @Nullable String systemPrompt,
    @Nullable Double temperature,
    @Nullable Integer maxOutputTokens,
    @Nullable List<String> tools) {

  public static final ConversationSettings NONE =
      new ConversationSettings(null, null, null, null, null);

  public ConversationSettings {
    tools = tools == null ? null : List.copyOf(tools);
  }

  /** Settings that leave the tools at the engine's default. */
  public ConversationSettings(
      @Nullable String model,
      @Nullable String systemPrompt,
      @Nullable Double temperature,
      @Nullable Integer maxOutputTokens) {
    this(model, systemPrompt, temperature, maxOutputTokens, null);
  }
}
