package dev.grizz.engine.moderation;

import dev.grizz.engine.llm.StreamingPost;
import dev.grizz.engine.llm.UpstreamHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's moderation endpoint ({@code POST {base}/moderations} with {@code model} and {@code
 * input}; the scores in {@code results[0].category_scores}) over the engine's shared upstream
 * transport ({@link UpstreamHttp}). The official SDK did this before; it brought ~80 MB (the SDK,
 * Kotlin's reflection, a second Jackson) into the jar for this one request.
 *
 * <p>Failures (a non-2xx status, a timeout, a body without results) throw; falling back is {@link
 * FallbackModerator}'s job, so there are no retries here.
 */
final class OpenAiModerator implements Moderator {

  private static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;
  private final HttpUrl endpoint;
  private final @Nullable String apiKey;
  private final String model;

  OpenAiModerator(String baseUrl, @Nullable String apiKey, String model, Duration timeout) {
    this.endpoint = StreamingPost.endpoint("OpenAI moderation", baseUrl, "moderations");
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    this.model = model;
    // The whole call (connect, send, wait, read) within the timeout, on the shared pool.
    this.http = UpstreamHttp.client().newBuilder().callTimeout(timeout).build();
  }

  @Override
  public Map<String, Double> scores(String text) {
    ObjectNode body = JsonMapper.shared().createObjectNode();
    body.put("model", model);
    body.put("input", text);
    Request.Builder request =
        new Request.Builder()
            .url(endpoint)
            .header("Accept", "application/json")
            .post(RequestBody.create(JsonMapper.shared().writeValueAsBytes(body), JSON));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    try (Response response = http.newCall(request.build()).execute()) {
      ResponseBody responseBody = response.body();
      String answer = responseBody == null ? "" : responseBody.string();
      if (!response.isSuccessful()) {
        throw new IllegalStateException(
            "OpenAI moderation: HTTP " + response.code() + ": " + errorMessage(answer));
      }
      JsonNode results = JsonMapper.shared().readTree(answer).path("results");
      if (!results.isArray() || results.isEmpty()) {
        throw new IllegalStateException("the moderation response has no results");
      }
      return scores(results.get(0));
    } catch (IOException e) {
      throw new UncheckedIOException("OpenAI moderation: " + e.getMessage(), e);
    } catch (JacksonException e) {
      throw new IllegalStateException("OpenAI moderation: a malformed response", e);
    }
  }

  /**
   * {@code category_scores} by category name. A score the model does not report (older models have
   * no {@code illicit}) is taken from {@code categories}: 1 when flagged, else left out, so a
   * missing score never reads as a clean 0 for something the model did flag.
   */
  static Map<String, Double> scores(JsonNode result) {
    JsonNode scoresNode = result.path("category_scores");
    JsonNode flags = result.path("categories");
    Map<String, Double> scores = new LinkedHashMap<>();
    for (String category : CATEGORIES) {
      JsonNode score = scoresNode.path(category);
      if (score.isNumber()) {
        scores.put(category, Math.clamp(score.doubleValue(), 0.0, 1.0));
      } else if (flags.path(category).asBoolean(false)) {
        scores.put(category, 1.0);
      }
    }
    return scores;
  }

  private static String errorMessage(String body) {
    try {
      String message = JsonMapper.shared().readTree(body).path("error").path("message").asString();
      if (!message.isEmpty()) {
        return message;
      }
    } catch (JacksonException notJson) {
      // fall through: the body as sent, cut short
    }
    return body.length() > 200 ? body.substring(0, 200) : body;
  }
}
