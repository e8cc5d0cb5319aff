package dev.grizz.engine.moderation;

import dev.grizz.engine.audit.AuditLog;
import dev.grizz.engine.config.IdGenerator;
import dev.grizz.engine.moderation.ModerationVerdict.Action;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The policy violation log: one row per checked text that reached a log threshold, and the admin
 * review of it. Reviews are audited; a review that suspends also suspends the user ({@link
 * Suspensions}).
 */
@Service
public class ViolationLog {

  /** The most rows {@link #list} returns at once. */
  public static final int MAX_LIMIT = 500;

  private static final String COLUMNS =
      """
      id, user_id, content, categories::text as categories, scores::text as scores, "timestamp",
      reviewed, action_taken, direction, step_id, review_action, reviewed_by, reviewed_at,
      review_note
      """;

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final IdGenerator ids;
  private final Clock clock;
  private final AuditLog audit;
  private final Suspensions suspensions;

  ViolationLog(
      JdbcClient jdbc,
      JsonMapper json,
      IdGenerator ids,
      Clock clock,
      AuditLog audit,
      Suspensions suspensions) {
    this.jdbc = jdbc;
    this.json = json;
    this.ids = ids;
    this.clock = clock;
    this.audit = audit;
    this.suspensions = suspensions;
  }

  /** Which way a checked text was going. */
  public enum Direction {
    /** From the user, before it reaches a model. */
    INPUT,
    /** From a model, before it reaches the user. */
    OUTPUT
  }

  /** What an admin decided about a violation. */
  public enum ReviewAction {
    /** Not a violation after all, or not one worth acting on. */
    DISMISS,
    /** A violation; the user is to be warned (telling them is the caller's job). */
    WARN,
    /** A violation; the user is suspended. */
    SUSPEND
  }

  /** One row of the log, as stored. */
  public record Violation(
      UUID id,
      @Nullable UUID userId,
      @Nullable String content,
      List<String> categories,
      Map<String, Double> scores,
      Instant timestamp,
      boolean reviewed,
      @Nullable Action actionTaken,
      @Nullable Direction direction,
      @Nullable UUID stepId,
      @Nullable ReviewAction reviewAction,
      @Nullable UUID reviewedBy,
      @Nullable Instant reviewedAt,
      @Nullable String reviewNote) {}

  /**
   * Which violations {@link #list} returns, newest first. Build from {@link #newest(int)} and
   * narrow with the withers; to page, pass the last id of a page to {@link #before(UUID)}.
   *
   * @param reviewed true or false to filter on review; null for both
   * @param category only violations that reached a log threshold in this category
   * @param since only violations logged at or after this instant
   * @param before only violations older than this one (keyset paging)
   * @param limit 1..{@link #MAX_LIMIT}
   */
  public record Filter(
      @Nullable Boolean reviewed,
      @Nullable UUID userId,
      @Nullable String category,
      @Nullable Instant since,
      @Nullable UUID before,
      int limit) {

    public Filter {
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
      }
    }

    public static Filter newest(int limit) {
      return new Filter(null, null, null, null, null, limit);
    }

    public Filter reviewed(@Nullable Boolean value) {
      return new Filter(value, userId, category, since, before, limit);
    }

    public Filter user(@Nullable UUID value) {
      return new Filter(reviewed, value, category, since, before, limit);
    }

    public Filter category(@Nullable String value) {
      return new Filter(reviewed, userId, value, since, before, limit);
    }

    public Filter since(@Nullable Instant value) {
      return new Filter(reviewed, userId, category, value, before, limit);
    }

