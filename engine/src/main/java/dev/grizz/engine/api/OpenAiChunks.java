package dev.grizz.engine.api;

import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.llm.ToolCallDelta;
import dev.grizz.engine.llm.Usage;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Builds OpenAI's response and chunk JSON, in OpenAI's exact shape, as text. Chunks are the hot
 * path (one per token per stream): each is the fixed prefix of its model, kept between chunks, plus
 * the delta with its strings escaped straight into one builder; no maps, no tree, no object mapper.
 *
 * <p>Reasoning has no field in Chat Completions; it is relayed as {@code reasoning_content}, in the
 * delta and in the message, DeepSeek's convention that several clients read and the official SDKs
 * ignore. A tool call streams as OpenAI's: its first piece carries {@code index}, {@code id},
 * {@code type} and the function's {@code name}; later pieces only {@code index} and the next {@code
 * arguments} fragment; for a request that used the deprecated {@code functions}, a call streams as
 * {@code function_call} (its name in the first piece, then {@code arguments} fragments).
 */
final class OpenAiChunks {
  private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();
  private static final String CHOICE_END = ",\"logprobs\":null,\"finish_reason\":null}]}\n\n";

  private final String id;
  private final long created;

  /**
   * Whether the request used the deprecated {@code functions} ({@link OpenAiFunctions}): a call is
   * then answered as {@code function_call}, which holds one. Should the model make more than one
   * (nothing in the legacy form stops it), the second and later go as {@code tool_calls}, shown
   * rather than lost, and a whole answer with several has them all as {@code tool_calls}.
   */
  private final boolean legacyFunctions;

  private final BitSet startedCalls = new BitSet();
  private String prefixModel = "";
  private String prefix = "";

  OpenAiChunks(String id, long created) {
    this(id, created, false);
  }

  OpenAiChunks(String id, long created, boolean legacyFunctions) {
    this.id = id;
    this.created = created;
    this.legacyFunctions = legacyFunctions;
  }

  /**
   * The finish reason as the request's form has it: a legacy request's single call ends with {@code
   * function_call}.
   */
  String finishReason(String reason, int calls) {
    return legacyFunctions && calls == 1 && reason.equals("tool_calls") ? "function_call" : reason;
  }

  /** {@code data: {...,"choices":[{"index":0,"delta":}, made once per model. */
  private String prefix(String model) {
    if (!model.equals(prefixModel)) {
      StringBuilder out = new StringBuilder(96 + model.length());
      head(out.append("data: "), "chat.completion.chunk", model);
      prefix = out.append(",\"choices\":[{\"index\":0,\"delta\":").toString();
      prefixModel = model;
    }
    return prefix;
  }

  private StringBuilder head(StringBuilder out, String object, String model) {
    out.append("{\"id\":");
    quote(out, id).append(",\"object\":\"").append(object).append("\",\"created\":");
    out.append(created).append(",\"model\":");
    return quote(out, model);
  }

  private static StringBuilder quote(StringBuilder out, String text) {
    out.append('"');
    ESCAPE.quoteAsString(text, out);
    return out.append('"');
  }

  private StringBuilder start(String model, int size) {
    String head = prefix(model);
    return new StringBuilder(head.length() + size + 64).append(head);
  }

  /** The first chunk of an answer that starts with text or reasoning. */
  String role(String model) {
    return start(model, 40)
        .append("{\"role\":\"assistant\",\"content\":\"\"}")
        .append(CHOICE_END)
        .toString();
  }

  String delta(String model, String text) {
    StringBuilder out = start(model, text.length()).append("{\"content\":");
    return quote(out, text).append('}').append(CHOICE_END).toString();
  }

  String reasoning(String model, String text) {
    StringBuilder out = start(model, text.length()).append("{\"reasoning_content\":");
    return quote(out, text).append('}').append(CHOICE_END).toString();
  }

