package dev.grizz.engine.llm;

/** The caller asked for a model that no enabled provider serves. */
public final class UnknownModelException extends RuntimeException {

  private final String model;

  public UnknownModelException(String model) {
    super("no enabled provider serves the model '" + model + "'");
    this.model = model;
  }

  public String model() {
    return model;
  }
}
