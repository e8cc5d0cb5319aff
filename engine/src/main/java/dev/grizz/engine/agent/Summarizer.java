package dev.grizz.engine.agent;

import dev.grizz.engine.conversation.ClaimedStep;
import dev.grizz.engine.conversation.Message;
import dev.grizz.engine.conversation.StoredToolCall;
import dev.grizz.engine.conversation.Summaries;
import dev.grizz.engine.event.Job;
import dev.grizz.engine.event.JobQueue;
import dev.grizz.engine.llm.SummaryPrompt;
import dev.grizz.engine.llm.TokenCounter;
import dev.grizz.engine.memory.MemorySettings;
import dev.grizz.engine.telemetry.Tracing;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides when a conversation needs a rolling summary, and what a summary is made of. After a turn
 * ends, if the history not yet summarised on its branch has reached {@code summarize-at} of the
 * context budget, the turns older than the newest {@code keep-recent} share are queued to be
 * condensed ({@link SummaryStepRunner} does it in the background, never on the next answer's way).
 */
@Component
class Summarizer {

  private static final Logger log = LoggerFactory.getLogger(Summarizer.class);

  /** What the summarising model is told; the demo provider knows it by its opening. */
  static final String INSTRUCTIONS =
      SummaryPrompt.OPENING
          + " Write a summary of the conversation below that lets the assistant carry on without"
          + " it: keep every fact the user stated about themselves, their work and their wishes"
          + " (names, numbers, dates, decisions, preferences), what was asked and answered, and what"
          + " tools were called with what results. Merge the earlier summary, if there is one, into"
          + " yours. Plain sentences or bullets, in the conversation's language; no preamble.";

  /** The longest piece of one message a summary is made from (a pasted file, a tool's output). */
  static final int MAX_MESSAGE_CHARS = 4_000;

  private final Summaries summaries;
  private final ContextBuilder context;
  private final TokenCounter tokens;
  private final ChatSettings chat;
  private final MemorySettings settings;
  private final JobQueue jobs;

  Summarizer(
      Summaries summaries,
      ContextBuilder context,
      TokenCounter tokens,
      ChatSettings chat,
      MemorySettings settings,
      JobQueue jobs) {
    this.summaries = summaries;
    this.context = context;
    this.tokens = tokens;
    this.chat = chat;
    this.settings = settings;
    this.jobs = jobs;
  }

  /**
   * Called once a turn has ended at {@code answered} (its final answer stored): queues a summary
   * when the branch's unsummarised history is due one. Never throws: a summary not made leaves the
   * conversation on truncation, and the next turn's end asks again.
   */
  void afterTurn(ClaimedStep answered) {
    if (!settings.summaries()) {
      return;
    }
    try {
      Summaries.PathContext path = summaries.context(answered.stepId());
      UUID covered = coveredStep(path);
      if (covered == null) {
        return;
      }
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("model", settings.summaryModel());
      if (path.summary() != null) {
        metadata.put("previous_summary", path.summary().stepId().toString());
      }
      summaries
          .open(answered.conversationId(), covered, answered.apiKeyId(), metadata)
          .ifPresent(
              id ->
                  jobs.enqueue(
                      new Job(id, answered.conversationId(), Tracing.currentTraceparent())));
    } catch (RuntimeException e) {
      log.warn("a summary of conversation {} was not queued: {}", answered.conversationId(), e);
    }
  }

  /**
   * The last step a new summary should cover: the turn before the newest ones that fit in {@code
   * keep-recent} of the budget (the newest turn is always kept), or null when the history is not
   * due one yet or has nothing older to condense.
   */
  @Nullable UUID coveredStep(Summaries.PathContext path) {
    int budget = chat.contextTokens();
    List<Message> messages = path.messages();
    int total = tokens.count(chat.systemPrompt()) + summaryTokens(path.summary());
    for (Message message : messages) {
      total += context.cost(message);
    }
    if (total < settings.summarizeAt() * budget) {
      return null;
    }
    int keep = (int) (settings.keepRecent() * budget);
    int firstKept = -1;
    int kept = 0;
    for (int i = messages.size() - 1; i >= 0; i--) {
      Message message = messages.get(i);
      kept += context.cost(message);
      if (message.role() == Message.Role.USER) {
        if (firstKept >= 0 && kept > keep) {
          break;
        }
        firstKept = i;
      }
    }
    if (firstKept <= 0) {
      return null;
    }
    return summaries.parentOf(messages.get(firstKept).stepId()).orElse(null);
  }

  private int summaryTokens(Summaries.@Nullable StoredSummary summary) {
    return summary == null ? 0 : tokens.count(summary.text());
  }

  /** What the summarising model is sent: the earlier summary, then the turns it has not seen. */
  static String material(Summaries.@Nullable StoredSummary previous, List<Message> messages) {
    StringBuilder text = new StringBuilder();
    if (previous != null) {
      text.append("Earlier summary:\n").append(previous.text().strip()).append("\n\n");
    }
    text.append("Conversation:\n");
    for (Message message : messages) {
      switch (message.role()) {
        case USER -> line(text, "User", message.content());
        case ASSISTANT -> {
          if (!message.content().isBlank()) {
            line(text, "Assistant", message.content());
          }
          for (StoredToolCall call : message.toolCalls()) {
            line(text, "Assistant called " + call.name(), call.arguments());
          }
        }
        case TOOL -> line(text, "Tool result", message.content());
        case SYSTEM -> {}
      }
    }
    return text.toString();
  }

  private static void line(StringBuilder text, String who, String content) {
    String said = content.strip();
    if (said.length() > MAX_MESSAGE_CHARS) {
      said = said.substring(0, MAX_MESSAGE_CHARS) + " […]";
    }
    text.append(who).append(": ").append(said).append('\n');
  }

  /** The system prompt's addition for an answer that starts from {@code summary}. */
  static String note(Summaries.@Nullable StoredSummary summary) {
    if (summary == null) {
      return "";
    }
    return "\n\nEarlier messages of this conversation are not shown; this is a summary of them:\n"
        + summary.text().strip();
  }
}
