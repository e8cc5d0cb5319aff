package dev.grizz.engine.api;

import dev.grizz.engine.config.PodRole;
import dev.grizz.engine.config.PodSettings;
import dev.grizz.engine.event.JobQueue;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * How a pod stops (SIGTERM), before the web server's graceful shutdown and before any bean goes:
 *
 * <ol>
 *   <li>readiness turns 503 at once, and a pod running steps stops taking new ones;
 *   <li>a pod serving the API keeps its open streams for {@link PodSettings#drainDelay()}, while
 *       the load balancer takes it out of rotation, then ends them all (WebSocket close 1012, event
 *       streams end) and refuses new ones: clients resume from their last event on another pod;
 *   <li>a pod running steps waits up to {@link PodSettings#workerDrain()} for them to finish. Any
 *       still running when it exits is taken over by another worker once its lease runs out.
 * </ol>
 *
 * Every step waits in {@link #stop()} itself, so Spring's per-phase shutdown timeout does not cut
 * it short; the pod's termination grace period must cover both waits.
 */
@Component
class PodDrain implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PodDrain.class);

  private final PodSettings pod;
  private final OpenStreams streams;
  private final JobQueue jobs;
  private final ApplicationEventPublisher events;
  private volatile boolean running;

  PodDrain(PodSettings pod, OpenStreams streams, JobQueue jobs, ApplicationEventPublisher events) {
    this.pod = pod;
    this.streams = streams;
    this.jobs = jobs;
    this.events = events;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** First to stop: the web server and the event log still work while this drains. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }

  @Override
  public void stop() {
    running = false;
    AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
    PodRole role = pod.role();
    if (role.runsSteps()) {
      jobs.stopTaking();
    }
    try {
      if (role.servesApi()) {
        Duration delay = pod.streamsDrainDelay();
        if (delay.isPositive()) {
          log.info("draining: not ready; ending open streams in {}", delay);
          Thread.sleep(delay);
        }
        int ended = streams.drain();
        if (ended > 0) {
          log.info("draining: ended {} open streams; their clients resume elsewhere", ended);
        }
      }
      Duration wait = pod.stepsDrain();
      if (role.runsSteps() && wait.isPositive() && jobs.runningCount() > 0) {
        log.info("draining: waiting up to {} for {} running steps", wait, jobs.runningCount());
        if (!jobs.awaitIdle(wait)) {
          log.warn(
              "draining: {} steps still running; other workers take them over after their lease",
              jobs.runningCount());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
