package dev.grizz.engine.conversation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A conversation's steps (oldest first) read as a tree of branches: the leaf under a step, the
 * active branch, and each step's versions (its siblings). The same rules as the store's SQL ({@link
 * StepGraphRepository#LEAF_UNDER}), for a conversation already read whole.
 */
public final class StepTree {

  private final List<Step> steps;
  private final Map<UUID, Step> byId = new HashMap<>();
  private final Map<UUID, List<Step>> children = new HashMap<>();

  public StepTree(List<Step> steps) {
    this.steps = steps;
    for (Step step : steps) {
      byId.put(step.id(), step);
      if (step.parentStepId() != null) {
        children.computeIfAbsent(step.parentStepId(), k -> new ArrayList<>()).add(step);
      }
    }
  }

  /**
   * The leaf the conversation shows: the newest step (not a tool step) under the stored active
   * step, going down through steps that are not tool steps; with none stored (or an unknown one),
   * the newest step that is not a tool step. Null for a conversation without steps.
   */
  public @Nullable UUID leaf(@Nullable UUID active) {
    Step start = active == null ? null : byId.get(active);
    if (start == null) {
      return steps.stream()
          .filter(s -> s.type() != Step.StepType.TOOL)
          .reduce((a, b) -> b)
          .map(Step::id)
          .orElse(null);
    }
    Step newest = start;
    Deque<Step> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      for (Step child : children.getOrDefault(todo.pop().id(), List.of())) {
        if (child.type() != Step.StepType.TOOL) {
          todo.push(child);
          if (newer(child, newest)) {
            newest = child;
          }
        }
      }
    }
    return newest.id();
  }

  /**
   * The ids of the branch that ends at {@code leaf}, oldest first: the steps from the root down to
   * it and the tool steps those steps ran (their messages are the ones the branch shows).
   */
  public List<UUID> branch(@Nullable UUID leaf) {
    Set<UUID> path = new HashSet<>();
    for (Step at = leaf == null ? null : byId.get(leaf);
        at != null;
        at = at.parentStepId() == null ? null : byId.get(at.parentStepId())) {
      path.add(at.id());
    }
    List<UUID> branch = new ArrayList<>();
    for (Step step : steps) {
      if (path.contains(step.id())
          || (step.type() == Step.StepType.TOOL && path.contains(step.parentStepId()))) {
        branch.add(step.id());
      }
    }
    return branch;
  }

  /**
   * Each step's versions, oldest first, itself included: the steps of its type under the same
   * parent (a regenerated answer's other answers, an edited message's other messages). A step
   * without versions has a list of one.
   */
  public Map<UUID, List<UUID>> siblings() {
    Map<String, List<UUID>> groups = new LinkedHashMap<>();
    for (Step step : steps) {
      groups.computeIfAbsent(key(step), k -> new ArrayList<>()).add(step.id());
    }
    Map<UUID, List<UUID>> siblings = new HashMap<>();
    for (Step step : steps) {
      siblings.put(step.id(), List.copyOf(groups.get(key(step))));
    }
    return siblings;
  }

  private static String key(Step step) {
    return Objects.toString(step.parentStepId()) + "/" + step.type();
  }

  private static boolean newer(Step a, Step b) {
    int byTime = a.createdAt().compareTo(b.createdAt());
    return byTime != 0 ? byTime > 0 : a.id().compareTo(b.id()) > 0;
  }
}
