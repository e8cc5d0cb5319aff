package dev.grizz.engine.event;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where jobs wait: a Redis Stream with a consumer group, or a PostgreSQL table. */
interface JobBackend {

  void enqueue(Job job);

  /** Takes the next job, waiting up to {@code wait}; the caller owns it until it acks. */
  Optional<Claim> take(Duration wait);

  /** Jobs whose owner stopped renewing their lease for longer than {@code lease}, now ours. */
  List<Claim> reclaimStale(Duration lease, int max);

  /** Renews the lease of jobs this pod runs. */
  void renew(List<Claim> running);

  void ack(Claim claim);

  /** A job as held by this pod, with the backend's handle for it. */
  record Claim(Job job, String handle, JobBackend backend) {}
}
