package dev.grizz.engine.conversation;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** How a Responses API item is kept as a message row: its role and its readable text. */
final class ResponseItems {

  private static final int TITLE_CHARS = 80;

  private ResponseItems() {}

  /** The messages table's role: a message's own ({@code developer} is a system message). */
  static String role(JsonNode item) {
    String type = item.path("type").asString("message");
    if (type.isEmpty() || type.equals("message")) {
      return switch (item.path("role").asString("user")) {
        case "assistant" -> "assistant";
        case "system", "developer" -> "system";
        default -> "user";
      };
    }
    return type.equals("function_call_output") ? "tool" : "assistant";
  }

  /** The item's text: a message's text parts, a call's arguments, a call output's output. */
  static String text(JsonNode item) {
    JsonNode content = item.path("content");
    if (content.isString()) {
      return content.asString();
    }
    if (content.isArray()) {
      StringBuilder text = new StringBuilder();
      for (JsonNode part : content) {
        text.append(part.path("text").asString(part.path("refusal").asString("")));
      }
      return text.toString();
    }
    return switch (item.path("type").asString("")) {
      case "function_call" -> item.path("arguments").asString("");
      case "function_call_output" -> item.path("output").asString("");
      default -> "";
    };
  }

  /** A chain's title: its first user text, cut short. */
  static String title(List<JsonNode> input) {
    for (JsonNode item : input) {
      if (role(item).equals("user")) {
        String text = text(item).strip().replaceAll("\\s+", " ");
        if (!text.isEmpty()) {
          return text.length() <= TITLE_CHARS ? text : text.substring(0, TITLE_CHARS - 1) + "…";
        }
      }
    }
    return "Responses API";
  }

  /** The answer step's status for a response's. */
  static String stepStatus(JsonNode response) {
    return switch (response.path("status").asString("")) {
      case "failed" -> "failed";
      case "cancelled" -> "cancelled";
      default -> "completed";
    };
  }
}
