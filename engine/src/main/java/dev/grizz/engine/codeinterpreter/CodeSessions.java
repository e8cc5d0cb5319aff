package dev.grizz.engine.codeinterpreter;

import dev.grizz.engine.file.FileStore;
import dev.grizz.engine.file.StoredFile;
import dev.grizz.engine.llm.CancelSignal;
import dev.grizz.engine.sandbox.ExecResult;
import dev.grizz.engine.sandbox.SandboxBackend;
import dev.grizz.engine.sandbox.SandboxException;
import dev.grizz.engine.sandbox.SandboxFile;
import dev.grizz.engine.sandbox.SandboxLimits;
import dev.grizz.engine.sandbox.SandboxSession;
import dev.grizz.engine.sandbox.SessionSpec;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The running Python sessions of this pod, one per conversation. A conversation's session keeps its
 * variables between calls until it idles out ({@code grizz.sandbox.idle-timeout}), is evicted to
 * make room, or dies; the next call then starts a new one with the conversation's files copied into
 * {@code /mnt/data} (on this pod or another: files are in PostgreSQL, variables are not).
 */
@Component
public class CodeSessions implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(CodeSessions.class);

  private static final int REMEMBERED = 10_000;

  private final CodeSandbox sandbox;
  private final SandboxSettings settings;
  private final FileStore files;
  private final SandboxUsage usage;
  private final MeterRegistry meters;
  private final Map<UUID, Live> live = new ConcurrentHashMap<>();

  /** Conversations this pod ran code for (the most recent ones): a new session there restarts. */
  private final java.util.Set<UUID> ran =
      java.util.Collections.newSetFromMap(
          java.util.Collections.synchronizedMap(
              new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<UUID, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  private final Thread reaper;

  /** A conversation's session, and when a call last ended. */
  private static final class Live {
    final UUID userId;
    final SandboxSession session;
    volatile long lastUsed = System.nanoTime();
    volatile boolean busy;

    Live(UUID userId, SandboxSession session) {
      this.userId = userId;
      this.session = session;
    }
  }

  /**
   * A call's outcome.
   *
   * @param files the files it wrote, as kept
   * @param restarted a new session took the place of an earlier one: variables are gone
   */
  public record Ran(ExecResult result, List<StoredFile> files, boolean restarted) {}

  CodeSessions(
      CodeSandbox sandbox,
      SandboxSettings settings,
      FileStore files,
      SandboxUsage usage,
      MeterRegistry meters) {
    this.sandbox = sandbox;
    this.settings = settings;
    this.files = files;
    this.usage = usage;
    this.meters = meters;
    Gauge.builder("grizz.sandbox.sessions", live, Map::size)
        .description("Code sandbox sessions running on this pod")
        .register(meters);
    this.reaper = Thread.ofVirtual().name("sandbox-reaper").start(this::reap);
  }

  /** Whether code can run here at all. */
  public boolean enabled() {
    return sandbox.backend().isPresent();
  }

  /**
   * Runs {@code code} in the conversation's session, starting one when it has none.
   *
   * @throws SandboxException when no session can run it (off, budget spent, no room, start failed)
   */
  public Ran run(
      UUID userId,
      UUID conversationId,
      String code,
      CancelSignal cancel,
      SandboxSession.OutputListener output)
      throws SandboxException {
    SandboxBackend backend =
        sandbox
            .backend()
            .orElseThrow(() -> new SandboxException("Code execution is not enabled here."));
    if (settings.dailySecondsPerUser() >= 0
        && usage.usedToday(userId) >= settings.dailySecondsPerUser()) {
      throw new SandboxException(
          "The user's sandbox time for today ("
              + settings.dailySecondsPerUser()
              + " s) is spent; answer without running code.");
    }
    boolean[] restarted = {false};
    Live session;
    synchronized (this) {
      session = live.get(conversationId);
      if (session == null || !session.session.alive()) {
        if (session != null) {
          stop(conversationId, session, "died");
        }
        makeRoom(userId);
        session = start(backend, userId, conversationId, restarted);
        live.put(conversationId, session);
      }
      session.busy = true;
    }
    Live running = session;
    cancel.onCancel(() -> stop(conversationId, running, "cancelled"));
    long started = System.nanoTime();
    try {
      ExecResult result = running.session.exec(code, output);
      meters
          .timer("grizz.sandbox.calls", "status", result.status().name().toLowerCase())
          .record(Duration.ofNanos(System.nanoTime() - started));
      if (result.status() == ExecResult.Status.KILLED) {
        stop(conversationId, running, "killed");
      }
      return new Ran(result, keep(userId, conversationId, result.files()), restarted[0]);
    } finally {
      usage.add(userId, Duration.ofNanos(System.nanoTime() - started));
      running.lastUsed = System.nanoTime();
      running.busy = false;
    }
  }

  private Live start(SandboxBackend backend, UUID userId, UUID conversationId, boolean[] restarted)
      throws SandboxException {
    SandboxLimits limits =
        new SandboxLimits(
            (long) settings.memoryMb() << 20,
            settings.callTimeout(),
            settings.callTimeout(),
            SandboxLimits.DEFAULT_MAX_PROCESSES,
            SandboxLimits.DEFAULT_MAX_FILE_BYTES,
            SandboxLimits.DEFAULT_MAX_DISK_BYTES,
            SandboxLimits.DEFAULT_MAX_OUTPUT_BYTES);
    SandboxSession session =
        backend.start(new SessionSpec("c" + conversationId.toString().replace("-", ""), limits));
    meters.counter("grizz.sandbox.starts", "backend", backend.name()).increment();
    // An earlier session of this conversation (here, or one that wrote files on another pod).
    restarted[0] = !ran.add(conversationId);
    try {
      for (StoredFile file : files.contents(conversationId)) {
        if (file.origin().equals(StoredFile.SANDBOX)) {
          restarted[0] = true;
        }
        session.putFile(file.name(), java.util.Objects.requireNonNull(file.content()));
      }
    } catch (SandboxException | RuntimeException e) {
      session.close();
      throw e;
    }
    return new Live(userId, session);
  }

  /** Stops the least recently used idle session of the user, or of the pod, when either is full. */
  private void makeRoom(UUID userId) throws SandboxException {
    List<Map.Entry<UUID, Live>> mine =
        live.entrySet().stream().filter(e -> e.getValue().userId.equals(userId)).toList();
    if (mine.size() >= settings.maxSessionsPerUser() && !evictIdle(mine)) {
      throw new SandboxException(
          "The user already runs "
              + mine.size()
              + " code sessions, all busy; try again when one has finished.");
    }
    if (live.size() >= settings.maxSessions() && !evictIdle(new ArrayList<>(live.entrySet()))) {
      throw new SandboxException("Every code session of this engine is busy; try again shortly.");
    }
  }

  private boolean evictIdle(List<Map.Entry<UUID, Live>> among) {
    Optional<Map.Entry<UUID, Live>> oldest =
        among.stream()
            .filter(e -> !e.getValue().busy)
            .min(Comparator.comparingLong(e -> e.getValue().lastUsed));
    oldest.ifPresent(e -> stop(e.getKey(), e.getValue(), "evicted"));
    return oldest.isPresent();
  }

  private List<StoredFile> keep(UUID userId, UUID conversationId, List<SandboxFile> written) {
    List<StoredFile> kept = new ArrayList<>();
    for (SandboxFile file : written) {
      byte[] content = file.content();
      // A file in a subdirectory of /mnt/data is kept under its path with '/' made '_'.
      String name = file.name().replace('/', '_');
      if (content == null || !FileStore.validName(name)) {
        continue;
      }
      kept.add(files.save(userId, conversationId, name, content, StoredFile.SANDBOX));
    }
    return kept;
  }

  private void stop(UUID conversationId, Live session, String why) {
    if (live.remove(conversationId, session)) {
      meters.counter("grizz.sandbox.stops", "reason", why).increment();
      log.debug("sandbox session of conversation {} stopped: {}", conversationId, why);
    }
    session.session.close();
  }

  private void reap() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(Math.min(30_000, Math.max(1_000, settings.idleTimeout().toMillis() / 4)));
      } catch (InterruptedException e) {
        return;
      }
      long idleNanos = settings.idleTimeout().toNanos();
      for (Map.Entry<UUID, Live> entry : live.entrySet()) {
        Live session = entry.getValue();
        if (!session.busy && System.nanoTime() - session.lastUsed > idleNanos) {
          stop(entry.getKey(), session, "idle");
        }
      }
    }
  }

  /** Sessions running on this pod (for tests and metrics). */
  public int running() {
    return live.size();
  }

  /** The conversation's session, if this pod runs one. */
  @Nullable SandboxSession sessionOf(UUID conversationId) {
    Live session = live.get(conversationId);
    return session == null ? null : session.session;
  }

  @Override
  public void destroy() {
    reaper.interrupt();
    live.forEach((id, session) -> stop(id, session, "shutdown"));
  }
}
