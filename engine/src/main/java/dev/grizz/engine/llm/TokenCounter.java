package dev.grizz.engine.llm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

  // Loading the encoding takes a few hundred milliseconds: it happens beside the rest of start-up
  // rather than in its way, and the first count waits for it if it must.
  private final CompletableFuture<Encoding> encoding =
      CompletableFuture.supplyAsync(
          () -> Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE),
          runnable -> Thread.ofPlatform().daemon().name("tokenizer-load").start(runnable));

  public int count(String text) {
    return encoding.join().countTokens(text);
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
