package dev.grizz.engine.llm;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI Chat Completions streams with tool calls, reasoning and JSON, in OpenAI's real wire format
 * (the first piece of a call carries its id, type and name; later pieces only index and an
 * arguments fragment; the last choice chunk says {@code tool_calls}), for fakes of an upstream.
 */
final class ChatWire {

  private ChatWire() {}

  private static String chunk(String delta, String finish) {
    return "data: {\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gpt-5-mini\",\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"logprobs\":null,\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"")
        + "}]}\n\n";
  }

  private static String usage(int prompt, int completion, int cached, int reasoning) {
    return "data: {\"id\":\"chatcmpl-up\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gpt-5-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + ",\"prompt_tokens_details\":{\"cached_tokens\":"
        + cached
        + "},\"completion_tokens_details\":{\"reasoning_tokens\":"
        + reasoning
        + "}}}\n\n";
  }

  /** The model calls {@code name} with the arguments, streamed in the given pieces. */
  static FakeUpstream.Reply toolCall(String id, String name, List<String> argumentPieces) {
    List<String> frames = new ArrayList<>();
    frames.add(
        chunk(
            "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\""
                + id
                + "\",\"type\":\"function\",\"function\":{\"name\":\""
                + name
                + "\",\"arguments\":\"\"}}],\"refusal\":null}",
            null));
    for (String piece : argumentPieces) {
      frames.add(
          chunk(
              "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                  + FakeUpstream.quote(piece)
                  + "}}]}",
              null));
    }
    frames.add(chunk("{}", "tool_calls"));
    frames.add(usage(40, 12, 0, 0));
    frames.add("data: [DONE]\n\n");
    return FakeUpstream.sse(frames);
  }

  /**
   * Two calls in one answer (OpenAI's parallel tool calls): {@code weather} at index 0 and {@code
   * time} at index 1, their argument pieces interleaved.
   */
  static FakeUpstream.Reply parallelCalls() {
    List<String> frames = new ArrayList<>();
    frames.add(
        chunk(
            "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_a\","
                + "\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]}",
            null));
    frames.add(
        chunk(
            "{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\","
                + "\"function\":{\"name\":\"time\",\"arguments\":\"{\\\"zone\\\"\"}}]}",
            null));
    frames.add(
        chunk(
            "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]}",
            null));
    frames.add(
        chunk(
            "{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\":\\\"CET\\\"}\"}}]}",
            null));
    frames.add(chunk("{}", "tool_calls"));
    frames.add(usage(40, 20, 0, 0));
    frames.add("data: [DONE]\n\n");
    return FakeUpstream.sse(frames);
  }

  /** The model thinks ({@code reasoning_content}), then answers the text in pieces. */
  static FakeUpstream.Reply text(String reasoning, List<String> pieces) {
    List<String> frames = new ArrayList<>();
    frames.add(chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null));
    if (!reasoning.isEmpty()) {
      frames.add(chunk("{\"reasoning_content\":" + FakeUpstream.quote(reasoning) + "}", null));
    }
    for (String piece : pieces) {
      frames.add(chunk("{\"content\":" + FakeUpstream.quote(piece) + "}", null));
    }
    frames.add(chunk("{}", "stop"));
    frames.add(usage(60, 8, 32, reasoning.isEmpty() ? 0 : 5));
    frames.add("data: [DONE]\n\n");
    return FakeUpstream.sse(frames);
  }

  static FakeUpstream.Reply text(String answer) {
    return text("", List.of(answer));
  }
}