  /**
   * A piece of a tool call. {@code first} says it also opens the message (the answer starts with a
   * call): OpenAI then puts the role in the same delta, with a null content.
   */
  String toolCall(String model, ToolCallDelta delta, boolean first) {
    StringBuilder out = start(model, delta.arguments().length() + 64).append('{');
    if (first) {
      out.append("\"role\":\"assistant\",\"content\":null,");
    }
    if (legacyFunctions && delta.index() == 0) {
      out.append("\"function_call\":{");
      if (!startedCalls.get(0)) {
        startedCalls.set(0);
        quote(out.append("\"name\":"), delta.name() == null ? "" : delta.name()).append(',');
      }
      return quote(out.append("\"arguments\":"), delta.arguments())
          .append("}}")
          .append(CHOICE_END)
          .toString();
    }
    out.append("\"tool_calls\":[{\"index\":").append(delta.index());
    if (!startedCalls.get(delta.index())) {
      startedCalls.set(delta.index());
      out.append(",\"id\":");
      quote(out, delta.id() == null ? "call_" + delta.index() : delta.id());
      out.append(",\"type\":\"function\",\"function\":{\"name\":");
      quote(out, delta.name() == null ? "" : delta.name()).append(",\"arguments\":");
    } else {
      out.append(",\"function\":{\"arguments\":");
    }
    return quote(out, delta.arguments()).append("}}]}").append(CHOICE_END).toString();
  }

  String finish(String model, String reason) {
    StringBuilder out = new StringBuilder(160);
    head(out.append("data: "), "chat.completion.chunk", model);
    out.append(",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":");
    return quote(out, reason).append("}]}\n\n").toString();
  }

  String usage(String model, Usage usage) {
    StringBuilder out = new StringBuilder(256);
    head(out.append("data: "), "chat.completion.chunk", model);
    out.append(",\"choices\":[],\"usage\":");
    return usageJson(out, usage).append("}\n\n").toString();
  }

  /** The whole answer of a request that did not stream. */
  String whole(
      String model,
      String text,
      String reasoning,
      List<ToolCall> calls,
      String finish,
      Usage usage) {
    StringBuilder out = new StringBuilder(256 + text.length() + reasoning.length());
    head(out, "chat.completion", model);
    out.append(",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":");
    if (text.isEmpty() && !calls.isEmpty()) {
      out.append("null");
    } else {
      quote(out, text);
    }
    if (!reasoning.isEmpty()) {
      quote(out.append(",\"reasoning_content\":"), reasoning);
    }
    if (legacyFunctions && calls.size() == 1) {
      ToolCall call = calls.getFirst();
      quote(out.append(",\"function_call\":{\"name\":"), call.name());
      quote(out.append(",\"arguments\":"), call.arguments()).append('}');
    } else if (!calls.isEmpty()) {
      out.append(",\"tool_calls\":[");
      for (int i = 0; i < calls.size(); i++) {
        ToolCall call = calls.get(i);
        quote(out.append(i == 0 ? "" : ",").append("{\"id\":"), call.id());
        quote(out.append(",\"type\":\"function\",\"function\":{\"name\":"), call.name());
        quote(out.append(",\"arguments\":"), call.arguments()).append("}}");
      }
      out.append(']');
    }
    out.append(",\"refusal\":null},\"logprobs\":null,\"finish_reason\":");
    quote(out, finishReason(finish, calls.size())).append("}],\"usage\":");
    return usageJson(out, usage).append('}').toString();
  }

  /**
   * OpenAI's usage object. Counts not reported are 0 (OpenAI's clients expect numbers); the details
   * appear only when the vendor reported them.
   */
  private static StringBuilder usageJson(StringBuilder out, Usage usage) {
    int prompt = orZero(usage.promptTokens());
    int completion = orZero(usage.completionTokens());
    out.append("{\"prompt_tokens\":").append(prompt);
    out.append(",\"completion_tokens\":").append(completion);
    out.append(",\"total_tokens\":").append(prompt + completion);
    if (usage.cachedPromptTokens() != null) {
      out.append(",\"prompt_tokens_details\":{\"cached_tokens\":")
          .append(usage.cachedPromptTokens())
          .append('}');
    }
    if (usage.reasoningTokens() != null) {
      out.append(",\"completion_tokens_details\":{\"reasoning_tokens\":")
          .append(usage.reasoningTokens())
          .append('}');
    }
    return out.append('}');
  }

  private static int orZero(@Nullable Integer count) {
    return count == null ? 0 : count;
  }
}
