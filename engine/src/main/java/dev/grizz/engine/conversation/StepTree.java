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
   * The leaf the conversation shows: the newest step under the stored active step, going down
   * through steps that are not side steps (tool calls, summaries); with none stored (or an unknown
   * one), the newest step that is not a side step. Null for a conversation without steps.
   */
  public @Nullable UUID leaf(@Nullable UUID active) {
    Step start = active == null ? null : byId.get(active);
    if (start == null) {
      return steps.stream().filter(s -> !side(s)).reduce((a, b) -> b).map(Step::id).orElse(null);
    }
    Step newest = start;
    Deque<Step> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      for (Step child : children.getOrDefault(todo.pop().id(), List.of())) {
        if (!side(child)) {
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
   * it and the tool steps those steps ran (their messages are the ones the branch shows; a
   * summary's are the engine's own, not shown).
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

  /**
   * A tool call or a summary: a side step of the step above it, never where a branch goes on (a
   * tool call's follow-up answer is a child of the answer that called it, not of the call).
   */
  private static boolean side(Step step) {
    return step.type() == Step.StepType.TOOL || step.type() == Step.StepType.SUMMARY;
  }

  private static String key(Step step) {
    return Objects.toString(step.parentStepId()) + "/" + step.type();
  }

  private static boolean newer(Step a, Step b) {
    int byTime = a.createdAt().compareTo(b.createdAt());
    return byTime != 0 ? byTime > 0 : a.id().compareTo(b.id()) > 0;
  }
}
