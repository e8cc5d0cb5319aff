package dev.grizz.engine.responses;

import dev.grizz.engine.llm.DeltaSink;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.ModelRef;
import dev.grizz.engine.llm.ToolCallDelta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The output items of a response, put together as the answer streams, with the Responses API's
 * events for each step when the caller streams: {@code response.created} and {@code
 * response.in_progress} with the first piece (so a request every provider failed still gets an
 * error status, not a 200 with an empty stream, and the events name the model that answers), then
 * per item {@code output_item.added}, its content's events and {@code output_item.done}. A message
 * item is {@code content_part.added}, {@code output_text.delta}s, {@code output_text.done}, {@code
 * content_part.done}; a function call is {@code function_call_arguments.delta}s and {@code .done};
 * the model's reasoning, where its vendor relays it, is a reasoning item whose one summary part
 * holds it ({@code reasoning_summary_part.added}, {@code reasoning_summary_text.delta}s, ...): the
 * summary is what OpenAI's clients show. Items are numbered in the order their first piece came; a
 * message or reasoning item ends when another item begins, function calls (which a vendor may
 * stream side by side) when the answer ends.
 */
final class ResponseOutput implements DeltaSink {

  private final JsonMapper json;
  private final String responseHex;
  private final Consumer<ObjectNode> events;
  private final Function<String, ObjectNode> inProgress;
  private final List<Item> items = new ArrayList<>();
  private final Map<Integer, Item> calls = new HashMap<>();
  private @Nullable Item open;
  private String model = LlmRouter.AUTO;
  private boolean started;
  private int sequence;

  /**
   * @param responseHex the response's id without its {@code resp_}, which item ids embed
   * @param events where each event goes; a no-op when the caller does not stream
   * @param inProgress the response object, in progress, for a model label
   */
  ResponseOutput(
      JsonMapper json,
      String responseHex,
      Consumer<ObjectNode> events,
      Function<String, ObjectNode> inProgress) {
    this.json = json;
    this.responseHex = responseHex;
    this.events = events;
    this.inProgress = inProgress;
  }

  private enum Kind {
    MESSAGE("msg"),
    REASONING("rs"),
    CALL("fc"),
    SERVER_CALL("mcp");

