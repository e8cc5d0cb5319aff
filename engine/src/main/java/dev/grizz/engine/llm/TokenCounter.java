package dev.grizz.engine.llm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.grizz.engine.config.ComputedAfterStartUp;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Counts tokens with the o200k_base encoding (current OpenAI models): exact for them and a close
 * estimate for others, which is what context budgets and usage estimates need.
 */
@Component
public class TokenCounter {

  /**
   * Tokens a chat format adds around each message (role, separators), as OpenAI documents for its
   * chat models.
   */
  public static final int PER_MESSAGE_OVERHEAD = 4;

  // About half a second of CPU (200,000 ranks to decode).
  private final ComputedAfterStartUp<Encoding> encoding =
      new ComputedAfterStartUp<>(
          "tokenizer-load",
          () -> Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE));

  @EventListener(ApplicationReadyEvent.class)
  void loadAfterStartUp() {
    encoding.start();
  }

  public int count(String text) {
    return encoding.get().countTokens(text);
  }

  /**
   * What an image is estimated to cost: OpenAI's figure for a 1024×1024 image at high detail. The
   * vendor's count replaces every estimate when it reports one.
   */
  public static final int IMAGE_TOKENS = 765;

  public int count(LlmRequest.ChatMessage message) {
    int total = PER_MESSAGE_OVERHEAD;
    for (ContentPart part : message.parts()) {
      total +=
          switch (part) {
            case ContentPart.Text text -> count(text.text());
            case ContentPart.Image image -> IMAGE_TOKENS;
            case ContentPart.Thinking thinking -> count(thinking.text());
            // Encrypted: its size in tokens is the vendor's to know; the vendor's count replaces.
            case ContentPart.RedactedThinking redacted -> 0;
          };
    }
    for (ToolCall call : message.toolCalls()) {
      total += count(call.name()) + count(call.arguments());
    }
    return total;
  }

  /** The messages and the tools' schemas, as a request's prompt. */
  public int count(LlmRequest request) {
    int total = count(request.messages());
    for (ToolSpec tool : request.tools()) {
      total += count(tool.name()) + count(tool.parameters().toString());
      if (tool.description() != null) {
        total += count(tool.description());
      }
    }
    return total;
  }

  /** An answer's text, reasoning and tool calls, as its completion. */
  public int count(AnswerBuffer answer) {
    int total = count(answer.text()) + count(answer.reasoningText());
    for (ToolCall call : answer.toolCalls()) {
      total += count(call.name()) + count(call.arguments());
    }
    return total;
  }

  public int count(List<LlmRequest.ChatMessage> messages) {
    int total = 0;
    for (LlmRequest.ChatMessage message : messages) {
      total += count(message);
    }
    return total;
  }
}
