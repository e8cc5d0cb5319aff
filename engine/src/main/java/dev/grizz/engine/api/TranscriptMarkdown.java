package dev.grizz.engine.api;

import dev.grizz.engine.conversation.ConversationDetail;
import dev.grizz.engine.conversation.Message;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.StoredToolCall;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A branch of a conversation as Markdown: the title, then each message under its role's heading;
 * tool calls and their results are summarised in a line each (a result's first line, shortened).
 */
final class TranscriptMarkdown {

  static final int RESULT_CHARS = 200;

  private TranscriptMarkdown() {}

  static String of(ConversationDetail branch) {
    Map<String, String> callNames = new HashMap<>();
    Map<UUID, Object> outcomes = new HashMap<>();
    for (Step step : branch.steps()) {
      if (step.type() == Step.StepType.TOOL) {
        outcomes.put(step.id(), step.metadata().getOrDefault("outcome", Views.wire(step.status())));
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("# ").append(oneLine(branch.conversation().title())).append("\n\n");
    md.append("_Exported from Grizz; started ")
        .append(branch.conversation().createdAt())
        .append("._\n");
    for (Message message : branch.messages()) {
      switch (message.role()) {
        case USER -> section(md, "User", message);
        case SYSTEM -> section(md, "System", message);
        case ASSISTANT -> {
          if (!message.content().isBlank() || message.toolCalls().isEmpty()) {
            section(md, "Assistant", message);
          }
          for (StoredToolCall call : message.toolCalls()) {
            callNames.put(call.id(), call.name());
            md.append("\n> **Tool call** `")
                .append(call.name())
                .append("` ")
                .append(shortened(call.arguments()))
                .append('\n');
          }
        }
        case TOOL -> {
          String name = callNames.getOrDefault(String.valueOf(message.toolCallId()), "tool");
          md.append("\n> **Tool result** `")
              .append(name)
              .append("` (")
              .append(outcomes.getOrDefault(message.stepId(), "done"))
              .append("): ")
              .append(shortened(message.content()))
              .append('\n');
        }
      }
    }
    return md.toString();
  }

  private static void section(StringBuilder md, String heading, Message message) {
    md.append("\n## ")
        .append(heading)
        .append("\n\n")
        .append(message.content().strip())
        .append('\n');
    for (String image : message.images()) {
      md.append('\n')
          .append(
              image.startsWith("data:")
                  ? "_(an image sent inline)_"
                  : "![image](" + image.replace(")", "%29") + ")")
          .append('\n');
    }
  }

  private static String shortened(String text) {
    String line = oneLine(text);
    return line.length() <= RESULT_CHARS ? line : line.substring(0, RESULT_CHARS) + "…";
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }
}
