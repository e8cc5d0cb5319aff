package dev.grizz.engine.llm;

/**
 * A call the model made: the vendor's call id, the tool's name, and its arguments as the JSON text
 * the model wrote. The text is kept as written, even when it is not valid JSON: a model's malformed
 * arguments go back to the caller to handle, not silently repaired or dropped. {@code cache} is a
 * client's caching breakpoint on the call in a context it sent ({@link CacheControl}).
 */
public record ToolCall(
    String id,
    String name,
    String arguments,
    @org.jspecify.annotations.Nullable CacheControl cache) {

  public ToolCall(String id, String name, String arguments) {
    this(id, name, arguments, null);
  }
}
