package dev.grizz.engine.event;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Jobs handed straight to this pod's workers: nothing to take, renew or acknowledge. */
final class LocalJobs implements JobBackend {

  static final JobBackend INSTANCE = new LocalJobs();

  private LocalJobs() {}

  @Override
  public void enqueue(Job job) {
    throw new UnsupportedOperationException("local jobs are run, not queued");
  }

  @Override
  public Optional<Claim> take(Duration wait) {
    return Optional.empty();
  }

  @Override
  public List<Claim> reclaimStale(Duration lease, int max) {
    return List.of();
  }

  @Override
  public void renew(List<Claim> running) {}

  @Override
  public void ack(Claim claim) {}
}
