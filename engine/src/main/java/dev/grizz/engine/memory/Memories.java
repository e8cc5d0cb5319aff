package dev.grizz.engine.memory;

import dev.grizz.engine.config.IdGenerator;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Each user's memories and memory mode: kept, listed, edited, erased only by their owner. */
@Service
public class Memories {

  private final JdbcClient jdbc;
  private final MemorySettings settings;
  private final IdGenerator ids;
  private final Clock clock;

  Memories(JdbcClient jdbc, MemorySettings settings, IdGenerator ids, Clock clock) {
    this.jdbc = jdbc;
    this.settings = settings;
    this.ids = ids;
    this.clock = clock;
  }

  /** The user's memories, newest first; only those with {@code status} when it is given. */
  public List<Memory> list(UUID userId, @Nullable String status) {
    if (status != null) {
      checkStatus(status);
    }
    return jdbc.sql(
            """
            select * from memories where user_id = :user
              and (cast(:status as text) is null or status = :status)
            order by updated_at desc, id desc
            """)
        .param("user", userId)
        .param("status", status)
        .query(Memories::map)
        .list();
  }

  /**
   * Keeps a memory. The same words kept already return the memory that has them (a proposal of them
   * becomes active when the user writes them).
   *
   * @throws MemoryRejectedException when it is empty, too long, or one too many
   */
  @Transactional
  public Memory add(
      UUID userId,
      String content,
      String source,
      String status,
      @Nullable UUID conversationId,
      @Nullable UUID stepId) {
    String words = checkContent(content);
    Optional<Memory> same =
        jdbc.sql("select * from memories where user_id = :user and content = :content limit 1")
            .param("user", userId)
            .param("content", words)
            .query(Memories::map)
            .optional();
    if (same.isPresent()) {
      return status.equals(Memory.ACTIVE) && same.get().status().equals(Memory.PROPOSED)
          ? update(userId, same.get().id(), null, Memory.ACTIVE)
          : same.get();
    }
    // Serialises one user's adds, so two at once cannot both pass the count.
    jdbc.sql("select pg_advisory_xact_lock(hashtext(cast(:user as text)))")
        .param("user", userId)
        .query()
        .listOfRows();
    long kept =
        jdbc.sql("select count(*) from memories where user_id = :user")
            .param("user", userId)
            .query(Long.class)
            .single();
    if (kept >= settings.maxPerUser()) {
      throw new MemoryRejectedException(
          "memory_limit_reached",
          "content",
          "You keep " + kept + " memories, the most allowed; delete some before adding more.");
    }
    Instant now = now();
    UUID id = ids.next();
    jdbc.sql(
            """
            insert into memories (id, user_id, content, source, status, conversation_id, step_id,
                created_at, updated_at)
            values (:id, :user, :content, :source, :status, :conversation, :step, :at, :at)
            """)
        .param("id", id)
        .param("user", userId)
        .param("content", words)
        .param("source", source)
        .param("status", status)
        .param("conversation", conversationId)
        .param("step", stepId)
        .param("at", Timestamp.from(now))
        .update();
    return new Memory(id, words, source, status, conversationId, stepId, now, now);
  }

  /**
   * Changes a memory's words, or confirms a proposed one ({@code status} active).
   *
   * @throws MemoryNotFoundException when the user has no such memory
   */
  public Memory update(UUID userId, UUID id, @Nullable String content, @Nullable String status) {
    String words = content == null ? null : checkContent(content);
    if (status != null) {
      checkStatus(status);
    }
    return jdbc.sql(
            """
            update memories set content = coalesce(:content, content),
                status = coalesce(:status, status), updated_at = :at
            where id = :id and user_id = :user
            returning *
            """)
        .param("content", words)
        .param("status", status)
        .param("at", Timestamp.from(now()))
        .param("id", id)
        .param("user", userId)
        .query(Memories::map)
        .optional()
        .orElseThrow(MemoryNotFoundException::new);
  }

