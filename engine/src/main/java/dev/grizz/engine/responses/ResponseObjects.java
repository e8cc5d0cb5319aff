package dev.grizz.engine.responses;

import dev.grizz.engine.agent.DirectToolLoop;
import dev.grizz.engine.llm.Completion;
import dev.grizz.engine.llm.ErrorCode;
import dev.grizz.engine.llm.FinishReason;
import dev.grizz.engine.llm.LlmOutcome;
import dev.grizz.engine.llm.ToolCall;
import dev.grizz.engine.llm.ToolCallDelta;
import dev.grizz.engine.llm.Usage;
import dev.grizz.engine.tool.ToolRun;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the Responses API's response object: the request's settings echoed as OpenAI echoes them
 * (its defaults where the request left a field out), the output items, status and usage.
 */
final class ResponseObjects {

  private final JsonMapper json;
  private final ResponsesRequests.Parsed request;
  private final String id;
  private final long createdAt;

  ResponseObjects(JsonMapper json, ResponsesRequests.Parsed request, String id, long createdAt) {
    this.json = json;
    this.request = request;
    this.id = id;
    this.createdAt = createdAt;
  }

  /**
   * The output items of an answer read whole (not streamed), round by round: each round's
   * reasoning, text, the engine's tool calls it made and (in the last) the caller's function calls,
   * in that order, numbered as a stream of them would be.
   */
  ArrayNode output(String responseHex, List<DirectToolLoop.Round> rounds) {
    ResponseOutput output =
        new ResponseOutput(json, responseHex, event -> {}, model -> json.createObjectNode());
    for (DirectToolLoop.Round round : rounds) {
      Completion completion = round.completion();
      if (!completion.reasoning().isEmpty()) {
        output.reasoning(completion.reasoning());
      }
      if (!completion.text().isEmpty()) {
        output.accept(completion.text());
      }
      round.serverCalls().forEach(call -> serverCall(output, call));
      List<ToolCall> calls = completion.toolCalls();
      for (int i = 0; i < calls.size(); i++) {
        ToolCall call = calls.get(i);
        output.toolCall(new ToolCallDelta(i, call.id(), call.name(), call.arguments()));
      }
    }
    return output.finish();
  }

  /** A server call as its output item: a failed call's text is its error, with no output. */
  static void serverCall(ResponseOutput output, DirectToolLoop.ServerCall call) {
    ToolRun run = call.run();
    output.serverCall(
        call.call().name(),
        call.call().arguments(),
        run.ok() ? run.content() : null,
        run.ok() ? null : run.content());
  }

  /** A background response before a worker answers it. */
  ObjectNode queued(String model) {
    return build(model, "queued", json.createArrayNode(), null);
  }

  /** The response while the answer streams: no output yet. */
  ObjectNode inProgress(String model) {
    return build(model, "in_progress", json.createArrayNode(), null);
  }

  /**
   * The finished response. A cut answer is {@code incomplete} ({@code max_output_tokens}), as is
   * one a content filter ended ({@code content_filter}); any other failure after the answer began
   * is {@code failed} with the error; one the caller walked away from is {@code cancelled}. {@code
   * usage} is that of every round the answer took.
   */
  ObjectNode finished(String model, ArrayNode output, Completion completion, Usage usage) {
    LlmOutcome outcome = completion.outcome();
    String status = "completed";
    String incomplete = null;
    ObjectNode error = null;
    switch (outcome) {
      case LlmOutcome.Completed done -> {
        if (done.reason() == FinishReason.LENGTH) {
          status = "incomplete";
          incomplete = "max_output_tokens";
        }
      }
      case LlmOutcome.Cancelled cancelled -> status = "cancelled";
      case LlmOutcome.Failed failed -> {
        if (failed.code().equals(ErrorCode.CONTENT_FILTERED)) {
          status = "incomplete";
          incomplete = "content_filter";
        } else {
          status = "failed";
          // OpenAI's response error codes are a closed set; the engine's code leads the message.
          error =
              json.createObjectNode()
                  .put(
                      "code",
                      failed.code().equals(ErrorCode.RATE_LIMITED)
                          ? "rate_limit_exceeded"
                          : "server_error")
                  .put("message", failed.code() + ": " + failed.message());
        }
      }
    }
    ObjectNode response = build(model, status, output, usage);
    if (incomplete != null) {
      response.putObject("incomplete_details").put("reason", incomplete);
    }
    response.set("error", error);
    return response;
  }

