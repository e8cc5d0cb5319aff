package dev.grizz.engine.llm;

/**
 * A call the model made: the vendor's call id, the tool's name, and its arguments as the JSON text
 * the model wrote. The text is kept as written, even when it is not valid JSON: a model's malformed
 * arguments go back to the caller to handle, not silently repaired or dropped.
 */
public record ToolCall(String id, String name, String arguments) {}
