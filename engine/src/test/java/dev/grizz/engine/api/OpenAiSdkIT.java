package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.llm.DemoProviderAccess;
import dev.grizz.engine.security.Accounts;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The official OpenAI Java SDK, pointed at Grizz, streams and completes as against OpenAI. */
@EngineIT
class OpenAiSdkIT {

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired Accounts accounts;
  OpenAIClient openai;
  ApiClient account;

  @BeforeEach
  void client() {
    account = ApiClient.admin(port, accounts);
    String key =
        account.post("/api/v1/api-keys", "{\"name\":\"sdk\"}").body().get("key").asString();
    openai =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://localhost:" + port + "/v1")
            .apiKey(key)
            .maxRetries(0)
            .build();
  }

  private ChatCompletionCreateParams.Builder params(String question) {
    return ChatCompletionCreateParams.builder()
        .model("demo")
        .addSystemMessage("be brief")
        .addUserMessage(question);
  }

  private long usageRows() {
    return jdbc.sql("select count(*) from llm_usage where step_id is null")
        .query(Long.class)
        .single();
  }

  @Test
  void completesWithoutStreaming() {
    long before = usageRows();
    ChatCompletion completion =
        openai.chat().completions().create(params("what is a grizzly").build());

    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().getFirst().message().content())
        .contains(DemoProviderAccess.reply("what is a grizzly"));
    assertThat(completion.choices().getFirst().finishReason().asString()).isEqualTo("stop");
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isPositive();
    assertThat(usage.completionTokens()).isPositive();
    assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    assertThat(usageRows()).isEqualTo(before + 1);
  }

  @Test
  void streamsWithUsageAtTheEnd() {
    StringBuilder text = new StringBuilder();
    java.util.concurrent.atomic.AtomicReference<Optional<CompletionUsage>> usage =
        new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
    try (StreamResponse<ChatCompletionChunk> stream =
        openai
            .chat()
            .completions()
            .createStreaming(
                params("stream it")
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
      stream.stream()
          .forEach(
              chunk -> {
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
                chunk.usage().ifPresent(u -> usage.set(Optional.of(u)));
              });
    }

    assertThat(text.toString()).isEqualTo(DemoProviderAccess.reply("stream it"));
    assertThat(usage.get()).isPresent();
    assertThat(usage.get().get().completionTokens()).isPositive();
  }

  @Test
  void listsModels() {
    List<String> ids = openai.models().list().data().stream().map(model -> model.id()).toList();

    assertThat(ids).contains("demo/demo");
  }

  @Test
  void anUnknownModelIsTheSdksNotFound() {
    assertThatThrownBy(
            () ->
                openai
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("gpt-99")
                            .addUserMessage("hi")
                            .build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("gpt-99");
  }

  @Test
  void aConversationHeaderStoresTheExchangeAsATurn() {
    ApiClient api = account;
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    OpenAIClient attached =
        openai.withOptions(options -> options.putHeader("X-Grizz-Conversation-Id", conversation));

    ChatCompletion completion = attached.chat().completions().create(params("remember me").build());

    var messages = api.awaitAnswered(conversation).get("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).get("content").asString()).isEqualTo("remember me");
    assertThat(messages.get(1).get("content").asString())
        .isEqualTo(completion.choices().getFirst().message().content().orElseThrow());
  }

  @Test
  void malformedRequestsGetOpenAisErrorShape() {
    ApiClient api = new ApiClient(port);
    ApiClient.Reply reply =
        api.post("/v1/chat/completions", "{\"model\":\"demo\",\"messages\":[]}");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/type").asString()).isEqualTo("invalid_request_error");
    assertThat(reply.body().at("/error/param").asString()).isEqualTo("messages");
  }
}
