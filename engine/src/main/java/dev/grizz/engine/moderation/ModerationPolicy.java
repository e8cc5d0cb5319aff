package dev.grizz.engine.moderation;

import dev.grizz.engine.config.SettingException;
import dev.grizz.engine.moderation.ModerationVerdict.Action;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Per-category thresholds for the three actions, log ≤ flag ≤ block, with {@code *} the default for
 * categories not named. Written as {@code *:log=0.3,flag=0.6,block=0.9;violence:block=0.95}; {@code
 * off} disables an action for a category.
 *
 * <p>A configured policy is layered over {@link #BUILT_IN}: an entry replaces the built-in entry
 * for its category, other categories keep theirs. A threshold an entry leaves out comes from the
 * effective {@code *} entry, moved just enough to keep the order (so {@code
 * sexual/minors:block=0.4} also pulls flag down to 0.4); thresholds that are set explicitly out of
 * order are an error.
 */
record ModerationPolicy(Thresholds defaults, Map<String, Thresholds> perCategory) {

  static final String PROPERTY = "grizz.moderation.policy";

  /**
   * Sexual content involving minors is blocked at low confidence. Self-harm is flagged for a person
   * to follow up but never blocked by default: refusing someone who says they want to hurt
   * themselves is worse than letting the assistant answer with care. Instructions for self-harm are
   * still blocked.
   */
  static final String BUILT_IN =
      "*:log=0.3,flag=0.6,block=0.9;"
          + "sexual/minors:log=0.1,flag=0.2,block=0.4;"
          + "self-harm:block=off;"
          + "self-harm/intent:block=off;"
          + "self-harm/instructions:block=0.7;"
          + "hate/threatening:block=0.8;"
          + "illicit/violent:block=0.8";

  private static final List<String> ACTIONS = List.of("log", "flag", "block");

  // After every constant parse() reads.
  static final ModerationPolicy DEFAULT = parse(null);

  /** Thresholds for one category; {@link Double#POSITIVE_INFINITY} means never. */
  record Thresholds(double log, double flag, double block) {

    Action actionFor(double score) {
      if (score >= block) {
        return Action.BLOCK;
      }
      if (score >= flag) {
        return Action.FLAG;
      }
      return score >= log ? Action.LOG : Action.ALLOW;
    }
  }

  ModerationPolicy {
    perCategory = Map.copyOf(perCategory);
  }

  Thresholds thresholds(String category) {
    return perCategory.getOrDefault(category, defaults);
  }

  /** The action for each category's score, strongest action first, then highest score. */
  Assessment assess(Map<String, Double> scores) {
    Action strongest = Action.ALLOW;
    List<Map.Entry<String, Action>> hits = new ArrayList<>();
    for (Map.Entry<String, Double> score : scores.entrySet()) {
      Action action = thresholds(score.getKey()).actionFor(score.getValue());
      if (action != Action.ALLOW) {
        hits.add(Map.entry(score.getKey(), action));
        if (action.compareTo(strongest) > 0) {
          strongest = action;
        }
      }
    }
    hits.sort(
        Comparator.comparing((Map.Entry<String, Action> e) -> e.getValue())
            .reversed()
            .thenComparing(e -> scores.get(e.getKey()), Comparator.reverseOrder())
            .thenComparing(Map.Entry::getKey));
    return new Assessment(strongest, hits.stream().map(Map.Entry::getKey).toList());
  }

  /** The strongest action and the categories at or above their log threshold. */
  record Assessment(Action action, List<String> categories) {}

  /** The built-in policy with {@code spec} (may be blank) layered over it. */
  static ModerationPolicy parse(@Nullable String spec) {
    Map<String, Double[]> builtIn = entries(BUILT_IN);
    Map<String, Double[]> configured = spec == null || spec.isBlank() ? Map.of() : entries(spec);
    Double[] star = configured.containsKey("*") ? configured.get("*") : builtIn.get("*");
    Thresholds defaults = resolve("*", star, builtIn.get("*"));
    Map<String, Double[]> merged = new LinkedHashMap<>(builtIn);
    merged.putAll(configured);
    merged.remove("*");
    Map<String, Thresholds> perCategory = new LinkedHashMap<>();
    merged.forEach(
        (category, values) ->
            perCategory.put(
                category,
                resolve(
                    category,
                    values,
                    new Double[] {defaults.log(), defaults.flag(), defaults.block()})));
    return new ModerationPolicy(defaults, perCategory);
  }

  /** Category → [log, flag, block], null where the entry leaves a threshold out. */
  private static Map<String, Double[]> entries(String spec) {
    Map<String, Double[]> entries = new LinkedHashMap<>();
    for (String entry : spec.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int colon = entry.lastIndexOf(':');
      if (colon < 0) {
        throw bad("has an entry without ':' (" + entry.strip() + ")");
      }
      String category = entry.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      if (!category.equals("*") && !Moderator.CATEGORIES.contains(category)) {
        throw bad("names an unknown category '" + category + "'");
      }
      if (entries.containsKey(category)) {
        throw bad("names '" + category + "' twice");
      }
      Double[] values = new Double[3];
      for (String pair : entry.substring(colon + 1).split(",")) {
        String[] kv = pair.split("=", 2);
        int index = ACTIONS.indexOf(kv[0].strip().toLowerCase(Locale.ROOT));
        if (kv.length != 2 || index < 0) {
          throw bad(
              "has '" + pair.strip() + "' for " + category + "; expected log|flag|block=0..1");
        }
        values[index] = threshold(kv[1].strip(), category);
      }
      entries.put(category, values);
    }
    return entries;
  }

  private static double threshold(String value, String category) {
    if (value.equalsIgnoreCase("off")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      double threshold = Double.parseDouble(value);
      if (threshold >= 0 && threshold <= 1) {
        return threshold;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw bad("has '" + value + "' for " + category + "; a threshold is 0..1 or off");
  }

  /**
   * Fills the thresholds an entry left out from {@code base}, each moved into the range its set
   * neighbours allow; set thresholds out of order are an error.
   */
  private static Thresholds resolve(String category, Double[] set, Double[] base) {
    double[] v = new double[3];
    for (int i = 0; i < 3; i++) {
      v[i] = set[i] != null ? set[i] : base[i];
    }
    for (int i = 0; i < 3; i++) {
      if (set[i] != null) {
        continue;
      }
      for (int j = i + 1; j < 3; j++) {
        if (set[j] != null) {
          v[i] = Math.min(v[i], set[j]);
        }
      }
      for (int j = 0; j < i; j++) {
        if (set[j] != null) {
          v[i] = Math.max(v[i], set[j]);
        }
      }
    }
    if (v[0] > v[1] || v[1] > v[2]) {
      throw bad("has thresholds for " + category + " out of order; need log ≤ flag ≤ block");
    }
    return new Thresholds(v[0], v[1], v[2]);
  }

  private static SettingException bad(String problem) {
    return new SettingException(PROPERTY, problem);
  }
}
