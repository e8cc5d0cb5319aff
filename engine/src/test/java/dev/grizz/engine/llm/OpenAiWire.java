package dev.grizz.engine.llm;

/**
 * OpenAI Chat Completions stream frames beyond plain text, as OpenAI and the compatible servers
 * send them: tool-call pieces, reasoning (DeepSeek/vLLM's {@code reasoning_content}, OpenRouter and
 * Ollama's {@code reasoning}, Mistral's {@code thinking} content parts) and usage with its details.
 * Plain text chunks and the usual stream are in {@link FakeUpstream}.
 */
final class OpenAiWire {

  private OpenAiWire() {}

  static final String DONE = "data: [DONE]\n\n";

  /** A chunk of one choice with this delta object and finish reason (null: not finished). */
  static String chunk(String delta, String finishReason) {
    String finish = finishReason == null ? "null" : "\"" + finishReason + "\"";
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,"
        + "\"delta\":"
        + delta
        + ",\"logprobs\":null,\"finish_reason\":"
        + finish
        + "}]}\n\n";
  }

  /** The first piece of a tool call: its index, id and name, and empty arguments (as OpenAI). */
  static String toolCallStart(int index, String id, String name) {
    return chunk(
        "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":"
            + index
            + ",\"id\":\""
            + id
            + "\",\"type\":\"function\",\"function\":{\"name\":\""
            + name
            + "\",\"arguments\":\"\"}}],\"refusal\":null}",
        null);
  }

  /** A further piece of the tool call at {@code index}: the next fragment of its arguments. */
  static String toolCallArguments(int index, String fragment) {
    return chunk(
        "{\"tool_calls\":[{\"index\":"
            + index
            + ",\"function\":{\"arguments\":"
            + FakeUpstream.quote(fragment)
            + "}}]}",
        null);
  }

  /** A whole tool call in one piece, as Mistral streams it; {@code index} null leaves it out. */
  static String wholeToolCall(Integer index, String id, String name, String arguments) {
    return chunk(
        "{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{"
            + (index == null ? "" : "\"index\":" + index + ",")
            + "\"id\":\""
            + id
            + "\",\"type\":\"function\",\"function\":{\"name\":\""
            + name
            + "\",\"arguments\":"
            + FakeUpstream.quote(arguments)
            + "}}]}",
        null);
  }

  /** Reasoning as DeepSeek and vLLM stream it. */
  static String reasoningContent(String text) {
    return chunk("{\"content\":null,\"reasoning_content\":" + FakeUpstream.quote(text) + "}", null);
  }

  /** Reasoning as OpenRouter and Ollama stream it. */
  static String reasoning(String text) {
    return chunk(
        "{\"role\":\"assistant\",\"content\":\"\",\"reasoning\":" + FakeUpstream.quote(text) + "}",
        null);
  }

  /** Reasoning as Mistral streams it: a thinking part of an array content. */
  static String mistralThinking(String text) {
    return chunk(
        "{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":"
            + FakeUpstream.quote(text)
            + "}]}]}",
        null);
  }

  /** Text as a part of an array content (Mistral, after thinking). */
  static String mistralText(String text) {
    return chunk(
        "{\"content\":[{\"type\":\"text\",\"text\":" + FakeUpstream.quote(text) + "}]}", null);
  }

  /** The usage chunk with OpenAI's details: cached prompt tokens and reasoning tokens. */
  static String usageWithDetails(int prompt, int completion, int cached, int reasoning) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":"
        + prompt
        + ",\"completion_tokens\":"
        + completion
        + ",\"total_tokens\":"
        + (prompt + completion)
        + ",\"prompt_tokens_details\":{\"cached_tokens\":"
        + cached
        + ",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":"
        + reasoning
        + ",\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n";
  }
}
