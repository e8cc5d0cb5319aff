package dev.grizz.engine.conversation;

/**
 * A tool call as stored with the assistant message that made it: the call's id, the tool's name and
 * the argument text the model wrote (kept as written, even when it is not valid JSON).
 */
public record StoredToolCall(String id, String name, String arguments) {}
