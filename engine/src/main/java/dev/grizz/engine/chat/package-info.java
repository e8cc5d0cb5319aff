/**
 * The chat API's service ({@link dev.grizz.engine.chat.ChatService}): starting conversations,
 * accepting a user's message (checked, stored as a turn, its answer step queued for the agent),
 * cancelling, and subscribing to a conversation's events. Answers are made by {@code agent}.
 */
@NullMarked
package dev.grizz.engine.chat;

import org.jspecify.annotations.NullMarked;
