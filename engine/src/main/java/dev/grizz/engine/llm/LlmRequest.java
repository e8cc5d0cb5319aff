package dev.grizz.engine.llm;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The whole of a completion request, in the engine's terms: the model, the messages oldest first
 * (typed content, tool calls and their results), the tools the model may call, and the sampling,
 * limit and format options. Every vendor's wire format is mapped to and from this once, at its
 * adapter; nothing above the adapters sees a vendor's JSON.
 */
public record LlmRequest(
    String model,
    List<ChatMessage> messages,
    List<ToolSpec> tools,
    ToolChoice toolChoice,
    RequestOptions options,
    List<String> anthropicBetas) {

  public LlmRequest {
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
    anthropicBetas = List.copyOf(anthropicBetas);
  }

  /**
   * A request without Anthropic betas. {@code anthropicBetas} are the client's {@code
   * anthropic-beta} opt-ins to Anthropic features, sent on to an Anthropic upstream as they came;
   * other vendors have none of those features to opt into, so their adapters leave them out.
   */
  public LlmRequest(
      String model,
      List<ChatMessage> messages,
      List<ToolSpec> tools,
      ToolChoice toolChoice,
      RequestOptions options) {
    this(model, messages, tools, toolChoice, options, List.of());
  }

  /** A plain chat: no tools, default options. */
  public LlmRequest(String model, List<ChatMessage> messages) {
    this(model, messages, List.of(), ToolChoice.AUTO, RequestOptions.DEFAULTS);
  }

  public LlmRequest withModel(String routed) {
    return new LlmRequest(routed, messages, tools, toolChoice, options, anthropicBetas);
  }

  /**
   * The optional features this request uses: what a provider must honour to serve it (see {@link
   * LlmProvider#supports}). A plain chat uses none.
   */
  public Set<Feature> features() {
    Set<Feature> used = EnumSet.noneOf(Feature.class);
    if (!tools.isEmpty()) {
      used.add(Feature.TOOLS);
    }
    if (toolChoice.mode() != ToolChoice.Mode.AUTO) {
      used.add(Feature.TOOL_CHOICE);
    }
    for (ChatMessage message : messages) {
      if (message.role() == Role.TOOL || !message.toolCalls().isEmpty()) {
        used.add(Feature.TOOLS);
      }
      for (ContentPart part : message.parts()) {
        if (part instanceof ContentPart.Image) {
          used.add(Feature.IMAGES);
        }
      }
    }
    used.addAll(options.features());
    return used;
  }

  /** This request without the given features (an operator or caller opted into dropping them). */
  public LlmRequest without(Set<Feature> dropped) {
    if (dropped.isEmpty()) {
      return this;
    }
    List<ChatMessage> kept = messages;
    if (dropped.contains(Feature.IMAGES)) {
      kept = new ArrayList<>();
      for (ChatMessage message : messages) {
        kept.add(message.withoutImages());
      }
    }
    boolean noTools = dropped.contains(Feature.TOOLS);
    return new LlmRequest(
        model,
        kept,
        noTools ? List.of() : tools,
        noTools || dropped.contains(Feature.TOOL_CHOICE) ? ToolChoice.AUTO : toolChoice,
        options.without(dropped),
        anthropicBetas);
  }

  /**
   * One message of the context sent to a model. A user or system message holds content parts; an
   * assistant message holds text parts (and its vendor's signed reasoning, {@link
   * ContentPart.Thinking}) and the tool calls it made; a {@link Role#TOOL} message is the result of
   * the call {@code toolCallId} names, as text parts.
   */
  public record ChatMessage(
      Role role,
      List<ContentPart> parts,
      List<ToolCall> toolCalls,
      @Nullable String toolCallId,
      @Nullable CacheControl cache) {

    /**
     * {@code cache} is a client's caching breakpoint on a tool result as a whole (Anthropic's
     * {@code cache_control} on a {@code tool_result} block); its parts carry their own.
     */
    public ChatMessage(
        Role role, List<ContentPart> parts, List<ToolCall> toolCalls, @Nullable String toolCallId) {
      this(role, parts, toolCalls, toolCallId, null);
    }

    public ChatMessage {
      parts = List.copyOf(parts);
      toolCalls = List.copyOf(toolCalls);
      if (role == Role.TOOL && (toolCallId == null || toolCallId.isEmpty())) {
        throw new IllegalArgumentException("a tool result names the call it answers");
      }
      if (role != Role.ASSISTANT && !toolCalls.isEmpty()) {
        throw new IllegalArgumentException("only an assistant message makes tool calls");
      }
    }

    /** A message of plain text. */
    public ChatMessage(Role role, String text) {
      this(role, text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text)), List.of(), null);
    }

    public static ChatMessage assistant(String text, List<ToolCall> calls) {
      return new ChatMessage(
          Role.ASSISTANT,
          text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text)),
          calls,
          null);
    }

    public static ChatMessage toolResult(String callId, String result) {
      return new ChatMessage(Role.TOOL, List.of(new ContentPart.Text(result)), List.of(), callId);
    }

    /** The text parts, joined. */
    public String text() {
      if (parts.size() == 1 && parts.getFirst() instanceof ContentPart.Text only) {
        return only.text();
      }
      StringBuilder text = new StringBuilder();
      for (ContentPart part : parts) {
        if (part instanceof ContentPart.Text piece) {
          text.append(piece.text());
        }
      }
      return text.toString();
    }

    ChatMessage withoutImages() {
      List<ContentPart> kept =
          parts.stream().filter(part -> !(part instanceof ContentPart.Image)).toList();
      return new ChatMessage(role, kept, toolCalls, toolCallId, cache);
    }
  }

  /** Who said a message, in the terms every vendor shares. */
  public enum Role {
    SYSTEM,
    USER,
    ASSISTANT,
    /** The result of a tool call, sent back to the model. */
    TOOL
  }
}
