package dev.grizz.engine.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic Messages streams for tests, event by event as the API sends them: a message's start,
 * text, thinking and tool_use blocks, and its end with a stop reason and usage.
 */
final class AnthropicWire {

  private AnthropicWire() {}

  static String event(String type, String json) {
    return FakeUpstream.anthropicEvent(type, json);
  }

  static String messageStart(int input, int cacheRead) {
    return event(
        "message_start",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5\","
            + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
            + input
            + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":"
            + cacheRead
            + ",\"output_tokens\":1}}}");
  }

  static List<String> textBlock(int index, String... pieces) {
    List<String> frames = new ArrayList<>();
    frames.add(blockStart(index, "{\"type\":\"text\",\"text\":\"\"}"));
    for (String piece : pieces) {
      frames.add(
          delta(index, "{\"type\":\"text_delta\",\"text\":" + FakeUpstream.quote(piece) + "}"));
    }
    frames.add(blockStop(index));
    return frames;
  }

  /** A thinking block: its thoughts, then the signature the API sends before the block stops. */
  static List<String> thinkingBlock(int index, String... pieces) {
    List<String> frames = new ArrayList<>();
    frames.add(blockStart(index, "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}"));
    for (String piece : pieces) {
      frames.add(
          delta(
              index,
              "{\"type\":\"thinking_delta\",\"thinking\":" + FakeUpstream.quote(piece) + "}"));
    }
    frames.add(
        delta(index, "{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbcDa9\"}"));
    frames.add(blockStop(index));
    return frames;
  }

  /** A redacted_thinking block: whole in its start, as the API streams it. */
  static List<String> redactedThinkingBlock(int index, String data) {
    return List.of(
        blockStart(
            index, "{\"type\":\"redacted_thinking\",\"data\":" + FakeUpstream.quote(data) + "}"),
        blockStop(index));
  }

  /**
   * A tool_use block: its start with an empty input, an empty first input_json_delta as the API
   * sends, then the argument text in these fragments.
   */
  static List<String> toolUseBlock(int index, String id, String name, String... fragments) {
    List<String> frames = new ArrayList<>();
    frames.add(
        blockStart(
            index,
            "{\"type\":\"tool_use\",\"id\":"
                + FakeUpstream.quote(id)
                + ",\"name\":"
                + FakeUpstream.quote(name)
                + ",\"input\":{}}"));
    frames.add(delta(index, "{\"type\":\"input_json_delta\",\"partial_json\":\"\"}"));
    for (String fragment : fragments) {
      frames.add(
          delta(
              index,
              "{\"type\":\"input_json_delta\",\"partial_json\":"
                  + FakeUpstream.quote(fragment)
                  + "}"));
    }
    frames.add(blockStop(index));
    return frames;
  }

  static List<String> messageEnd(String stopReason, int output) {
    return List.of(
        event(
            "message_delta",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
                + stopReason
                + "\",\"stop_sequence\":"
                // The sequence that fired, as the API names it; the tests' requests send END.
                + (stopReason.equals("stop_sequence") ? "\"END\"" : "null")
                + "},\"usage\":{\"output_tokens\":"
                + output
                + "}}"),
        event("message_stop", "{\"type\":\"message_stop\"}"));
  }

  /** A whole message: its start, the blocks, its end. */
  @SafeVarargs
  static List<String> message(
      int input, int cacheRead, String stopReason, int output, List<String>... blocks) {
    List<String> frames = new ArrayList<>();
    frames.add(messageStart(input, cacheRead));
    frames.add(event("ping", "{\"type\": \"ping\"}"));
    for (List<String> block : blocks) {
      frames.addAll(block);
    }
    frames.addAll(messageEnd(stopReason, output));
    return frames;
  }

  private static String blockStart(int index, String block) {
    return event(
        "content_block_start",
        "{\"type\":\"content_block_start\",\"index\":"
            + index
            + ",\"content_block\":"
            + block
            + "}");
  }

  private static String delta(int index, String delta) {
    return event(
        "content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
  }

  private static String blockStop(int index) {
    return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
  }
}
