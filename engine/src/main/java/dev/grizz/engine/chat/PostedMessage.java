package dev.grizz.engine.chat;

import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.Turn;

/** What posting a message created, and where its answer stands. */
public record PostedMessage(Turn turn, Step.StepStatus status) {}
