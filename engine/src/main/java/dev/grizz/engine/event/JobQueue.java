package dev.grizz.engine.event;

import dev.grizz.engine.config.DatabaseTarget;
import dev.grizz.engine.config.IdGenerator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Hands steps to workers on any pod. Jobs go to Redis while it answers, to PostgreSQL otherwise;
 * this pod takes from both, runs at most {@code grizz.events.workers} at once on virtual threads,
 * renews the lease of each running job, and takes over jobs whose worker stopped renewing.
 */
@Service
public class JobQueue implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(JobQueue.class);

  private final @Nullable RedisJobBackend redis;
  private final PostgresJobBackend postgres;
  private final RedisMode mode;
  private final EventSettings settings;
  private final String podId;
  private final Semaphore capacity;
  private final Set<JobBackend.Claim> running = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;
  // False once this pod drains: it finishes what it runs and takes nothing new.
  private volatile boolean taking = true;
  private final boolean runsSteps;
  private volatile @Nullable JobHandler handler;
  private final io.micrometer.core.instrument.Counter startedHere;
  private final io.micrometer.core.instrument.Counter startedFromQueue;

  JobQueue(
      ObjectProvider<RedisJobBackend.Factory> redis,
      JdbcClient jdbc,
      IdGenerator ids,
      Clock clock,
      DatabaseTarget database,
      RedisMode mode,
      EventSettings settings,
      dev.grizz.engine.config.PodSettings pod,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.podId = newPodId();
    this.runsSteps = pod.role().runsSteps();
    RedisJobBackend.Factory factory = redis.getIfAvailable();
    // One stream per deployment: engines on one Redis with other databases never take these jobs.
    this.redis =
        factory == null
            ? null
            : factory.create(
                podId, jdbc.sql("select id from deployment").query(java.util.UUID.class).single());
    this.postgres = new PostgresJobBackend(jdbc, ids, clock, database, podId, settings.lease());
    this.mode = mode;
    this.settings = settings;
    this.capacity = new Semaphore(settings.workers());
    io.micrometer.core.instrument.Gauge.builder("grizz.jobs.running", running, Set::size)
        .description("Answers this pod is generating now")
        .register(meters);
    this.startedHere = started(meters, "here");
    this.startedFromQueue = started(meters, "queue");
  }

  private static io.micrometer.core.instrument.Counter started(
      io.micrometer.core.instrument.MeterRegistry meters, String via) {
    return io.micrometer.core.instrument.Counter.builder("grizz.jobs.started")
        .description(
            "Jobs this pod started: posted here with a worker free, or taken from the queue")
        .tag("via", via)
        .register(meters);
  }

  /** This pod's name among workers. */
  public String podId() {
    return podId;
  }

  public void enqueue(Job job) {
    if (redis != null && mode.redisUp()) {
      try {
        redis.enqueue(job);
        return;
      } catch (RuntimeException e) {
        mode.redisFailed(e);
      }
    }
    postgres.enqueue(job);
  }

  /**
   * Runs the job on this pod at once when one of its workers is free, else queues it for any pod.
   * Skipping the queue saves its round trips before the first token; a job run here is as safe as a
   * queued one, because its step is stored first and a step left queued or running past its lease
   * is queued again by any pod's sweep.
   */
  public void runHereOrEnqueue(Job job) {
    JobHandler local = handler;
    if (local != null && taking && !stopping && capacity.tryAcquire()) {
      run(new JobBackend.Claim(job, "local", LocalJobs.INSTANCE), local);
      return;
    }
    enqueue(job);
  }

  /** Starts taking jobs for {@code handler}; call once. */
  public synchronized void start(JobHandler handler) {
    if (!runsSteps) {
      log.info("role gateway: this pod runs no steps");
      return;
    }
    if (settings.workers() == 0) {
      log.info("grizz.events.workers is 0: this pod runs no steps");
      return;
    }
    this.handler = handler;
    threads.add(
        Thread.ofPlatform()
            .daemon()
            .name("jobs-postgres")
            .start(() -> dispatch(postgres, handler)));
    if (redis != null) {
      threads.add(
          Thread.ofPlatform().daemon().name("jobs-redis").start(() -> dispatch(redis, handler)));
    }
    threads.add(Thread.ofPlatform().daemon().name("jobs-lease").start(() -> maintain(handler)));
  }

  /** Jobs running on this pod now. */
  public int runningCount() {
    return running.size();
  }

  /**
   * Stops taking jobs (queued, stale or posted here) for good: a draining pod finishes what it
   * runs, renewing those leases, and leaves the rest to other pods.
   */
  public void stopTaking() {
    taking = false;
  }

  /** Waits until this pod runs no job or {@code limit} passes; true when none runs. */
  public boolean awaitIdle(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!running.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return running.isEmpty();
  }

  private void dispatch(JobBackend backend, JobHandler handler) {
    while (!stopping && taking) {
      try {
        capacity.acquire();
      } catch (InterruptedException e) {
        return;
      }
      if (!taking) {
        capacity.release();
        return;
      }
      Optional<JobBackend.Claim> claim = Optional.empty();
      try {
        if (backend == redis && !mode.redisUp()) {
          Thread.sleep(RedisMode.PROBE);
        } else {
          claim = backend.take(Duration.ofSeconds(1));
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (stopping) {
          return;
        }
        if (backend == redis) {
          mode.redisFailed(e);
        } else {
          log.warn("taking a job from PostgreSQL failed: {}", e.getMessage());
        }
        pause();
      }
      if (claim.isPresent()) {
        run(claim.get(), handler);
      } else {
        capacity.release();
      }
    }
  }

  private void run(JobBackend.Claim claim, JobHandler handler) {
    (claim.backend() == LocalJobs.INSTANCE ? startedHere : startedFromQueue).increment();
    running.add(claim);
    Thread.ofVirtual()
        .name("job-" + claim.job().stepId())
        .start(
            () -> {
              try {
                handler.handle(claim.job());
              } catch (RuntimeException e) {
                log.error("job for step {} failed", claim.job().stepId(), e);
              } finally {
                running.remove(claim);
                capacity.release();
                try {
                  claim.backend().ack(claim);
                } catch (RuntimeException e) {
                  // Left pending, the job is taken over later and finds its step finished.
                  log.debug("ack of job {} failed: {}", claim.handle(), e.getMessage());
                }
              }
            });
  }

  private void maintain(JobHandler handler) {
    Duration every = settings.lease().dividedBy(3);
    while (!stopping) {
      try {
        Thread.sleep(every);
      } catch (InterruptedException e) {
        return;
      }
      renew(postgres);
      if (redis != null && mode.redisUp()) {
        renew(redis);
      }
      if (!taking) {
        continue;
      }
      reclaim(postgres, handler);
      if (redis != null && mode.redisUp()) {
        reclaim(redis, handler);
      }
    }
  }

  private void renew(JobBackend backend) {
    List<JobBackend.Claim> mine = running.stream().filter(c -> c.backend() == backend).toList();
    try {
      backend.renew(mine);
    } catch (RuntimeException e) {
      if (backend == redis) {
        mode.redisFailed(e);
      }
    }
  }

  private void reclaim(JobBackend backend, JobHandler handler) {
    int free = capacity.availablePermits();
    if (free == 0) {
      return;
    }
    try {
      for (JobBackend.Claim claim : backend.reclaimStale(settings.lease(), Math.min(free, 16))) {
        if (capacity.tryAcquire()) {
          log.info("taking over job for step {} from a silent worker", claim.job().stepId());
          run(claim, handler);
        }
      }
    } catch (RuntimeException e) {
      if (backend == redis) {
        mode.redisFailed(e);
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(RedisMode.PROBE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String newPodId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "pod";
    }
    return host + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  }

  @Override
  public void destroy() {
    stopping = true;
    threads.forEach(Thread::interrupt);
    postgres.close();
    if (redis != null) {
      redis.close();
    }
  }
}
