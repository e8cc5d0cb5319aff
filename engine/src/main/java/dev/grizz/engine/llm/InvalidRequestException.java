package dev.grizz.engine.llm;

/**
 * A request value out of range or malformed (a temperature of 5, a negative token limit, a tool
 * without a schema): the caller's to fix, a 400 naming the field. Each API names the field in its
 * own terms from {@link #feature()}, or from {@link #param()} when the parser knew better.
 */
public final class InvalidRequestException extends RuntimeException {

  private final Feature feature;
  private final String param;

  public InvalidRequestException(Feature feature, String message) {
    this(feature, feature.openAiParam(), message);
  }

  public InvalidRequestException(Feature feature, String param, String message) {
    super(message);
    this.feature = feature;
    this.param = param;
  }

  public Feature feature() {
    return feature;
  }

  public String param() {
    return param;
  }
}
