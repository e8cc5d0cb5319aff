package dev.grizz.engine.agent;

import dev.grizz.engine.conversation.ConversationSettings;
import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.Feature;
import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.LlmRequest.Role;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The rules a conversation's settings are held to, once, wherever they are set: values in range (by
 * the same checks as any request), a system prompt within the message size limit, a model some
 * provider serves, and a model that can honour them, so an answer never fails later for a setting
 * accepted now.
 */
@Component
public class SettingsRules {

  private final LlmRouter router;
  private final ChatSettings settings;

  SettingsRules(LlmRouter router, ChatSettings settings) {
    this.router = router;
    this.settings = settings;
  }

  /**
   * The settings, checked.
   *
   * @throws InvalidRequestException naming the setting ({@code settings.temperature}, …)
   * @throws dev.grizz.engine.llm.UnknownModelException for a model no provider serves
   */
  public ConversationSettings checked(ConversationSettings given) {
    try {
      options(given);
    } catch (InvalidRequestException e) {
      String param =
          e.feature() == Feature.MAX_OUTPUT_TOKENS ? "settings.max_tokens" : "settings.temperature";
      throw new InvalidRequestException(e.feature(), param, e.getMessage());
    }
    if (given.tools() != null) {
      for (String tool : given.tools()) {
        if (tool == null || !tool.matches("[a-zA-Z0-9_-]{1,64}")) {
          throw new InvalidRequestException(
              Feature.TOOLS,
              "settings.tools",
              "A tool's name is 1 to 64 letters, digits, underscores or dashes, not '"
                  + tool
                  + "'.");
        }
      }
    }
    String prompt = given.systemPrompt();
    if (prompt != null
        && prompt.getBytes(StandardCharsets.UTF_8).length > settings.maxContentBytes()) {
      throw new MessageRejectedException(
          "content_too_large",
          "The system prompt is over the limit of " + settings.maxContentBytes() + " bytes.");
    }
    if (given.model() != null) {
      requireHonoured(router.resolveModel(given.model()), given);
    }
    return given;
  }

  /** The request options the settings ask for. */
  RequestOptions options(ConversationSettings given) {
    if (given.temperature() == null && given.maxOutputTokens() == null) {
      return RequestOptions.DEFAULTS;
    }
    return RequestOptions.builder()
        .temperature(given.temperature())
        .maxOutputTokens(given.maxOutputTokens())
        .build();
  }

  /** The system prompt an answer in this conversation is given. */
  public String systemPrompt(ConversationSettings given) {
    return given.systemPrompt() != null ? given.systemPrompt() : settings.systemPrompt();
  }

  /**
   * @throws dev.grizz.engine.llm.UnsupportedFeatureException when no candidate for {@code model}
   *     can honour the settings
   */
  void requireHonoured(String model, ConversationSettings given) {
    requireHonoured(model, given, false);
  }

  /** As above, for a message that holds images when {@code images}. */
  public void requireHonoured(String model, ConversationSettings given, boolean images) {
    RequestOptions options = options(given);
    if (options == RequestOptions.DEFAULTS && !images) {
      return;
    }
    List<ChatMessage> probe =
        images
            ? List.of(
                new ChatMessage(
                    Role.USER,
                    List.of(new ContentPart.Image("https://example.com/probe.png", null)),
                    List.of(),
                    null))
            : List.of();
    router.requireHonoured(
        new LlmRequest(model, probe, List.of(), dev.grizz.engine.llm.ToolChoice.AUTO, options));
  }
}
