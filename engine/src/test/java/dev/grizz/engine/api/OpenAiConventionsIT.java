package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.RawHttp;
import dev.grizz.engine.security.Accounts;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The conventions OpenAI's clients rely on beyond the bodies: a request id on every answer, rate
 * limits under OpenAI's names, one model by id, OpenAI's error shape on every status, its context
 * overflow code, and chunks that name the model that answered.
 */
@EngineIT
class OpenAiConventionsIT {

  private static final String CHAT =
      "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @LocalServerPort int port;
  @Autowired Accounts accounts;
  ApiClient account;
  ApiClient v1;
  String key;
  OpenAIClient openai;

  @BeforeEach
  void client() {
    account = ApiClient.admin(port, accounts);
    key =
        account.post("/api/v1/api-keys", "{\"name\":\"conventions\"}").body().get("key").asString();
    v1 = ApiClient.withToken(port, key);
    openai =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://localhost:" + port + "/v1")
            .apiKey(key)
            .maxRetries(0)
            .build();
  }

  private static ChatCompletionCreateParams ask(String model, String question) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(question).build();
  }

  /** The reply's error is OpenAI's shape: message, type, param, code, plus the trace id. */
  private static void assertOpenAiError(ApiClient.Reply reply, int status, String type) {
    assertThat(reply.status()).as(reply.raw()).isEqualTo(status);
    JsonNode error = reply.body().get("error");
    assertThat(error).as(reply.raw()).isNotNull();
    assertThat(error.has("message") && error.has("type") && error.has("param") && error.has("code"))
        .as(reply.raw())
        .isTrue();
    assertThat(error.get("type").asString()).as(reply.raw()).isEqualTo(type);
    assertThat(error.get("trace_id").asString()).isEqualTo(reply.header("X-Trace-Id"));
    assertThat(reply.header("x-request-id")).isEqualTo(reply.header("X-Trace-Id"));
  }

  @Test
  void theSdkReadsTheTraceIdAsTheRequestId() {
    HttpResponseFor<ChatCompletion> whole =
        openai.chat().completions().withRawResponse().create(ask("demo", "an id please"));
    assertThat(whole.requestId()).hasValueSatisfying(id -> assertThat(id).hasSize(32));
    assertThat(whole.requestId()).contains(whole.headers().values("X-Trace-Id").getFirst());

    HttpResponseFor<StreamResponse<ChatCompletionChunk>> streamed =
        openai.chat().completions().withRawResponse().createStreaming(ask("demo", "streamed id"));
    try (StreamResponse<ChatCompletionChunk> chunks = streamed.parse()) {
      chunks.stream().forEach(chunk -> {});
    }
    assertThat(streamed.requestId()).isPresent().isNotEqualTo(whole.requestId());

    assertThat(v1.get("/v1/models").header("x-request-id")).hasSize(32);
  }

  @Test
  void rateLimitsCarryOpenAisNamesBesideTheIetfOnes() {
    ApiClient.Reply reply = v1.post("/v1/chat/completions", CHAT);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("x-ratelimit-limit-requests"))
        .isEqualTo(reply.header("RateLimit-Limit"));
    assertThat(reply.header("x-ratelimit-remaining-requests"))
        .isEqualTo(reply.header("RateLimit-Remaining"));
    assertThat(reply.header("x-ratelimit-reset-requests"))
        .isEqualTo(OpenAiHeaders.duration(Long.parseLong(reply.header("RateLimit-Reset"))));
  }

  @Test
  void aRefusalByTheRateLimitCarriesThemToo() {
    String limited =
        account
            .post("/api/v1/api-keys", "{\"name\":\"slow\",\"messages_per_minute\":1}")
            .body()
            .get("key")
            .asString();
    ApiClient client = ApiClient.withToken(port, limited);
    assertThat(client.post("/v1/chat/completions", CHAT).status()).isEqualTo(200);

    ApiClient.Reply refused = client.post("/v1/chat/completions", CHAT);

    assertOpenAiError(refused, 429, "rate_limit_error");
    assertThat(refused.header("x-ratelimit-limit-requests")).isEqualTo("1");
    assertThat(refused.header("x-ratelimit-remaining-requests")).isEqualTo("0");
    assertThat(refused.header("x-ratelimit-reset-requests")).matches("(\\d+m)?\\d+s");
    assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
  }

  @Test
  void everyListedModelIsServedByItsIdSlashesAndAll() {
    List<Model> listed = openai.models().list().data();
    assertThat(listed).isNotEmpty();
    for (Model model : listed) {
      ApiClient.Reply reply = v1.get("/v1/models/" + model.id());

      assertThat(reply.status()).as(model.id()).isEqualTo(200);
      assertThat(reply.body().get("id").asString()).isEqualTo(model.id());
      assertThat(reply.body().get("object").asString()).isEqualTo("model");
      assertThat(reply.body().get("owned_by").asString()).isEqualTo(model.ownedBy());
      assertThat(reply.body().has("created")).isTrue();
      // As OpenAI's SDKs send it: the id one escaped path segment, its '/' as %2F.
      String escaped =
          java.net.URLEncoder.encode(model.id(), java.nio.charset.StandardCharsets.UTF_8);
      ApiClient.Reply byEscapedId = v1.get("/v1/models/" + escaped);
      assertThat(byEscapedId.status()).as(escaped).isEqualTo(200);
      assertThat(byEscapedId.body().get("id").asString()).isEqualTo(model.id());
      assertThat(openai.models().retrieve(model.id()).id()).isEqualTo(model.id());
    }
    assertThat(listed).extracting(Model::id).contains("demo/demo");
  }

  @Test
  void anUnknownModelIdIsOpenAisNotFound() {
    ApiClient.Reply reply = v1.get("/v1/models/nobody/gpt-99");

    assertOpenAiError(reply, 404, "invalid_request_error");
    assertThat(reply.errorCode()).isEqualTo("model_not_found");
    assertThat(reply.body().at("/error/param").asString()).isEqualTo("model");
    assertThat(reply.body().at("/error/message").asString()).contains("nobody/gpt-99");
  }

  @Test
  void everyStatusOnV1IsInOpenAisShape() {
    assertOpenAiError(v1.get("/v1/nope"), 404, "invalid_request_error");
    assertOpenAiError(v1.get("/v1/models/"), 404, "invalid_request_error");
    ApiClient.Reply method = v1.delete("/v1/models");
    assertOpenAiError(method, 405, "invalid_request_error");
    assertThat(method.header("Allow")).contains("GET");
    assertOpenAiError(
        v1.send("/v1/chat/completions", "POST", CHAT, "text/plain"), 415, "invalid_request_error");
    assertOpenAiError(
        v1.get("/v1/models", Map.of("Accept", "application/xml")), 406, "invalid_request_error");
    assertOpenAiError(
        ApiClient.unauthenticated(port).get("/v1/models"), 401, "authentication_error");

    // The engine's own API keeps its shape.
    ApiClient.Reply own = account.get("/api/v1/nope");
    assertThat(own.status()).isEqualTo(404);
    assertThat(own.body().at("/error/code").asString()).isEqualTo("not_found");
    assertThat(own.body().at("/error/type").isMissingNode()).isTrue();
  }

  @Test
  void refusalsBeforeAnyFilterOrRouteCarryTheRequestIdToo() {
    RawHttp http = new RawHttp(port);
    Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
    for (String target : List.of("/v1/models%2Fdemo", "/v1/models/%zz", "/v1/models/a;b")) {
      RawHttp.Response response = http.send("GET", target, auth, null);

      assertThat(response.status()).as(target).isEqualTo(400);
      JsonNode error = JsonMapper.builder().build().readTree(response.text()).get("error");
      assertThat(error.get("type").asString()).as(target).isEqualTo("invalid_request_error");
      assertThat(response.header("x-request-id"))
          .as(target)
          .isEqualTo(error.get("trace_id").asString());
    }
  }

  @Test
  void aContextOverflowIsOpenAisContextLengthExceeded() {
    String conversation = account.post("/api/v1/conversations", "{}").body().get("id").asString();
    StringBuilder words = new StringBuilder();
    for (int i = 0; words.length() < 30_000; i++) {
      words.append(Integer.toString(i * 7919, 36)).append(' ');
    }
    String body =
        "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + words + "\"}]}";

    ApiClient.Reply reply =
        ApiClient.withToken(port, account.token())
            .send(
                "/v1/chat/completions",
                "POST",
                body,
                "application/json",
                Map.of("X-Grizz-Conversation-Id", conversation));

    assertOpenAiError(reply, 400, "invalid_request_error");
    assertThat(reply.errorCode()).isEqualTo("context_length_exceeded");
    // The engine's own chat API keeps its own code for the same refusal.
    assertThat(
            account
                .post(
                    "/api/v1/conversations/" + conversation + "/messages",
                    "{\"content\":\"" + words + "\"}")
                .errorCode())
        .isEqualTo("content_too_long");
  }

  @Test
  void streamedChunksNameTheModelThatAnswered() {
    String answered = openai.chat().completions().create(ask("auto", "who answers")).model();
    assertThat(answered).isEqualTo("demo/demo");

    Set<String> named = new HashSet<>();
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream =
        openai.chat().completions().createStreaming(ask("auto", "who streams"))) {
      stream.stream()
          .forEach(
              chunk -> {
                named.add(chunk.model());
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
              });
    }

    assertThat(text).isNotEmpty();
    assertThat(named).containsExactly(answered);
  }

  @Test
  void aRawStreamCarriesTheRequestIdAndTheAnsweringModel() {
    RawHttp.Response response =
        new RawHttp(port)
            .send(
                "POST",
                "/v1/chat/completions",
                Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json"),
                "{\"model\":\"auto\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"raw\"}]}"
                    .getBytes(StandardCharsets.UTF_8));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("x-request-id")).isEqualTo(response.header("x-trace-id"));
    JsonMapper json = JsonMapper.builder().build();
    List<String> models =
        response
            .text()
            .lines()
            .filter(line -> line.startsWith("data: {"))
            .map(line -> json.readTree(line.substring(6)).get("model").asString())
            .toList();
    assertThat(models).isNotEmpty().containsOnly("demo/demo");
  }
}