    final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }
  }

  private static final class Item {
    final Kind kind;
    final int index;
    final String id;
    final StringBuilder text = new StringBuilder();
    String callId = "";
    String name = "";
    @Nullable String result;
    @Nullable String error;
    boolean done;

    Item(Kind kind, int index, String id) {
      this.kind = kind;
      this.index = index;
      this.id = id;
    }
  }

  /** The model that answers, once the router has said. */
  String model() {
    return model;
  }

  /** Whether any event has gone out (the stream has begun). */
  boolean started() {
    return started;
  }

  @Override
  public void attempting(ModelRef candidate) {
    model = candidate.label();
  }

  @Override
  public void accept(String delta) {
    Item item = open != null && open.kind == Kind.MESSAGE ? open : begin(Kind.MESSAGE);
    item.text.append(delta);
    ObjectNode event =
        piece("response.output_text.delta", item).put("content_index", 0).put("delta", delta);
    event.putArray("logprobs");
    emit(event);
  }

  @Override
  public void reasoning(String delta) {
    Item item = open != null && open.kind == Kind.REASONING ? open : begin(Kind.REASONING);
    item.text.append(delta);
    emit(
        piece("response.reasoning_summary_text.delta", item)
            .put("summary_index", 0)
            .put("delta", delta));
  }

  @Override
  public void toolCall(ToolCallDelta delta) {
    Item item = calls.get(delta.index());
    if (item == null) {
      item = begin(Kind.CALL, delta);
      calls.put(delta.index(), item);
    } else if (item.name.isEmpty() && delta.name() != null) {
      // A vendor that names the call after its first piece: the done events carry the name.
      item.name = delta.name();
    }
    if (!delta.arguments().isEmpty()) {
      item.text.append(delta.arguments());
      emit(piece("response.function_call_arguments.delta", item).put("delta", delta.arguments()));
    }
  }

  /**
   * A call the engine ran of one of its own tools, as OpenAI's hosted MCP call item ({@code
   * mcp_call} on server {@code grizz}, which OpenAI's clients parse): added, arguments, in
   * progress, completed or failed, done, all at once since the call has already run. It ends the
   * open message or reasoning item.
   */
  void serverCall(String name, String arguments, @Nullable String result, @Nullable String error) {
    start();
    if (open != null) {
      close(open);
      open = null;
    }
    int index = items.size();
    Item item =
        new Item(
            Kind.SERVER_CALL, index, Kind.SERVER_CALL.prefix + "_" + responseHex + "_" + index);
    item.name = name;
    item.text.append(arguments);
    items.add(item);
    ObjectNode added = event("response.output_item.added").put("output_index", index);
    added.set("item", item(item, "in_progress"));
    emit(added);
    emit(piece("response.mcp_call_arguments.done", item).put("arguments", arguments));
    emit(piece("response.mcp_call.in_progress", item));
    item.result = error == null ? result : null;
    item.error = error;
    item.done = true;
    emit(piece(error == null ? "response.mcp_call.completed" : "response.mcp_call.failed", item));
    ObjectNode done = event("response.output_item.done").put("output_index", index);
    done.set("item", item(item, "completed"));
    emit(done);
  }

  private Item begin(Kind kind) {
    return begin(kind, null);
  }

  private Item begin(Kind kind, @Nullable ToolCallDelta call) {
    start();
    if (open != null) {
      close(open);
      open = null;
    }
    int index = items.size();
    Item item = new Item(kind, index, kind.prefix + "_" + responseHex + "_" + index);
    if (call != null) {
      item.callId = call.id() != null ? call.id() : "call_" + responseHex + "_" + index;
      item.name = call.name() != null ? call.name() : "";
    } else {
      open = item;
    }
    items.add(item);
    ObjectNode added = event("response.output_item.added").put("output_index", index);
    added.set("item", item(item, "in_progress"));
    emit(added);
    if (kind == Kind.MESSAGE) {
      ObjectNode part = piece("response.content_part.added", item).put("content_index", 0);
      part.set("part", textPart(""));
      emit(part);
    } else if (kind == Kind.REASONING) {
      ObjectNode part = piece("response.reasoning_summary_part.added", item);
      part.put("summary_index", 0).set("part", summaryPart(""));
      emit(part);
    }
    return item;
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    ObjectNode created = event("response.created");
    created.set("response", inProgress.apply(model));
    emit(created);
    ObjectNode progress = event("response.in_progress");
    progress.set("response", inProgress.apply(model));
    emit(progress);
  }

  private void close(Item item) {
    if (item.done) {
      return;
    }
    item.done = true;
    String text = item.text.toString();
    switch (item.kind) {
      case MESSAGE -> {
        ObjectNode textDone =
            piece("response.output_text.done", item).put("content_index", 0).put("text", text);
        textDone.putArray("logprobs");
        emit(textDone);
        ObjectNode part = piece("response.content_part.done", item).put("content_index", 0);
        part.set("part", textPart(text));
        emit(part);
      }
      case REASONING -> {
        emit(
            piece("response.reasoning_summary_text.done", item)
                .put("summary_index", 0)
                .put("text", text));
        ObjectNode part = piece("response.reasoning_summary_part.done", item);
        part.put("summary_index", 0).set("part", summaryPart(text));
        emit(part);
      }
      case SERVER_CALL -> {
        // done when added: see serverCall
      }
      case CALL ->
          emit(
              piece("response.function_call_arguments.done", item)
                  .put("name", item.name)
                  .put("arguments", text));
    }
    ObjectNode done = event("response.output_item.done").put("output_index", item.index);
    done.set("item", item(item, "completed"));
    emit(done);
  }

  /**
   * Ends every open item, in order, and returns the output items. Nothing is sent when nothing
   * streamed: the caller answers with an error instead.
   */
  ArrayNode finish() {
    items.forEach(this::close);
    open = null;
    ArrayNode output = json.createArrayNode();
    items.forEach(item -> output.add(item(item, "completed")));
    return output;
  }

  /** Sends an event that ends the stream ({@code response.completed} and the like). */
  void end(String type, ObjectNode response) {
    start();
    ObjectNode last = event(type);
    last.set("response", response);
    emit(last);
  }

  private ObjectNode item(Item item, String status) {
    ObjectNode node = json.createObjectNode();
    node.put("id", item.id);
    String text = item.text.toString();
    switch (item.kind) {
      case MESSAGE -> {
        node.put("type", "message").put("status", status).put("role", "assistant");
        ArrayNode content = node.putArray("content");
        if (status.equals("completed")) {
          content.add(textPart(text));
        }
      }
      case REASONING -> {
        node.put("type", "reasoning");
        ArrayNode summary = node.putArray("summary");
        if (status.equals("completed")) {
          summary.add(summaryPart(text));
        }
      }
      case CALL ->
          node.put("type", "function_call")
              .put("status", status)
              .put("arguments", status.equals("completed") ? text : "")
              .put("call_id", item.callId)
              .put("name", item.name);
      case SERVER_CALL -> {
        boolean ended = status.equals("completed");
        node.put("type", "mcp_call")
            .put("status", !ended ? "in_progress" : item.error == null ? "completed" : "failed")
            .put("server_label", "grizz")
            .put("name", item.name)
            .put("arguments", text)
            .put("output", ended ? item.result : null)
            .put("error", ended ? item.error : null);
      }
    }
    return node;
  }

  private ObjectNode textPart(String text) {
    ObjectNode part = json.createObjectNode().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  private ObjectNode summaryPart(String text) {
    return json.createObjectNode().put("type", "summary_text").put("text", text);
  }

  private ObjectNode event(String type) {
    return json.createObjectNode().put("type", type);
  }

  private ObjectNode piece(String type, Item item) {
    return event(type).put("item_id", item.id).put("output_index", item.index);
  }

  private ObjectNode emit(ObjectNode event) {
    event.put("sequence_number", sequence++);
    events.accept(event);
    return event;
  }
}
