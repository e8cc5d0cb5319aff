package dev.grizz.engine.conversation;

import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A conversation with its steps and messages, oldest first, and the step it last moved to ({@code
 * activeStepId}, as stored; {@link #activeLeaf()} is the leaf the conversation shows).
 */
public record ConversationDetail(
    Conversation conversation,
    List<Step> steps,
    List<Message> messages,
    @Nullable UUID activeStepId) {

  public ConversationDetail(Conversation conversation, List<Step> steps, List<Message> messages) {
    this(conversation, steps, messages, null);
  }

  /** The steps as a tree of branches. */
  public StepTree tree() {
    return new StepTree(steps);
  }

  /** The same conversation with only the steps and messages of the branch it shows. */
  public ConversationDetail activeBranch() {
    StepTree tree = tree();
    UUID leaf = tree.leaf(activeStepId);
    java.util.Set<UUID> branch = new java.util.HashSet<>(tree.branch(leaf));
    return new ConversationDetail(
        conversation,
        steps.stream().filter(s -> branch.contains(s.id())).toList(),
        messages.stream().filter(m -> branch.contains(m.stepId())).toList(),
        leaf);
  }

  /** The leaf of the branch the conversation shows (null without steps). */
  public @Nullable UUID activeLeaf() {
    return tree().leaf(activeStepId);
  }
}
