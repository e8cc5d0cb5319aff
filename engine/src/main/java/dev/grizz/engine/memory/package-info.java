/**
 * What the engine remembers beyond a model's context window. Rolling summaries of long
 * conversations are steps ({@link dev.grizz.engine.conversation.Summaries}, run by the agent's
 * summary runner) and are tuned here ({@link dev.grizz.engine.memory.MemorySettings}). Long-term
 * memory is per user: facts the user asks the assistant to keep, or that the model proposes with
 * the {@code remember} tool, listed, edited and erased by their owner ({@code /api/v1/memories}),
 * and recalled into a later answer's context within a token cap. Owns the {@code memories} and
 * {@code memory_settings} tables.
 */
@NullMarked
package dev.grizz.engine.memory;

import org.jspecify.annotations.NullMarked;