    public Filter before(@Nullable UUID value) {
      return new Filter(reviewed, userId, category, since, value, limit);
    }
  }

  /** A violation to write. */
  record NewViolation(
      @Nullable UUID userId,
      @Nullable String content,
      List<String> categories,
      Map<String, Double> scores,
      Action action,
      Direction direction,
      @Nullable UUID stepId) {}

  /** Writes one violation and returns its id. */
  UUID record(NewViolation violation) {
    UUID id = ids.next();
    jdbc.sql(
            """
            insert into policy_violations
                (id, user_id, content, categories, scores, "timestamp", reviewed, action_taken,
                 direction, step_id)
            values (:id, :user, :content, cast(:categories as jsonb), cast(:scores as jsonb), :at,
                    false, :action, :direction, :step)
            """)
        .param("id", id)
        .param("user", violation.userId())
        .param("content", violation.content())
        .param("categories", json.writeValueAsString(violation.categories()))
        .param("scores", json.writeValueAsString(violation.scores()))
        .param("at", Timestamp.from(clock.instant()))
        .param("action", violation.action().wire())
        .param("direction", wire(violation.direction()))
        .param("step", violation.stepId())
        .update();
    return id;
  }

  /** Violations matching {@code filter}, newest first. */
  @Transactional(readOnly = true)
  public List<Violation> list(Filter filter) {
    StringBuilder sql =
        new StringBuilder("select ").append(COLUMNS).append(" from policy_violations where true");
    Map<String, Object> params = new LinkedHashMap<>();
    if (filter.reviewed() != null) {
      sql.append(" and reviewed = :reviewed");
      params.put("reviewed", filter.reviewed());
    }
    if (filter.userId() != null) {
      sql.append(" and user_id = :user");
      params.put("user", filter.userId());
    }
    if (filter.category() != null) {
      sql.append(" and categories @> jsonb_build_array(cast(:category as text))");
      params.put("category", filter.category());
    }
    if (filter.since() != null) {
      sql.append(" and \"timestamp\" >= :since");
      params.put("since", Timestamp.from(filter.since()));
    }
    if (filter.before() != null) {
      sql.append(
          " and (\"timestamp\", id) < (select \"timestamp\", id from policy_violations"
              + " where id = :before)");
      params.put("before", filter.before());
    }
    sql.append(" order by \"timestamp\" desc, id desc limit :limit");
    params.put("limit", filter.limit());
    return jdbc.sql(sql.toString()).params(params).query(this::violation).list();
  }

  private record Owner(@Nullable UUID userId) {}

  /** One violation, if it exists. */
  @Transactional(readOnly = true)
  public Optional<Violation> find(UUID id) {
    return jdbc.sql("select " + COLUMNS + " from policy_violations where id = :id")
        .param("id", id)
        .query(this::violation)
        .optional();
  }

  /**
   * Records an admin's review; an already reviewed violation may be reviewed again (the last review
   * stands, every one is audited). {@link ReviewAction#SUSPEND} also suspends the violation's user
   * unless the user has been erased. Empty when there is no such violation.
   */
  @Transactional
  public Optional<Violation> review(
      UUID id, ReviewAction action, UUID reviewerId, @Nullable String note) {
    Optional<Owner> owner =
        jdbc.sql("select user_id from policy_violations where id = :id for update")
            .param("id", id)
            .query((rs, n) -> new Owner(rs.getObject(1, UUID.class)))
            .optional();
    if (owner.isEmpty()) {
      return Optional.empty();
    }
    UUID user = owner.get().userId();
    jdbc.sql(
            """
            update policy_violations
            set reviewed = true, review_action = :action, reviewed_by = :by, reviewed_at = :at,
                review_note = :note
            where id = :id
            """)
        .param("action", wire(action))
        .param("by", reviewerId)
        .param("at", Timestamp.from(clock.instant()))
        .param("note", note)
        .param("id", id)
        .update();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("review_action", wire(action));
    if (user != null) {
      details.put("user_id", user.toString());
    }
    if (note != null) {
      details.put("note", note);
    }
    audit.record(reviewerId, "violation.review", "policy_violation", id.toString(), details);
    if (action == ReviewAction.SUSPEND && user != null) {
      suspensions.suspend(user, reviewerId, id);
    }
    return find(id);
  }

  /** A user's violations, as stored, for an export. */
  @Transactional(readOnly = true)
  public List<Map<String, Object>> forUser(UUID userId) {
    return jdbc.sql(
            """
            select id, content, categories::text as categories, scores::text as scores,
                "timestamp", reviewed, action_taken, direction, review_action, reviewed_at
            from policy_violations where user_id = :u order by "timestamp"
            """)
        .param("u", userId)
        .query()
        .listOfRows();
  }

  /** Deletes violations logged before {@code before} (retention). */
  @Transactional
  public int deleteOlderThan(Instant before) {
    return jdbc.sql("delete from policy_violations where \"timestamp\" < :before")
        .param("before", Timestamp.from(before))
        .update();
  }

  /**
   * Erases what a user wrote from the log: the content (and any review note about it) goes and the
   * link to the user is cut; the categories, scores and actions stay as anonymous statistics.
   */
  @Transactional
  public int eraseUser(UUID userId) {
    return jdbc.sql(
            """
            update policy_violations set content = null, review_note = null, user_id = null
            where user_id = :u
            """)
        .param("u", userId)
        .update();
  }

  private Violation violation(ResultSet rs, int row) throws SQLException {
    return new Violation(
        rs.getObject("id", UUID.class),
        rs.getObject("user_id", UUID.class),
        rs.getString("content"),
        categories(rs.getString("categories")),
        scores(rs.getString("scores")),
        rs.getTimestamp("timestamp").toInstant(),
        rs.getBoolean("reviewed"),
        parse(Action.class, rs.getString("action_taken")),
        parse(Direction.class, rs.getString("direction")),
        rs.getObject("step_id", UUID.class),
        parse(ReviewAction.class, rs.getString("review_action")),
        rs.getObject("reviewed_by", UUID.class),
        instant(rs.getTimestamp("reviewed_at")),
        rs.getString("review_note"));
  }

  /** Ours are arrays of names; rows written before moderation was built are {name: true} maps. */
  private List<String> categories(String text) {
    JsonNode node = json.readTree(text);
    List<String> names = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(item -> names.add(item.asString()));
    } else if (node.isObject()) {
      node.properties()
          .forEach(
              e -> {
                if (e.getValue().asBoolean(false)) {
                  names.add(e.getKey());
                }
              });
    }
    return names;
  }

  private Map<String, Double> scores(String text) {
    Map<String, Double> scores = new LinkedHashMap<>();
    JsonNode node = json.readTree(text);
    node.properties().forEach(e -> scores.put(e.getKey(), e.getValue().asDouble()));
    return scores;
  }

  private static @Nullable Instant instant(@Nullable Timestamp at) {
    return at == null ? null : at.toInstant();
  }

  private static <E extends Enum<E>> @Nullable E parse(Class<E> type, @Nullable String wire) {
    return wire == null ? null : Enum.valueOf(type, wire.toUpperCase(Locale.ROOT));
  }

  static String wire(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
