package dev.grizz.engine.llm;

import java.util.EnumSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the catalog knows a model can do. A null is "not known": the provider's adapter then decides
 * alone. {@code maxOutputTokens} is the most output a request may ask of the model.
 */
public record ModelCapabilities(
    @Nullable Boolean tools,
    @Nullable Boolean vision,
    @Nullable Boolean jsonSchema,
    @Nullable Boolean reasoning,
    @Nullable Integer maxOutputTokens) {

  public static final ModelCapabilities UNKNOWN =
      new ModelCapabilities(null, null, null, null, null);

  /** The features of {@code request} this model cannot honour, as far as the catalog knows. */
  Set<Feature> lacking(LlmRequest request) {
    Set<Feature> lacking = EnumSet.noneOf(Feature.class);
    if (Boolean.FALSE.equals(tools)) {
      lacking.addAll(EnumSet.of(Feature.TOOLS, Feature.TOOL_CHOICE, Feature.PARALLEL_TOOL_CALLS));
    }
    if (Boolean.FALSE.equals(vision)) {
      lacking.add(Feature.IMAGES);
    }
    if (Boolean.FALSE.equals(jsonSchema)) {
      lacking.add(Feature.JSON_SCHEMA);
    }
    if (Boolean.FALSE.equals(reasoning)) {
      lacking.add(Feature.REASONING);
    }
    Integer asked = request.options().maxOutputTokens();
    if (maxOutputTokens != null && asked != null && asked > maxOutputTokens) {
      lacking.add(Feature.MAX_OUTPUT_TOKENS);
    }
    lacking.retainAll(request.features());
    return lacking;
  }
}