  private ObjectNode build(String model, String status, ArrayNode output, @Nullable Usage usage) {
    JsonNode body = request.body();
    ObjectNode response = json.createObjectNode();
    response.put("id", id);
    response.put("object", "response");
    response.put("created_at", createdAt);
    response.put("status", status);
    response.put("background", request.background());
    response.putNull("error");
    response.putNull("incomplete_details");
    response.put("instructions", request.instructions());
    echo(response, body, "max_output_tokens");
    response.put("model", model);
    response.set("output", output);
    response.put("parallel_tool_calls", body.path("parallel_tool_calls").asBoolean(true));
    response.put("previous_response_id", request.previousResponseId());
    ObjectNode reasoning = response.putObject("reasoning");
    reasoning.set("effort", orNull(body.path("reasoning").path("effort")));
    reasoning.set("summary", orNull(body.path("reasoning").path("summary")));
    response.put("service_tier", "default");
    response.put("store", request.store());
    response.put("temperature", body.path("temperature").asDouble(1.0));
    ObjectNode text = response.putObject("text");
    JsonNode format = body.path("text").path("format");
    if (format.isObject()) {
      text.set("format", format);
    } else {
      text.putObject("format").put("type", "text");
    }
    JsonNode choice = body.path("tool_choice");
    response.set("tool_choice", choice.isMissingNode() || choice.isNull() ? text("auto") : choice);
    response.set("tools", tools(body.path("tools")));
    response.put("top_p", body.path("top_p").asDouble(1.0));
    response.put("truncation", "disabled");
    response.set("usage", usage == null ? null : usage(usage));
    echo(response, body, "user");
    JsonNode metadata = body.path("metadata");
    response.set("metadata", metadata.isObject() ? metadata : json.createObjectNode());
    return response;
  }

  /**
   * The tools echoed: function tools as sent, the engine's tools as the one hosted MCP server
   * ({@code grizz}) they are shown as calls of, since OpenAI's clients know no other tool types.
   */
  private ArrayNode tools(JsonNode sent) {
    ArrayNode tools = json.createArrayNode();
    ArrayNode engine = json.createArrayNode();
    for (JsonNode tool : sent) {
      if (tool.path("type").asString("").equals("function")) {
        tools.add(tool);
      } else {
        engine.add(tool.path("type").asString(""));
      }
    }
    if (!engine.isEmpty()) {
      ObjectNode server = tools.addObject().put("type", "mcp").put("server_label", "grizz");
      server.set("allowed_tools", engine);
      server.put("require_approval", "never");
    }
    return tools;
  }

  private ObjectNode usage(Usage usage) {
    int input = usage.promptTokens() == null ? 0 : usage.promptTokens();
    int output = usage.completionTokens() == null ? 0 : usage.completionTokens();
    ObjectNode node = json.createObjectNode();
    node.put("input_tokens", input);
    // OpenAI's clients require every count (its Java SDK's models refuse an absent one): a count no
    // vendor reported is 0 here. Cache writes are not counted by the typed model.
    node.putObject("input_tokens_details")
        .put("cached_tokens", usage.cachedPromptTokens() == null ? 0 : usage.cachedPromptTokens())
        .put("cache_write_tokens", 0);
    node.put("output_tokens", output);
    node.putObject("output_tokens_details")
        .put("reasoning_tokens", usage.reasoningTokens() == null ? 0 : usage.reasoningTokens());
    node.put("total_tokens", input + output);
    return node;
  }

  private JsonNode text(String value) {
    return json.getNodeFactory().stringNode(value);
  }

  private JsonNode orNull(JsonNode value) {
    return value.isMissingNode() ? json.getNodeFactory().nullNode() : value;
  }

  private void echo(ObjectNode response, JsonNode body, String field) {
    response.set(field, orNull(body.path(field)));
  }
}
