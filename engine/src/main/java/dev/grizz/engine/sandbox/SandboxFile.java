package dev.grizz.engine.sandbox;

import org.jspecify.annotations.Nullable;

/**
 * A file under {@code /mnt/data}, as the sandbox reported it.
 *
 * @param name its path relative to {@code /mnt/data}
 * @param size its size in bytes
 * @param content its bytes when they were sent (files a call wrote, up to the size the backend
 *     returns); null when only listed or when too large
 */
public record SandboxFile(String name, long size, byte @Nullable [] content) {}
