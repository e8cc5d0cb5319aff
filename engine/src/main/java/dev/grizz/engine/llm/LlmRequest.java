package dev.grizz.engine.llm;

import java.util.List;

/** A chat completion request: the model and the messages, oldest first. */
public record LlmRequest(String model, List<ChatMessage> messages) {

  public LlmRequest {
    messages = List.copyOf(messages);
  }

  /** One message of the context sent to a model. */
  public record ChatMessage(Role role, String content) {}

  /** Who said a message, in the terms every vendor shares. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT
  }
}
