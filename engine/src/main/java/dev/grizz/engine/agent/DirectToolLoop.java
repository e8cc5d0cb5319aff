package dev.grizz.engine.agent;

import dev.grizz.engine.audit.AuditLog;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.ContentPart;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.LlmRequest.ChatMessage;
import dev.grizz.engine.llm.ModelRef;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.llm.ToolCallDelta;
import dev.grizz.engine.llm.ToolChoice;
import dev.grizz.engine.llm.Usage;
import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolCalls;
import dev.grizz.engine.tool.ToolRun;
import dev.grizz.engine.tool.ToolSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * A {@code /v1} completion that may call the engine's own tools (the Responses API's hosted tools):
 * while the model's answer calls only those, they run (the calls of one answer side by side), the
 * answer and the results join the messages and the model is asked again, up to {@code
 * grizz.tools.max-rounds} rounds and then once more without tools. Every round is a {@link
 * DirectCompletions#complete} of its own, so each is admitted, checked and billed as any other.
 *
 * <p>An answer that also calls one of the caller's function tools ends the loop: its server calls
 * run first and stay in the rounds (so a stored response reads them back as context), and the
 * answer goes back to the caller with only its function calls, for the caller to run. Nobody can
 * approve a call here, so the caller must not offer a tool that needs approval (the API refuses
 * it). The calls are not tied to a conversation, and are audited as {@code tool.call} on {@code
 * response}.
 */
@Service
public class DirectToolLoop {

  /** One call of an engine tool and how it ended. */
  public record ServerCall(ToolCall call, ToolRun run) {}

  /**
   * One answer of the model: its completion (with only the caller's function calls) and the engine
   * tools it called, run.
   */
  public record Round(Completion completion, List<ServerCall> serverCalls) {}

  /** Every round, oldest first, and the usage summed over them. */
  public record Result(List<Round> rounds, Usage usage) {

    public Result {
      rounds = List.copyOf(rounds);
    }

    /** The last answer: the one whose outcome stands. */
    public Completion completion() {
      return rounds.getLast().completion();
    }
  }

  private final DirectCompletions completions;
  private final ToolCalls calls;
  private final ToolSettings settings;
  private final AuditLog audit;
  private final dev.grizz.engine.moderation.ModerationService moderation;

  DirectToolLoop(
      DirectCompletions completions,
      ToolCalls calls,
      ToolSettings settings,
      AuditLog audit,
      dev.grizz.engine.moderation.ModerationService moderation) {
    this.moderation = moderation;
    this.completions = completions;
    this.calls = calls;
    this.settings = settings;
    this.audit = audit;
  }

  /**
   * Completes {@code request}, whose tools include the specs of {@code serverTools}, running the
   * calls of those. {@code sink} sees every round's text and reasoning as it streams, and the
   * caller's function calls (whole) once the last answer is in; {@code ran} hears each run server
   * call, in the answer's order.
   */
  public Result complete(
      UUID userId,
      @Nullable UUID apiKeyId,
      LlmRequest request,
      List<Tool> serverTools,
      DeltaSink sink,
      Consumer<ServerCall> ran,
      CancelSignal cancel) {
    if (serverTools.isEmpty()) {
      Completion only = completions.complete(userId, apiKeyId, request, sink, cancel);
      return new Result(List.of(new Round(only, List.of())), only.usage());
    }
    Map<String, Tool> byName = new LinkedHashMap<>();
    serverTools.forEach(tool -> byName.put(tool.definition().name(), tool));
    List<ChatMessage> messages = new ArrayList<>(request.messages());
    List<Round> rounds = new ArrayList<>();
    Usage total = null;
    LlmRequest next = request;
    for (int round = 0; ; round++) {
      Completion answer = completions.complete(userId, apiKeyId, next, new CallsHeld(sink), cancel);
      total = total == null ? answer.usage() : plus(total, answer.usage());
      List<ToolCall> server = new ArrayList<>();
      List<ToolCall> function = new ArrayList<>();
      for (ToolCall call : answer.toolCalls()) {
        (byName.containsKey(call.name()) ? server : function).add(call);
      }
      boolean last =
          server.isEmpty()
              || round >= settings.maxRounds()
              || !(answer.outcome() instanceof LlmOutcome.Completed)
              || cancel.isCancelled();
      if (last) {
        // A call of a server tool the model made anyway (after the last round) goes unanswered.
        forward(sink, function);
        rounds.add(new Round(answer.withToolCalls(function), List.of()));
        return new Result(rounds, total);
      }
      List<ToolCall> named = new ArrayList<>();
      for (int i = 0; i < server.size(); i++) {
        ToolCall call = server.get(i);
        String id = call.id().isEmpty() ? "call_grizz_" + messages.size() + "_" + i : call.id();
        named.add(new ToolCall(id, call.name(), call.arguments()));
      }
      List<ServerCall> results = run(named, byName, userId, cancel);
      results.forEach(ran);
      // The vendor's signed reasoning goes back with the calls it led to (Anthropic wants it).
      List<ContentPart> said = new ArrayList<>(answer.thinking());
      if (!answer.text().isEmpty()) {
        said.add(new ContentPart.Text(answer.text()));
      }
      messages.add(new ChatMessage(LlmRequest.Role.ASSISTANT, said, named, null));
      results.forEach(
          result ->
              messages.add(ChatMessage.toolResult(result.call().id(), result.run().content())));
      rounds.add(new Round(answer.withToolCalls(function), results));
      if (!function.isEmpty()) {
        forward(sink, function);
        return new Result(rounds, total);
      }
      // A forced choice (required, or one tool by name) is for the first answer: kept, it would
      // make every round call a tool until the limit.
      boolean toolsLeft = round + 1 < settings.maxRounds();
      next =
          new LlmRequest(
              request.model(),
              messages,
              toolsLeft ? request.tools() : List.of(),
              ToolChoice.AUTO,
              request.options(),
              request.anthropicBetas());
    }
  }

  private List<ServerCall> run(
      List<ToolCall> server, Map<String, Tool> byName, UUID userId, CancelSignal cancel) {
    List<Future<ToolRun>> runs = new ArrayList<>();
    try (ExecutorService side = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < server.size(); i++) {
        ToolCall call = server.get(i);
        Tool tool = byName.get(call.name());
        if (i >= settings.maxCallsPerRound() || tool == null) {
          runs.add(
              java.util.concurrent.CompletableFuture.completedFuture(
                  ToolRun.refused(
                      ToolRun.Status.ERROR,
                      "At most "
                          + settings.maxCallsPerRound()
                          + " tool calls run per answer; this one did not. Make fewer calls at"
                          + " once.")));
        } else {
          runs.add(side.submit(() -> calls.run(tool, call.arguments(), userId, null, cancel)));
        }
      }
      List<ServerCall> results = new ArrayList<>();
      for (int i = 0; i < server.size(); i++) {
        ToolCall call = server.get(i);
        ToolRun run = moderated(outcome(runs.get(i)), userId);
        results.add(new ServerCall(call, run));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tool", call.name());
        details.put("outcome", run.status().wire());
        details.put("duration_ms", run.duration().toMillis());
        Tool tool = byName.get(call.name());
        if (tool != null) {
          details.put("source", tool.definition().source());
          if (tool.definition().costCents() != null) {
            details.put("cost_cents", tool.definition().costCents());
          }
        }
        audit.record(userId, "tool.call", "response", call.id(), details);
      }
      return results;
    }
  }

  /** A result the content policy blocks is withheld from the caller and the model alike. */
  private ToolRun moderated(ToolRun run, UUID userId) {
    if (!run.ok()
        || run.content().isBlank()
        || !moderation.checkOutput(userId, null, run.content()).blocked()) {
      return run;
    }
    return new ToolRun(
        ToolRun.Status.ERROR,
        "The result was withheld by the engine's content policy.",
        run.duration(),
        false);
  }

  private static ToolRun outcome(Future<ToolRun> run) {
    try {
      return run.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ToolRun.refused(ToolRun.Status.CANCELLED, "The call was cancelled.");
    } catch (ExecutionException e) {
      return ToolRun.refused(ToolRun.Status.ERROR, "The tool failed: " + e.getCause());
    }
  }

  private static void forward(DeltaSink sink, List<ToolCall> function) {
    for (int i = 0; i < function.size(); i++) {
      ToolCall call = function.get(i);
      sink.toolCall(new ToolCallDelta(i, call.id(), call.name(), call.arguments()));
    }
  }

  /** Summed counts; a count one round did not report makes the sum unknown, never too low. */
  static Usage plus(Usage a, Usage b) {
    return new Usage(
        sum(a.promptTokens(), b.promptTokens()),
        sum(a.completionTokens(), b.completionTokens()),
        a.estimated() || b.estimated(),
        sum(a.cachedPromptTokens(), b.cachedPromptTokens()),
        sum(a.reasoningTokens(), b.reasoningTokens()),
        sum(a.cacheWriteTokens(), b.cacheWriteTokens()));
  }

  private static @Nullable Integer sum(@Nullable Integer a, @Nullable Integer b) {
    return a == null || b == null ? null : a + b;
  }

  /**
   * Passes text and reasoning through as they stream and holds tool-call pieces back: which calls
   * are the caller's is known only once the answer is whole.
   */
  private record CallsHeld(DeltaSink sink) implements DeltaSink {

    @Override
    public void accept(String text) {
      sink.accept(text);
    }

    @Override
    public void reasoning(String text) {
      sink.reasoning(text);
    }

    @Override
    public void toolCall(ToolCallDelta delta) {
      // held: see the record's comment
    }

    @Override
    public void thinkingSignature(String signature) {
      sink.thinkingSignature(signature);
    }

    @Override
    public void redactedThinking(String data) {
      sink.redactedThinking(data);
    }

    @Override
    public void attempting(ModelRef model) {
      sink.attempting(model);
    }
  }
}
