package dev.grizz.engine.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * An offline, deterministic provider: answers with a reply derived from the last user message,
 * streamed at a steady token rate, with usage counted by the same tokenizer as everything else; it
 * calls tools deterministically ({@link DemoTools}). It lets the engine run and be tested with no
 * key and no network.
 */
@Component
class DemoProvider implements LlmProvider {

  static final String NAME = "demo";
  static final String MODEL = "demo";

  private static final Pattern PIECES = Pattern.compile("\\s*\\S+");
  private static final List<String> CLOSINGS =
      List.of(
          "Streaming works: each word you see arrived as its own event.",
          "Set a provider key to talk to a real model; the engine picks it up at start-up.",
          "Every answer is stored as a step with its tokens and cost, here zero cents.",
          "You can stop an answer half-way; what was written so far is kept.",
          "The context sent to a model keeps the newest turns that fit its token budget.");

  private final TokenCounter tokens;
  private final DemoSettings settings;

  DemoProvider(TokenCounter tokens, DemoSettings settings) {
    this.tokens = tokens;
    this.settings = settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> models() {
    return List.of(MODEL);
  }

  /**
   * Sampling settings are accepted because the demo's reply is the same whatever they are (a
   * deterministic "model" samples alike at any temperature); the output limit is honoured: the
   * reply stops at it, with finish reason length. Images are counted in the reply ("You sent 2
   * images"), which is all the demo can see of them.
   */
  @Override
  public Set<Feature> supports(String model) {
    return EnumSet.of(
        Feature.TEMPERATURE,
        Feature.TOP_P,
        Feature.SEED,
        Feature.USER,
        Feature.MAX_OUTPUT_TOKENS,
        Feature.IMAGES,
        Feature.TOOLS,
        Feature.PARALLEL_TOOL_CALLS);
  }

  @Override
  public LlmOutcome stream(LlmRequest request, DeltaSink sink, CancelSignal cancel) {
    int promptTokens = tokens.count(request.messages());
    List<ToolCall> calls = DemoTools.calls(request);
    if (!calls.isEmpty()) {
      DemoTools.stream(calls, sink);
      int written = calls.stream().mapToInt(call -> tokens.count(call.arguments()) + 3).sum();
      return new LlmOutcome.Completed(
          FinishReason.TOOL_CALLS, new Usage(promptTokens, written, false));
    }
    String afterTools = DemoTools.afterResults(request);
    String reply =
        afterTools != null
            ? afterTools
            : summarising(request)
                ? summary(lastUserMessage(request))
                : reply(lastUserMessage(request)) + seen(request);
    long started = System.nanoTime();
    int completionTokens = 0;
    Matcher piece = PIECES.matcher(reply);
    Integer limit = request.options().maxOutputTokens();
    while (piece.find()) {
      if (limit != null && completionTokens + tokens.count(piece.group()) > limit) {
        return new LlmOutcome.Completed(
            FinishReason.LENGTH, new Usage(promptTokens, completionTokens, false));
      }
      // Pace by tokens sent so far against the start time, so the rate holds without drift.
      long dueNanos = started + (long) (completionTokens * 1e9 / settings.tokensPerSecond());
      long waitNanos = dueNanos - System.nanoTime();
      if (waitNanos > 0 ? cancel.await(Duration.ofNanos(waitNanos)) : cancel.isCancelled()) {
        return new LlmOutcome.Cancelled(new Usage(promptTokens, completionTokens, false));
      }
      sink.accept(piece.group());
      completionTokens += tokens.count(piece.group());
    }
    return new LlmOutcome.Completed(
        FinishReason.STOP, new Usage(promptTokens, completionTokens, false));
  }

  static String reply(String prompt) {
    String[] words = prompt.strip().split("\\s+");
    List<String> quoted = new ArrayList<>();
    for (int i = 0; i < Math.min(words.length, 12); i++) {
      quoted.add(words[i]);
    }
    String echo = String.join(" ", quoted) + (words.length > 12 ? " …" : "");
    int pick = Math.floorMod(prompt.hashCode(), CLOSINGS.size());
    return "Hello! I am the demo provider: no language model was called. You wrote "
        + words.length
        + (words.length == 1 ? " word" : " words")
        + ", beginning with \""
        + echo
        + "\". "
        + CLOSINGS.get(pick)
        + " "
        + CLOSINGS.get((pick + 1) % CLOSINGS.size());
  }

  private static boolean summarising(LlmRequest request) {
    return !request.messages().isEmpty()
        && request.messages().getFirst().role() == LlmRequest.Role.SYSTEM
        && request.messages().getFirst().text().startsWith(SummaryPrompt.OPENING);
  }

  /** The demo's summary of the engine's summarising material: nothing a user said is lost. */
  static String summary(String material) {
    List<String> lines = new ArrayList<>();
    boolean earlier = false;
    for (String line : material.split("\n")) {
      if (line.equals("Earlier summary:") || line.equals("Conversation:")) {
        earlier = line.equals("Earlier summary:");
      } else if (earlier && !line.isBlank()) {
        lines.add(line);
      } else if (line.startsWith("User: ")) {
        String said = line.substring("User: ".length()).strip();
        lines.add(
            "- The user said: " + (said.length() > 160 ? said.substring(0, 160) + " …" : said));
      }
    }
    return String.join("\n", lines);
  }

  /** What the demo can say of the images in the last user message: how many there are. */
  private static String seen(LlmRequest request) {
    for (int i = request.messages().size() - 1; i >= 0; i--) {
      LlmRequest.ChatMessage message = request.messages().get(i);
      if (message.role() == LlmRequest.Role.USER) {
        long images =
            message.parts().stream().filter(part -> part instanceof ContentPart.Image).count();
        return images == 0 ? "" : " You sent " + images + (images == 1 ? " image." : " images.");
      }
    }
    return "";
  }

  private static String lastUserMessage(LlmRequest request) {
    for (int i = request.messages().size() - 1; i >= 0; i--) {
      LlmRequest.ChatMessage message = request.messages().get(i);
      if (message.role() == LlmRequest.Role.USER) {
        return message.text();
      }
    }
    return "";
  }
}
