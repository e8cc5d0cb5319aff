package dev.grizz.engine.event;

import dev.grizz.engine.config.DatabaseTarget;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The event log in PostgreSQL: an {@code events} table, with LISTEN/NOTIFY to wake subscribers on
 * every pod. Appends to one conversation are serialised by an advisory lock so ids only grow in
 * commit order, and a reader never skips an event committed after it read.
 */
@Component
class PostgresEventBackend implements EventBackend, DisposableBean {

  static final String CHANNEL = "grizz_events";
  private static final Logger log = LoggerFactory.getLogger(PostgresEventBackend.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate transaction;
  private final Clock clock;
  private final Watchers watchers = new Watchers();
  private final NotificationListener listener;

  PostgresEventBackend(
      JdbcClient jdbc, TransactionTemplate transaction, Clock clock, DatabaseTarget database) {
    this.jdbc = jdbc;
    this.transaction = transaction;
    this.clock = clock;
    this.listener = new NotificationListener(database, CHANNEL, this::onNotification);
  }

  @Override
  public String name() {
    return "postgres";
  }

  @Override
  public EventId append(UUID conversationId, String payload, @Nullable EventId floor) {
    EventId id = append(conversationId, payload, floor, null);
    if (id == null) {
      throw new IllegalStateException("an append without a fence was refused");
    }
    return id;
  }

  /**
   * As {@link #append(UUID, String, EventId)}, for the attempt that holds {@code fence}: null, and
   * nothing written, when a later attempt has raised the step's fence. The check is in the INSERT,
   * under the conversation's lock that a raise takes too, so an append and a raise are one before
   * the other.
   */
  @Nullable EventId append(
      UUID conversationId, String payload, @Nullable EventId floor, @Nullable StepFence fence) {
    return transaction.execute(
        tx -> {
          lock(conversationId);
          EventId last =
              jdbc.sql(
                      """
                      select ms, seq from events where conversation_id = :id
                      order by ms desc, seq desc limit 1
                      """)
                  .param("id", conversationId)
                  .query((rs, n) -> new EventId(rs.getLong("ms"), rs.getLong("seq")))
                  .optional()
                  .orElse(null);
          EventId base =
              last == null || (floor != null && floor.compareTo(last) > 0) ? floor : last;
          long now = clock.millis();
          EventId id = base == null ? new EventId(now, 0) : base.nextAtOrAfter(now);
          int inserted =
              jdbc.sql(
                      """
                      insert into events (conversation_id, ms, seq, payload)
                      select :c, :ms, :seq, :p
                      where not exists (select 1 from step_fences
                                        where step_id = cast(:step as uuid) and attempt > :attempt)
                      """)
                  .param("c", conversationId)
                  .param("ms", id.ms())
                  .param("seq", id.seq())
                  .param("p", payload)
                  .param("step", fence == null ? null : fence.stepId())
                  .param("attempt", fence == null ? 0 : fence.attempt())
                  .update();
          if (inserted == 0) {
            return null;
          }
          jdbc.sql("select pg_notify(:channel, :id)")
              .param("channel", CHANNEL)
              .param("id", conversationId.toString())
              .query()
              .singleRow();
          return id;
        });
  }

  private void lock(UUID conversationId) {
    jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:id, 0))")
        .param("id", conversationId.toString())
        .query()
        .singleRow();
  }

  /**
   * Raises a step's fence to {@code attempt} (never lowers it) until {@code expiresAt}; false when
   * a later attempt holds it already. Under the conversation's append lock: an append of an earlier
   * attempt either committed before (and a read after this sees it) or is refused.
   */
  boolean raiseFence(UUID conversationId, UUID stepId, int attempt, Instant expiresAt) {
    Integer holder =
        transaction.execute(
            tx -> {
              lock(conversationId);
              return jdbc.sql(
                      """
                      insert into step_fences (step_id, attempt, expires_at)
                      values (:step, :attempt, :expires)
                      on conflict (step_id) do update
                        set attempt = greatest(step_fences.attempt, excluded.attempt),
                            expires_at = greatest(step_fences.expires_at, excluded.expires_at)
                      returning attempt
                      """)
                  .param("step", stepId)
                  .param("attempt", attempt)
                  .param("expires", Timestamp.from(expiresAt))
                  .query(Integer.class)
                  .single();
            });
    return holder != null && holder == attempt;
  }

  /** Whether no attempt later than {@code attempt} has raised the step's fence. */
  boolean fenceHolds(UUID stepId, int attempt) {
    return jdbc.sql(
            "select not exists (select 1 from step_fences where step_id = :step and attempt > :a)")
        .param("step", stepId)
        .param("a", attempt)
        .query(Boolean.class)
        .single();
  }

  @Override
  public @Nullable EventId last(UUID conversationId) {
    return jdbc.sql(
            """
            select ms, seq from events
            where conversation_id = :c and (expires_at is null or expires_at > now())
            order by ms desc, seq desc limit 1
            """)
        .param("c", conversationId)
        .query((rs, n) -> new EventId(rs.getLong("ms"), rs.getLong("seq")))
        .optional()
        .orElse(null);
  }

  @Override
  public List<LoggedEvent> readAfter(UUID conversationId, @Nullable EventId after, int limit) {
    EventId from = after == null ? new EventId(-1, 0) : after;
    return jdbc.sql(
            """
            select ms, seq, payload from events
            where conversation_id = :c and (ms, seq) > (:ms, :seq)
              and (expires_at is null or expires_at > now())
            order by ms, seq limit :limit
            """)
        .param("c", conversationId)
        .param("ms", from.ms())
        .param("seq", from.seq())
        .param("limit", limit)
        .query(
            (rs, n) ->
                new LoggedEvent(
                    new EventId(rs.getLong("ms"), rs.getLong("seq")), rs.getString("payload")))
        .list();
  }

  @Override
  public AutoCloseable watch(UUID conversationId, Runnable signal) {
    listener.ensureListening();
    return watchers.add(conversationId, signal);
  }

  @Override
  public void expireAfter(UUID conversationId, Duration ttl) {
    jdbc.sql("update events set expires_at = :at where conversation_id = :c")
        .param("c", conversationId)
        .param("at", Timestamp.from(clock.instant().plus(ttl)))
        .update();
  }

  void delete(UUID conversationId) {
    jdbc.sql("delete from events where conversation_id = :c").param("c", conversationId).update();
  }

  /** Deletes expired events (and fences); run on a schedule. */
  int purgeExpired() {
    jdbc.sql("delete from step_fences where expires_at <= now()").update();
    return jdbc.sql("delete from events where expires_at <= now()").update();
  }

  private void onNotification(String payload) {
    try {
      watchers.signal(UUID.fromString(payload));
    } catch (IllegalArgumentException e) {
      log.debug("ignoring notification {}", payload);
    }
  }

  @Override
  public void destroy() {
    listener.close();
  }

  /**
   * One connection per pod, outside the pool, that LISTENs on a channel and hands each payload to a
   * callback; it reconnects after failures.
   */
  static final class NotificationListener implements AutoCloseable {

    private final DatabaseTarget database;
    private final String channel;
    private final java.util.function.Consumer<String> onPayload;
    private volatile boolean running;
    private @Nullable Thread thread;
    private final java.util.concurrent.CountDownLatch listening =
        new java.util.concurrent.CountDownLatch(1);

    NotificationListener(
        DatabaseTarget database, String channel, java.util.function.Consumer<String> onPayload) {
      this.database = database;
      this.channel = channel;
      this.onPayload = onPayload;
    }

    /** Starts listening in the background (not on the start-up path: connecting takes a while). */
    synchronized void ensureStarted() {
      if (thread == null) {
        running = true;
        thread = Thread.ofPlatform().daemon().name("pg-listen-" + channel).start(this::loop);
      }
    }

    /**
     * Starts listening and waits (briefly) until the LISTEN is in place: a NOTIFY sent before it
     * would be lost, and a first subscriber would hear of new events only from its safety poll.
     */
    void ensureListening() {
      ensureStarted();
      try {
        listening.await(2, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void loop() {
      while (running) {
        try (Connection connection = connect()) {
          try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + channel);
          }
          listening.countDown();
          PGConnection pg = connection.unwrap(PGConnection.class);
          while (running) {
            PGNotification[] notifications = pg.getNotifications(500);
            if (notifications != null) {
              for (PGNotification notification : notifications) {
                onPayload.accept(notification.getParameter());
              }
            }
          }
        } catch (SQLException e) {
          if (running) {
            log.warn("listening on {} failed, retrying: {}", channel, e.getMessage());
            sleep(Duration.ofSeconds(1));
          }
        }
      }
    }

    private Connection connect() throws SQLException {
      Properties properties = new Properties();
      properties.setProperty("user", database.username());
      if (database.password() != null) {
        properties.setProperty("password", database.password());
      }
      return DriverManager.getConnection(database.jdbcUrl(), properties);
    }

    private static void sleep(Duration duration) {
      try {
        Thread.sleep(duration);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public synchronized void close() {
      running = false;
      if (thread != null) {
        thread.interrupt();
      }
    }
  }
}
