package dev.grizz.engine.llm;

import org.jspecify.annotations.Nullable;

/**
 * A piece of a tool call as it streams: {@code index} says which call of the answer it belongs to
 * (parallel calls stream side by side); the call's id and name come with its first piece and are
 * null after; {@code arguments} is the next fragment of the argument text, possibly empty, possibly
 * cut mid-token.
 */
public record ToolCallDelta(
    int index, @Nullable String id, @Nullable String name, String arguments) {}
