/**
 * The record of a conversation: tasks, steps and messages, a DAG of steps per task. Owns those
 * tables; {@link dev.grizz.engine.conversation.ConversationStore} is the way in (and {@link
 * dev.grizz.engine.conversation.ConversationImports} for conversations imported whole).
 */
@NullMarked
package dev.grizz.engine.conversation;

import org.jspecify.annotations.NullMarked;
