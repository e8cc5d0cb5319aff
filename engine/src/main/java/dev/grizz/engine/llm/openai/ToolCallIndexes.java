package dev.grizz.engine.llm.openai;

import dev.grizz.engine.llm.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Tells the tool calls of one stream apart. OpenAI numbers them ({@code index}) and sends the id
 * and name with a call's first piece only; not every compatible server does: some leave {@code
 * index} out, some number every call 0 and tell them apart only by a new id. So a piece with an id
 * not seen at its index starts a new call, and the sink gets calls numbered 0, 1, … in the order
 * they began, each call's id and name once.
 */
final class ToolCallIndexes {

  /** The calls begun, in order. */
  private final List<Call> calls = new ArrayList<>(2);

  boolean any() {
    return !calls.isEmpty();
  }

  /** The delta for one element of {@code delta.tool_calls}. */
  ToolCallDelta delta(JsonNode piece) {
    Integer vendorIndex = piece.path("index").isInt() ? piece.path("index").intValue() : null;
    String id = nonEmpty(piece.path("id").stringValue(null));
    JsonNode function = piece.path("function");
    String name = nonEmpty(function.path("name").stringValue(null));
    JsonNode arguments = function.path("arguments");
    // Mistral's schema allows the arguments as an object; the text of it is what it means.
    String fragment =
        arguments.isString()
            ? arguments.stringValue()
            : arguments.isObject() ? arguments.toString() : "";
    int index = latest(vendorIndex);
    if (index < 0
        || (id != null && calls.get(index).id != null && !id.equals(calls.get(index).id))) {
      calls.add(new Call(vendorIndex));
      index = calls.size() - 1;
    }
    Call call = calls.get(index);
    String newId = null;
    if (id != null && call.id == null) {
      call.id = newId = id;
    }
    String newName = null;
    if (name != null && !call.named) {
      call.named = true;
      newName = name;
    }
    return new ToolCallDelta(index, newId, newName, fragment);
  }

  /**
   * The call a piece at this vendor index continues: the latest begun at that index, or the latest
   * of all for a piece without one; -1 when there is none.
   */
  private int latest(@Nullable Integer vendorIndex) {
    for (int i = calls.size() - 1; i >= 0; i--) {
      if (vendorIndex == null || Objects.equals(calls.get(i).vendorIndex, vendorIndex)) {
        return i;
      }
    }
    return -1;
  }

  private static @Nullable String nonEmpty(@Nullable String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  private static final class Call {
    final @Nullable Integer vendorIndex;
    @Nullable String id;
    boolean named;

    Call(@Nullable Integer vendorIndex) {
      this.vendorIndex = vendorIndex;
    }
  }
}
