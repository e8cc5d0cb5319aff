package dev.grizz.engine.tool;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.grizz.engine.llm.CancelSignal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way the engine runs a tool call: the model's argument text is parsed and checked against
 * the tool's schema (a mismatch is an error result, and the tool does not run), the tool runs on
 * its own virtual thread within its time limit, and its result is cut to its size limit, visibly.
 * No outcome escapes as an exception.
 */
@Component
public class ToolCalls {

  private static final int MAX_SCHEMA_ERRORS = 5;

  private final JsonMapper json;
  private final SchemaRegistry schemas =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

  ToolCalls(JsonMapper json) {
    this.json = json;
  }

  /** Runs {@code tool} with the model's argument text, for {@code userId}. */
  public ToolRun run(
      Tool tool,
      String arguments,
      UUID userId,
      @Nullable UUID conversationId,
      CancelSignal cancel) {
    return run(tool, arguments, userId, conversationId, cancel, ToolProgress.NONE);
  }

  /** As {@link #run(Tool, String, UUID, UUID, CancelSignal)}, showing its progress there. */
  public ToolRun run(
      Tool tool,
      String arguments,
      UUID userId,
      @Nullable UUID conversationId,
      CancelSignal cancel,
      ToolProgress progress) {
    ToolDefinition definition = tool.definition();
    JsonNode args;
    try {
      args = arguments.isBlank() ? json.createObjectNode() : json.readTree(arguments);
    } catch (JacksonException e) {
      return ToolRun.refused(
          ToolRun.Status.INVALID_ARGUMENTS,
          "The arguments are not valid JSON ("
              + e.getOriginalMessage()
              + "). Call again with a"
              + " JSON object that matches the tool's schema.");
    }
    String problems = check(definition, args);
    if (problems != null) {
      return ToolRun.refused(
          ToolRun.Status.INVALID_ARGUMENTS,
          "The arguments do not match the tool's schema: "
              + problems
              + ". The tool did not run; call again with corrected arguments.");
    }
    return execute(tool, new ToolInput(args, userId, conversationId, cancel.child(), progress));
  }

  private ToolRun execute(Tool tool, ToolInput input) {
    ToolLimits limits = tool.definition().limits();
    long started = System.nanoTime();
    FutureTask<ToolOutput> task = new FutureTask<>(() -> tool.call(input));
    Thread.ofVirtual().name("tool-" + tool.definition().name()).start(task);
    input.cancel().onCancel(() -> task.cancel(true));
    ToolRun.Status status;
    String content;
    List<ToolFile> files = List.of();
    try {
      ToolOutput output = task.get(limits.timeout().toNanos(), TimeUnit.NANOSECONDS);
      if (input.cancel().isCancelled()) {
        // Cancelled while it ran: a tool that heeds its signal returns at once, as if it had won.
        status = ToolRun.Status.CANCELLED;
        content = "The call was cancelled.";
      } else {
        status = output.error() ? ToolRun.Status.ERROR : ToolRun.Status.OK;
        content = output.content();
        files = output.files();
      }
    } catch (TimeoutException e) {
      input.cancel().cancel();
      status = ToolRun.Status.TIMEOUT;
      content =
          "The tool did not answer within "
              + seconds(limits.timeout())
              + " and was stopped. Try a smaller request, or go on without it.";
    } catch (CancellationException e) {
      status = ToolRun.Status.CANCELLED;
      content = "The call was cancelled.";
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      status = ToolRun.Status.ERROR;
      content =
          "The tool failed: "
              + (cause.getMessage() == null
                  ? cause.getClass().getSimpleName()
                  : cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      input.cancel().cancel();
      status = ToolRun.Status.CANCELLED;
      content = "The call was cancelled.";
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    int max = limits.maxResultChars();
    if (content.length() <= max) {
      return new ToolRun(status, content, took, false, files);
    }
    String cut =
        content.substring(0, max)
            + "\n[truncated: the first "
            + max
            + " of "
            + content.length()
            + " characters]";
    return new ToolRun(status, cut, took, true, files);
  }

  /** Why {@code args} does not match the tool's schema, or null when it does. */
  private @Nullable String check(ToolDefinition definition, JsonNode args) {
    if (!args.isObject()) {
      return "they must be a JSON object";
    }
    Schema schema =
        compiled.computeIfAbsent(
            definition.source() + "\u0000" + definition.name() + "\u0000" + definition.parameters(),
            key -> schemas.getSchema(definition.parameters()));
    List<Error> errors = schema.validate(args);
    if (errors.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(errors.size(), MAX_SCHEMA_ERRORS); i++) {
      if (i > 0) {
        out.append("; ");
      }
      out.append(errors.get(i).toString());
    }
    if (errors.size() > MAX_SCHEMA_ERRORS) {
      out.append("; and ").append(errors.size() - MAX_SCHEMA_ERRORS).append(" more");
    }
    return out.toString();
  }

  private static String seconds(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
