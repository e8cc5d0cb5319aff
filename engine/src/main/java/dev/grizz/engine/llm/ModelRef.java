package dev.grizz.engine.llm;

/** A model at a provider, written {@code provider/model}. */
public record ModelRef(String provider, String model) {

  public String label() {
    return provider + "/" + model;
  }

  /** Parses {@code provider/model}; null when the text has no provider part. */
  static ModelRef parse(String text) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1) {
      return null;
    }
    return new ModelRef(text.substring(0, slash), text.substring(slash + 1));
  }
}
