package dev.grizz.engine.llm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
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

  private final Encoding encoding =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

  public int count(String text) {
    return encoding.countTokens(text);
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
