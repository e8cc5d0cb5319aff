package dev.grizz.engine.moderation;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonField;
import com.openai.models.moderations.Moderation;
import com.openai.models.moderations.ModerationCreateParams;
import com.openai.models.moderations.ModerationCreateResponse;
import dev.grizz.engine.llm.UpstreamHttp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's moderation endpoint ({@code POST /moderations}) through the official SDK. Failures
 * (status, timeout, a malformed body) surface as the SDK's exceptions; falling back is {@link
 * FallbackModerator}'s job, so the SDK's own retries are off.
 */
final class OpenAiModerator implements Moderator {

  private final OpenAIClient client;
  private final String model;

  OpenAiModerator(String baseUrl, @Nullable String apiKey, String model, Duration timeout) {
    this.model = model;
    this.client =
        OpenAIOkHttpClient.builder()
            .okHttpClient(UpstreamHttp.client())
            .baseUrl(baseUrl)
            .apiKey(apiKey == null || apiKey.isBlank() ? "none" : apiKey)
            .maxRetries(0)
            .timeout(timeout)
            .build();
  }

  @Override
  public Map<String, Double> scores(String text) {
    ModerationCreateResponse response =
        client
            .moderations()
            .create(ModerationCreateParams.builder().model(model).input(text).build());
    if (response.results().isEmpty()) {
      throw new IllegalStateException("the moderation response has no results");
    }
    return scores(response.results().getFirst());
  }

  /**
   * {@code category_scores} by category name. A score the model does not report (older models have
   * no {@code illicit}) is taken from {@code categories}: 1 when flagged, else left out, so a
   * missing score never reads as a clean 0 for something the model did flag.
   */
  static Map<String, Double> scores(Moderation result) {
    Moderation.CategoryScores s = result.categoryScores();
    Moderation.Categories c = result.categories();
    Map<String, Double> scores = new LinkedHashMap<>();
    put(scores, "harassment", s._harassment(), c._harassment());
    put(scores, "harassment/threatening", s._harassmentThreatening(), c._harassmentThreatening());
    put(scores, "hate", s._hate(), c._hate());
    put(scores, "hate/threatening", s._hateThreatening(), c._hateThreatening());
    put(scores, "illicit", s._illicit(), c._illicit());
    put(scores, "illicit/violent", s._illicitViolent(), c._illicitViolent());
    put(scores, "self-harm", s._selfHarm(), c._selfHarm());
    put(scores, "self-harm/intent", s._selfHarmIntent(), c._selfHarmIntent());
    put(scores, "self-harm/instructions", s._selfHarmInstructions(), c._selfHarmInstructions());
    put(scores, "sexual", s._sexual(), c._sexual());
    put(scores, "sexual/minors", s._sexualMinors(), c._sexualMinors());
    put(scores, "violence", s._violence(), c._violence());
    put(scores, "violence/graphic", s._violenceGraphic(), c._violenceGraphic());
    return scores;
  }

  private static void put(
      Map<String, Double> scores,
      String category,
      JsonField<Double> score,
      JsonField<Boolean> flagged) {
    Optional<Double> known = score.asKnown();
    if (known.isPresent()) {
      scores.put(category, Math.clamp(known.get(), 0.0, 1.0));
    } else if (flagged.asKnown().orElse(false)) {
      scores.put(category, 1.0);
    }
  }
}
