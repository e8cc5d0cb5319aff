package dev.grizz.engine.memory;

import dev.grizz.engine.llm.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Picks the memories an answer is given: the user's active ones that share the most words with
 * their message first, then the newest, within {@code grizz.memory.recall-tokens}. None when the
 * operator turned long-term memory off or the user did.
 */
@Component
public class MemoryRecall {

  /** The most memories looked at for one answer before the token cap is applied. */
  static final int CANDIDATES = 50;

  private final Memories memories;
  private final MemorySettings settings;
  private final TokenCounter tokens;

  MemoryRecall(Memories memories, MemorySettings settings, TokenCounter tokens) {
    this.memories = memories;
    this.settings = settings;
    this.tokens = tokens;
  }

  /** The memories recalled for an answer, and the system prompt's addition that holds them. */
  public record Recalled(List<Memory> used, String note) {

    public static final Recalled NONE = new Recalled(List.of(), "");
  }

  /** What to recall for a message of {@code userId} that says {@code about}. */
  public Recalled recall(UUID userId, String about) {
    if (!settings.longTerm()
        || settings.recallTokens() == 0
        || memories.mode(userId) == MemoryMode.OFF) {
      return Recalled.NONE;
    }
    List<Memory> used = new ArrayList<>();
    StringBuilder note =
        new StringBuilder(
            "\n\nWhat the user asked you to remember from earlier conversations (use it when it"
                + " helps; they can see and edit these memories):");
    int spent = 0;
    for (Memory memory : memories.ranked(userId, about, CANDIDATES)) {
      String line = "\n- " + memory.content();
      int cost = tokens.count(line);
      if (spent + cost > settings.recallTokens()) {
        continue;
      }
      spent += cost;
      used.add(memory);
      note.append(line);
    }
    return used.isEmpty() ? Recalled.NONE : new Recalled(List.copyOf(used), note.toString());
  }
}
