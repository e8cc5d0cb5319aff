package dev.grizz.engine.event;

/** Runs one job; blocks until it is done. The queue keeps the job's lease alive meanwhile. */
@FunctionalInterface
public interface JobHandler {
  void handle(Job job);
}
