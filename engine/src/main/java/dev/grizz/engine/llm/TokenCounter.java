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

  public int count(LlmRequest.ChatMessage message) {
    return count(message.content()) + PER_MESSAGE_OVERHEAD;
  }

  public int count(List<LlmRequest.ChatMessage> messages) {
    int total = 0;
    for (LlmRequest.ChatMessage message : messages) {
      total += count(message);
    }
    return total;
  }
}
