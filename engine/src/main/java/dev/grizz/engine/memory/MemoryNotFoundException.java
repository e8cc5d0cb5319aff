package dev.grizz.engine.memory;

/** No memory by that id among the caller's. */
public final class MemoryNotFoundException extends RuntimeException {

  public MemoryNotFoundException() {
    super("No such memory.");
  }
}
