package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.security.Accounts;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

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
}
