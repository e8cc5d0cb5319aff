package dev.grizz.engine.llm;

/**
 * No candidate for the request can honour a feature it uses (tools on a model without them, a seed
 * at a vendor that has none). Refused rather than silently dropped, unless dropping was opted into.
 */
public final class UnsupportedFeatureException extends RuntimeException {

  private final Feature feature;
  private final String model;

  public UnsupportedFeatureException(Feature feature, String model) {
    super(
        "the model '"
            + model
            + "' does not support '"
            + feature.openAiParam()
            + "' ("
            + feature.name().toLowerCase(java.util.Locale.ROOT)
            + "); send the request without it, pick another model, or opt into dropping what a"
            + " model cannot honour");
    this.feature = feature;
    this.model = model;
  }

  public Feature feature() {
    return feature;
  }

  public String model() {
    return model;
  }
}
