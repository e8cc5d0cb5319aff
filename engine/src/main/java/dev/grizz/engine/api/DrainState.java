package dev.grizz.engine.api;

import org.springframework.stereotype.Component;

/**
 * Whether this pod is draining its streams ({@link PodDrain}): set by {@link OpenStreams#drain()},
 * read by {@link PodRoleFilter} to refuse new streams. A bean of its own with no dependencies, so
 * that the filter, made while the web server starts, pulls in nothing else early.
 */
@Component
class DrainState {

  private volatile boolean draining;

  void start() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }
}