  /** Deletes one of the user's memories; false when there was none by that id. */
  public boolean delete(UUID userId, UUID id) {
    return jdbc.sql("delete from memories where id = :id and user_id = :user")
            .param("id", id)
            .param("user", userId)
            .update()
        == 1;
  }

  /** Deletes all of the user's memories and their mode (an erasure); returns how many went. */
  @Transactional
  public int deleteAll(UUID userId) {
    jdbc.sql("delete from memory_settings where user_id = :user").param("user", userId).update();
    return jdbc.sql("delete from memories where user_id = :user").param("user", userId).update();
  }

  /** Deletes memories no one has touched since {@code before} (retention); returns how many. */
  public int deleteUntouchedSince(Instant before) {
    return jdbc.sql("delete from memories where updated_at < :before")
        .param("before", Timestamp.from(before))
        .update();
  }

  /** The user's mode, or the operator's default when they never chose one. */
  public MemoryMode mode(UUID userId) {
    return jdbc.sql("select mode from memory_settings where user_id = :user")
        .param("user", userId)
        .query(String.class)
        .optional()
        .flatMap(MemoryMode::parse)
        .orElse(settings.defaultUserMode());
  }

  /** Sets the user's mode. */
  public MemoryMode setMode(UUID userId, String mode) {
    MemoryMode parsed =
        MemoryMode.parse(mode)
            .orElseThrow(
                () ->
                    new MemoryRejectedException(
                        "invalid_memory_mode", "mode", "The mode is auto, confirm or off."));
    jdbc.sql(
            """
            insert into memory_settings (user_id, mode, updated_at) values (:user, :mode, :at)
            on conflict (user_id) do update set mode = excluded.mode, updated_at = excluded.updated_at
            """)
        .param("user", userId)
        .param("mode", parsed.wire())
        .param("at", Timestamp.from(now()))
        .update();
    return parsed;
  }

  /**
   * The user's active memories, those that share words with {@code about} first (best match first),
   * then the newest.
   */
  List<Memory> ranked(UUID userId, String about, int limit) {
    return jdbc.sql(
            """
            select m.* from memories m
            where m.user_id = :user and m.status = 'active'
            order by ts_rank(m.words, to_tsquery('simple', :query)) desc, m.updated_at desc, m.id
            limit :limit
            """)
        .param("user", userId)
        .param("query", orQuery(about))
        .param("limit", limit)
        .query(Memories::map)
        .list();
  }

  /** The words of {@code text} as a to_tsquery that matches any of them. */
  static String orQuery(String text) {
    StringBuilder query = new StringBuilder();
    for (String word : text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.length() < 2 || query.length() > 2_000) {
        continue;
      }
      if (!query.isEmpty()) {
        query.append(" | ");
      }
      query.append(word);
    }
    return query.isEmpty() ? "''" : query.toString();
  }

  private String checkContent(String content) {
    String words = content.strip();
    if (words.isEmpty()) {
      throw new MemoryRejectedException("memory_empty", "content", "A memory cannot be empty.");
    }
    if (words.length() > settings.maxChars()) {
      throw new MemoryRejectedException(
          "memory_too_long",
          "content",
          "A memory is at most "
              + settings.maxChars()
              + " characters; this one has "
              + words.length()
              + ".");
    }
    return words;
  }

  private static void checkStatus(String status) {
    if (!status.equals(Memory.ACTIVE) && !status.equals(Memory.PROPOSED)) {
      throw new MemoryRejectedException(
          "invalid_memory_status", "status", "The status is active or proposed.");
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static Memory map(ResultSet rs, int n) throws SQLException {
    return new Memory(
        rs.getObject("id", UUID.class),
        rs.getString("content"),
        rs.getString("source"),
        rs.getString("status"),
        rs.getObject("conversation_id", UUID.class),
        rs.getObject("step_id", UUID.class),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }
}
