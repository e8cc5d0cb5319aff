package dev.grizz.engine.imports;

import dev.grizz.engine.agent.MessageRejectedException;
import dev.grizz.engine.config.IdGenerator;
import dev.grizz.engine.conversation.ConversationImports;
import dev.grizz.engine.conversation.ImportedConversation;
import dev.grizz.engine.llm.TokenCounter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Imports a ChatGPT data export's {@code conversations.json} into a user's conversations: all of it
 * or, when any conversation in it is malformed, none of it (one transaction), so a retry after a
 * fix does not make doubles.
 */
@Service
public class ChatGptImporter {

  /** One imported conversation, as the answer lists it. */
  public record Imported(UUID id, String title, int messages) {}

  /** What an import made and what it left out ({@code skipped}: counts by kind). */
  public record Result(List<Imported> conversations, Map<String, Integer> skipped) {}

  private final ConversationImports store;
  private final IdGenerator ids;
  private final TokenCounter tokens;
  private final Clock clock;

  ChatGptImporter(ConversationImports store, IdGenerator ids, TokenCounter tokens, Clock clock) {
    this.store = store;
    this.ids = ids;
    this.tokens = tokens;
    this.clock = clock;
  }

  /**
   * @throws MessageRejectedException {@code invalid_export} when the body is not an export's array
   *     of conversations
   */
  @Transactional
  public Result importExport(UUID userId, JsonNode export) {
    if (!export.isArray()) {
      throw new MessageRejectedException(
          "invalid_export",
          "This is not a ChatGPT export's conversations.json: it is a JSON array of conversations.");
    }
    ImportCounts skipped = new ImportCounts();
    ChatGptExport reader = new ChatGptExport(ids, tokens, clock.instant(), skipped);
    List<ImportedConversation> read = new ArrayList<>();
    for (int i = 0; i < export.size(); i++) {
      ImportedConversation conversation = reader.read(export.get(i), i);
      if (conversation == null) {
        skipped.emptyConversations++;
      } else {
        read.add(conversation);
      }
    }
    // Read whole before anything is stored: a malformed conversation stores none.
    List<Imported> made = new ArrayList<>();
    for (ImportedConversation conversation : read) {
      UUID id = store.store(userId, conversation);
      made.add(new Imported(id, conversation.title(), conversation.nodes().size()));
    }
    return new Result(made, skipped.view());
  }
}
