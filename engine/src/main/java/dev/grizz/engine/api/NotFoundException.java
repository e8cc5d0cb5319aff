package dev.grizz.engine.api;

/**
 * Something the caller named that does not exist, or that is not theirs: the same 404 either way.
 */
final class NotFoundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  NotFoundException(String message) {
    super(message, null, false, false);
  }
}
