package dev.grizz.engine.agent;

import dev.grizz.engine.conversation.ClaimedStep;
import dev.grizz.engine.conversation.ConversationSettings;
import dev.grizz.engine.conversation.Message;
import dev.grizz.engine.conversation.Summaries;
import dev.grizz.engine.llm.ToolSpec;
import dev.grizz.engine.memory.MemoryRecall;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * An answer's system prompt: the conversation's own (or the engine's), what its tools need said,
 * the summary of the turns its context no longer holds, and the user's memories that bear on their
 * message. Only the first two are the prompt's template (stored once in {@code prompts} and named
 * by the step); the summary and the memories change from turn to turn and from user to user, so the
 * step names them instead ({@code summary_step_id}, {@code memories_used}): storing every variant
 * as a template would add a write before each first token and a row per turn.
 */
@Component
class AnswerPrompts {

  private final SettingsRules rules;
  private final ToolPlanner tools;
  private final MemoryRecall recall;

  AnswerPrompts(SettingsRules rules, ToolPlanner tools, MemoryRecall recall) {
    this.rules = rules;
    this.tools = tools;
    this.recall = recall;
  }

  /** A composed system prompt, its stable template, and what else went into it. */
  record Prompt(String template, String text, Map<String, Object> metadata) {}

  Prompt compose(
      ClaimedStep claimed,
      ConversationSettings own,
      List<ToolSpec> offered,
      int round,
      Summaries.PathContext path) {
    MemoryRecall.Recalled recalled = recall.recall(claimed.userId(), lastUserWords(path));
    String template = rules.systemPrompt(own) + tools.promptNote(offered, round);
    String text = template + Summarizer.note(path.summary()) + recalled.note();
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (path.summary() != null) {
      metadata.put("summary_step_id", path.summary().stepId().toString());
    }
    if (!recalled.used().isEmpty()) {
      metadata.put(
          "memories_used",
          recalled.used().stream()
              .map(m -> Map.of("id", m.id().toString(), "content", m.content()))
              .toList());
    }
    return new Prompt(template, text, metadata);
  }

  private static String lastUserWords(Summaries.PathContext path) {
    List<Message> messages = path.messages();
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role() == Message.Role.USER) {
        return messages.get(i).content();
      }
    }
    return "";
  }

  /** The memories a prompt's metadata names ({@code memories_used}), for the usage event. */
  @SuppressWarnings("unchecked")
  static List<dev.grizz.engine.event.EventData.MemoryUsed> memoriesUsed(
      Map<String, Object> metadata) {
    if (!(metadata.get("memories_used") instanceof List<?> used)) {
      return List.of();
    }
    return used.stream()
        .map(m -> (Map<String, String>) m)
        .map(m -> new dev.grizz.engine.event.EventData.MemoryUsed(m.get("id"), m.get("content")))
        .toList();
  }
}
