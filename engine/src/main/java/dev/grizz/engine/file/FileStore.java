package dev.grizz.engine.file;

import dev.grizz.engine.config.IdGenerator;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The files of conversations. Every read names the owner: another user's file is as absent as an
 * unknown one. A file name is a plain name (no directories), as it appears under {@code /mnt/data}.
 */
@Service
public class FileStore {

  private static final String COLUMNS =
      "id, conversation_id, name, media_type, size_bytes, origin, created_at";

  private final JdbcClient jdbc;
  private final IdGenerator ids;
  private final Clock clock;

  FileStore(JdbcClient jdbc, IdGenerator ids, Clock clock) {
    this.jdbc = jdbc;
    this.ids = ids;
    this.clock = clock;
  }

  /** Whether {@code name} is a plain file name a sandbox can hold under {@code /mnt/data}. */
  public static boolean validName(String name) {
    return name.length() <= 255
        && !name.isBlank()
        && !name.equals(".")
        && !name.equals("..")
        && name.chars().noneMatch(c -> c == '/' || c == '\\' || c < 0x20 || c == 0x7f);
  }

  /**
   * Keeps a file of the user's conversation; a file of the same name and origin is replaced (code
   * that rewrites its chart leaves one chart).
   */
  public StoredFile save(
      UUID userId, UUID conversationId, String name, byte[] content, String origin) {
    if (!validName(name)) {
      throw new IllegalArgumentException("not a plain file name: " + name);
    }
    StoredFile file =
        new StoredFile(
            ids.next(),
            conversationId,
            name,
            MediaTypes.of(name, content),
            content.length,
            origin,
            clock.instant(),
            null);
    jdbc.sql(
            """
            with gone as (
              delete from files where conversation_id = :conversation and name = :name
                and origin = :origin)
            insert into files (id, user_id, conversation_id, name, media_type, size_bytes, origin,
                content, created_at)
            values (:id, :user, :conversation, :name, :type, :size, :origin, :content, :at)
            """)
        .param("id", file.id())
        .param("user", userId)
        .param("conversation", conversationId)
        .param("name", name)
        .param("type", file.mediaType())
        .param("size", file.size())
        .param("origin", origin)
        .param("content", content)
        .param("at", Timestamp.from(file.createdAt()))
        .update();
    return file;
  }

  /** The user's file with its bytes; empty when unknown or someone else's. */
  public Optional<StoredFile> find(UUID userId, UUID id) {
    return jdbc.sql("select " + COLUMNS + ", content from files where id = :id and user_id = :user")
        .param("id", id)
        .param("user", userId)
        .query((rs, n) -> row(rs, rs.getBytes("content")))
        .optional();
  }

  /** The conversation's files, oldest first, without their bytes. */
  public List<StoredFile> list(UUID conversationId) {
    return jdbc.sql(
            "select " + COLUMNS + " from files where conversation_id = :c order by created_at, id")
        .param("c", conversationId)
        .query((rs, n) -> row(rs, null))
        .list();
  }

  /** The conversation's files with their bytes (to copy into a new sandbox session). */
  public List<StoredFile> contents(UUID conversationId) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + ", content from files where conversation_id = :c order by created_at, id")
        .param("c", conversationId)
        .query((rs, n) -> row(rs, rs.getBytes("content")))
        .list();
  }

  /** Every file of the user, without bytes, for an export. */
  public List<StoredFile> ofUser(UUID userId) {
    return jdbc.sql("select " + COLUMNS + " from files where user_id = :u order by created_at, id")
        .param("u", userId)
        .query((rs, n) -> row(rs, null))
        .list();
  }

  /** Deletes the user's file; false when there was none of theirs. */
  public boolean delete(UUID userId, UUID id) {
    return jdbc.sql("delete from files where id = :id and user_id = :user")
            .param("id", id)
            .param("user", userId)
            .update()
        > 0;
  }

  private static StoredFile row(ResultSet rs, byte @Nullable [] content) throws SQLException {
    return new StoredFile(
        rs.getObject("id", UUID.class),
        rs.getObject("conversation_id", UUID.class),
        rs.getString("name"),
        rs.getString("media_type"),
        rs.getLong("size_bytes"),
        rs.getString("origin"),
        rs.getTimestamp("created_at").toInstant(),
        content);
  }
}
