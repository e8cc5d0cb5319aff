package dev.grizz.engine.responses;

import dev.grizz.engine.agent.DirectToolLoop;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.InvalidRequestException;
import dev.grizz.engine.llm.LlmRequest;
import dev.grizz.engine.llm.UnsupportedFeatureException;
import dev.grizz.engine.responses.ResponsesErrors.RefusedException;
import dev.grizz.engine.tool.ToolRegistry;
import dev.grizz.engine.tool.ToolSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What answering a Responses API request takes, whether the request waits for it or a worker runs
 * it in the background: the request read (the engine's tools named by type resolved for the user),
 * its context made into the typed request, and the completion run through the one answering
 * pipeline ({@link DirectToolLoop}), with the typed model's refusals named in this API's terms.
 */
@Component
class ResponseAnswers {

  private final DirectToolLoop completions;
  private final ToolRegistry tools;
  private final ToolSettings toolSettings;

  ResponseAnswers(DirectToolLoop completions, ToolRegistry tools, ToolSettings toolSettings) {
    this.completions = completions;
    this.tools = tools;
    this.toolSettings = toolSettings;
  }

  ResponsesRequests.Parsed parse(UUID userId, JsonNode body) {
    // Listed only when a tool names a type other than function: an MCP server's tools are read
    // from it.
    ResponsesTools.EngineTools engine =
        namesEngineTools(body)
            ? new ResponsesTools.EngineTools(tools.available(userId), toolSettings::needsApproval)
            : ResponsesTools.EngineTools.NONE;
    return ResponsesRequests.parse(body, engine);
  }

  private static boolean namesEngineTools(JsonNode body) {
    for (JsonNode tool : body.path("tools")) {
      if (!tool.path("type").asString("").equals("function")) {
        return true;
      }
    }
    return false;
  }

  /** The typed request: the instructions, then the context's messages. */
  LlmRequest request(ResponsesRequests.Parsed request, ResponsesInput.Context context) {
    if (context.messages().isEmpty()) {
      throw RefusedException.invalid("input", "there is no input to answer.");
    }
    List<LlmRequest.ChatMessage> messages = new ArrayList<>();
    if (request.instructions() != null && !request.instructions().isEmpty()) {
      messages.add(new LlmRequest.ChatMessage(LlmRequest.Role.SYSTEM, request.instructions()));
    }
    messages.addAll(context.messages());
    try {
      return new LlmRequest(
          request.model(), messages, request.tools(), request.toolChoice(), request.options());
    } catch (InvalidRequestException e) {
      throw RefusedException.of(e);
    }
  }

  DirectToolLoop.Result complete(
      UUID userId,
      @Nullable UUID apiKeyId,
      LlmRequest llm,
      ResponsesRequests.Parsed request,
      DeltaSink sink,
      Consumer<DirectToolLoop.ServerCall> onServerCall,
      CancelSignal cancel) {
    try {
      return completions.complete(
          userId, apiKeyId, llm, request.serverTools(), sink, onServerCall, cancel);
    } catch (InvalidRequestException e) {
      throw RefusedException.of(e);
    } catch (UnsupportedFeatureException e) {
      throw RefusedException.of(e);
    }
  }
}
