/**
 * Accepting a user's message ({@link dev.grizz.engine.chat.ChatService}) and answering it: context
 * within the token budget, the provider call, the stored answer. Owns the {@code prompts} table.
 */
@NullMarked
package dev.grizz.engine.chat;

import org.jspecify.annotations.NullMarked;
