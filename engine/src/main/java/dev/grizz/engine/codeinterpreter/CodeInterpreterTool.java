package dev.grizz.engine.codeinterpreter;

import dev.grizz.engine.file.StoredFile;
import dev.grizz.engine.sandbox.ExecResult;
import dev.grizz.engine.sandbox.SandboxException;
import dev.grizz.engine.tool.Tool;
import dev.grizz.engine.tool.ToolDefinition;
import dev.grizz.engine.tool.ToolFile;
import dev.grizz.engine.tool.ToolInput;
import dev.grizz.engine.tool.ToolLimits;
import dev.grizz.engine.tool.ToolOutput;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code code_interpreter}: Python 3 in the conversation's sandboxed session ({@link
 * CodeSessions}). The model is told what the code printed, its error, and the files it wrote, which
 * the user is shown (charts inline).
 */
@Component
class CodeInterpreterTool implements Tool {

  static final String NAME = "code_interpreter";

  /** Starting a session and copying the conversation's files in, beyond the call's own limit. */
  private static final Duration START_ALLOWANCE = Duration.ofSeconds(30);

  private final CodeSessions sessions;
  private final ToolDefinition definition;

  CodeInterpreterTool(CodeSessions sessions, SandboxSettings settings, JsonMapper json) {
    this.sessions = sessions;
    this.definition =
        ToolDefinition.builtin(
            NAME,
            "Runs Python 3 in a sandboxed session that belongs to this conversation: variables,"
                + " imports and files last from one call to the next. numpy, pandas and"
                + " matplotlib are installed; there is no network. The user's uploaded files are"
                + " in /mnt/data; save files there (charts as PNG with matplotlib, tables as CSV)"
                + " to give them to the user, who sees images inline. Print what you need to"
                + " see; the value of a last bare expression is printed too.",
            json.readTree(
                """
                {"type": "object",
                 "properties": {"code": {"type": "string",
                   "description": "The Python code to run"}},
                 "required": ["code"],
                 "additionalProperties": false}
                """),
            ToolLimits.DEFAULT.withTimeout(settings.callTimeout().plus(START_ALLOWANCE)));
  }

  @Override
  public ToolDefinition definition() {
    return definition;
  }

  @Override
  public boolean enabled() {
    return sessions.enabled();
  }

  @Override
  public ToolOutput call(ToolInput input) {
    String code = input.arguments().path("code").asString("");
    if (code.isBlank()) {
      return ToolOutput.error("There is no code to run: pass it as 'code'.");
    }
    if (input.conversationId() == null) {
      return ToolOutput.error("code_interpreter runs only within a conversation.");
    }
    CodeSessions.Ran ran;
    try {
      ran =
          sessions.run(
              input.userId(),
              input.conversationId(),
              code,
              input.cancel(),
              (stream, text) ->
                  input.progress().output(stream.name().toLowerCase(Locale.ROOT), text));
    } catch (SandboxException e) {
      return ToolOutput.error(e.getMessage());
    }
    return new ToolOutput(
        describe(ran),
        ran.result().status() != ExecResult.Status.OK,
        ran.files().stream()
            .map(f -> new ToolFile(f.id(), f.name(), f.mediaType(), f.size()))
            .toList());
  }

  /** What the model reads of a call. */
  static String describe(CodeSessions.Ran ran) {
    ExecResult result = ran.result();
    StringBuilder out = new StringBuilder();
    if (ran.restarted()) {
      out.append(
          "[A new session was started: the earlier one ended (idle, or on another engine"
              + " instance). Variables from earlier calls are gone; the files in /mnt/data were"
              + " restored.]\n");
    }
    section(out, "stdout", result.stdout());
    section(out, "stderr", result.stderr());
    switch (result.status()) {
      case OK -> {}
      case ERROR -> section(out, "error", String.valueOf(result.error()));
      case TIMEOUT ->
          out.append("The code was stopped at its time limit (")
              .append(result.error() == null ? "time limit" : result.error())
              .append("); the session and its variables are kept.\n");
      case KILLED ->
          out.append("The session was stopped: ")
              .append(result.error() == null ? "it died" : result.error())
              .append(". Its variables are gone; files in /mnt/data are kept.\n");
    }
    if (result.truncated()) {
      out.append("[The output was cut at its size limit.]\n");
    }
    List<StoredFile> files = ran.files();
    if (!files.isEmpty()) {
      out.append("Files written to /mnt/data (the user is shown them):");
      for (StoredFile file : files) {
        out.append("\n- ")
            .append(file.name())
            .append(" (")
            .append(file.mediaType())
            .append(", ")
            .append(file.size())
            .append(" bytes)");
      }
      out.append('\n');
    }
    if (out.isEmpty()) {
      out.append("The code ran and printed nothing.");
    }
    return out.toString().strip();
  }

  private static void section(StringBuilder out, String name, String text) {
    if (!text.isEmpty()) {
      out.append(name).append(":\n").append(text);
      if (!text.endsWith("\n")) {
        out.append('\n');
      }
    }
  }
}
