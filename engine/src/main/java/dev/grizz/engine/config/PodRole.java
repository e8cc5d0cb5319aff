package dev.grizz.engine.config;

/**
 * What a pod does ({@code GRIZZ_ROLE}): sockets and generation scale apart when gateways and
 * workers are separate deployments.
 */
public enum PodRole {
  /** Everything in one process: the default, for one machine and small installs. */
  ALL,
  /**
   * HTTP, WebSocket and server-sent events: accepts messages, queues their steps and streams the
   * event log; runs no steps. The {@code /v1} requests that wait for their answer (chat
   * completions, messages, responses without {@code background}) are answered here, since the
   * answer goes back on the request itself.
   */
  GATEWAY,
  /** Runs steps and tools from the job queue; its port serves only health, readiness, metrics. */
  WORKER;

  public boolean runsSteps() {
    return this != GATEWAY;
  }

  public boolean servesApi() {
    return this != WORKER;
  }
}
