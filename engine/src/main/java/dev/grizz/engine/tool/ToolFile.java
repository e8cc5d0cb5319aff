package dev.grizz.engine.tool;

import java.util.UUID;

/**
 * A file a call wrote, kept by the engine (the code sandbox's chart, say): shown to the user beside
 * the call's result, served at {@code /api/v1/files/{id}}.
 */
public record ToolFile(UUID id, String name, String mediaType, long size) {}
