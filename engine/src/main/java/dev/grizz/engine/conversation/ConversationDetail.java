package dev.grizz.engine.conversation;

import java.util.List;

/** A conversation with its steps and messages, oldest first. */
public record ConversationDetail(
    Conversation conversation, List<Step> steps, List<Message> messages) {}
