package dev.grizz.engine.responses;

import dev.grizz.engine.responses.ResponsesErrors.RefusedException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The input items of a stored response as OpenAI lists them ({@code GET
 * /v1/responses/{id}/input_items}): every item the response answered, earlier responses' included,
 * each with an id and a message's content as parts. Items kept without an id (a client sends
 * messages without one) get one made from their place, {@code msg_<response>_in<n>}, the same on
 * every read. Paged by {@code after} (an item id), {@code limit} and {@code order} (newest first by
 * default), as OpenAI pages it.
 */
final class ResponseInputItems {

  private ResponseInputItems() {}

  static ObjectNode list(
      JsonMapper json,
      String responseHex,
      JsonNode context,
      @Nullable Integer limit,
      @Nullable String order,
      @Nullable String after) {
    int size = limit == null ? 20 : limit;
    if (size < 1 || size > 100) {
      throw RefusedException.invalid("limit", "limit must be between 1 and 100.");
    }
    boolean ascending;
    if (order == null || order.equals("desc")) {
      ascending = false;
    } else if (order.equals("asc")) {
      ascending = true;
    } else {
      throw RefusedException.invalid("order", "order is asc or desc.");
    }
    List<JsonNode> items = new ArrayList<>();
    int place = 0;
    for (JsonNode item : context) {
      items.add(listed(json, responseHex, item, place++));
    }
    if (!ascending) {
      items = items.reversed();
    }
    int from = 0;
    if (after != null) {
      from = -1;
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).path("id").asString("").equals(after)) {
          from = i + 1;
        }
      }
      if (from < 0) {
        throw RefusedException.notFound("after", "Item with id '" + after + "' not found.");
      }
    }
    List<JsonNode> page = items.subList(from, Math.min(items.size(), from + size));
    ObjectNode list = json.createObjectNode().put("object", "list");
    ArrayNode data = list.putArray("data");
    page.forEach(data::add);
    list.put("first_id", page.isEmpty() ? null : page.getFirst().path("id").asString());
    list.put("last_id", page.isEmpty() ? null : page.getLast().path("id").asString());
    list.put("has_more", from + page.size() < items.size());
    return list;
  }

  /** An item as listed: with an id, and a message of type message with its content as parts. */
  private static JsonNode listed(JsonMapper json, String responseHex, JsonNode item, int place) {
    // Stored items are objects: ResponsesInput refuses any other.
    ObjectNode copy =
        item instanceof ObjectNode object ? object.deepCopy() : json.createObjectNode();
    String type = item.path("type").asString("");
    boolean message = type.isEmpty() || type.equals("message");
    if (!copy.hasNonNull("id")) {
      copy.put("id", (message ? "msg" : "item") + "_" + responseHex + "_in" + place);
    }
    if (message) {
      copy.put("type", "message");
      JsonNode content = item.path("content");
      if (content.isString()) {
        String part =
            item.path("role").asString("").equals("assistant") ? "output_text" : "input_text";
        ArrayNode parts = copy.putArray("content");
        parts.addObject().put("type", part).put("text", content.asString());
      }
      if (!copy.has("status")) {
        copy.put("status", "completed");
      }
    }
    return copy;
  }
}
