package dev.grizz.engine.conversation;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A page of conversations, most recently active first; {@code nextCursor} is null on the last. */
public record ConversationPage(List<Conversation> items, @Nullable String nextCursor) {}
