package dev.grizz.engine.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A pod's role and how it stops (see {@code docs/runbook.md}, "Gateway and worker roles").
 *
 * @param role what this pod does ({@code GRIZZ_ROLE}: all, gateway, worker)
 * @param drainDelay on shutdown, how long a pod serving the API keeps its open streams after its
 *     readiness turns 503, so that the load balancer stops sending it clients first; then every
 *     WebSocket closes with 1012 (service restart) and every event stream ends, and clients resume
 *     on another pod from their last event. Unset: {@link #GATEWAY_DRAIN_DELAY} on a gateway, none
 *     in the all-in-one role (a developer's Ctrl-C stops at once)
 * @param workerDrain on shutdown, how long a pod running steps waits for them to finish after it
 *     stops taking new ones; a step still running then is taken over by another worker once its
 *     lease runs out, and restarted. Unset: {@link #WORKER_DRAIN} on a worker, none in the
 *     all-in-one role
 */
@ConfigurationProperties("grizz.pod")
public record PodSettings(
    PodRole role, @Nullable Duration drainDelay, @Nullable Duration workerDrain) {

  public static final Duration GATEWAY_DRAIN_DELAY = Duration.ofSeconds(5);
  public static final Duration WORKER_DRAIN = Duration.ofSeconds(60);
  private static final Duration MAX_DRAIN = Duration.ofMinutes(30);

  public PodSettings {
    role = role == null ? PodRole.ALL : role;
    drainDelay =
        drainDelay != null ? drainDelay : role == PodRole.GATEWAY ? GATEWAY_DRAIN_DELAY : null;
    workerDrain = workerDrain != null ? workerDrain : role == PodRole.WORKER ? WORKER_DRAIN : null;
    check("grizz.pod.drain-delay", drainDelay);
    check("grizz.pod.worker-drain", workerDrain);
  }

  /** The all-in-one role with no drain: what tests and a single machine run. */
  public static PodSettings allInOne() {
    return new PodSettings(PodRole.ALL, null, null);
  }

  /** How long to keep open streams before ending them; zero when there is no drain delay. */
  public Duration streamsDrainDelay() {
    return drainDelay == null ? Duration.ZERO : drainDelay;
  }

  /** How long to wait for running steps; zero when this pod does not wait. */
  public Duration stepsDrain() {
    return workerDrain == null ? Duration.ZERO : workerDrain;
  }

  private static void check(String property, @Nullable Duration value) {
    SettingException.check(
        value == null || (!value.isNegative() && value.compareTo(MAX_DRAIN) <= 0),
        property,
        value == null ? null : value.toMillis() + "ms",
        "must be a duration from 0s to 30m, such as 5s");
  }
}
