package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each input limit has its own 4xx code: conversation length, JSON depth, invalid UTF-8. */
class InputLimitsIT {

  static EngineInstance engine;

  @BeforeAll
  static void start() {
    engine =
        EngineInstance.start(
            TestServers.database(),
            TestServers.redisUrl(),
            Map.of("grizz.chat.max-turns", "2", "grizz.demo.tokens-per-second", "2000"));
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void aConversationTakesNoMoreThanItsLimitOfMessages() throws Exception {
    ApiClient api = engine.api();
    String conversation =
        api.post("/api/v1/conversations", "{\"message\":\"one\"}").body().get("id").asString();
    api.awaitAnswered(conversation);
    String path = "/api/v1/conversations/" + conversation + "/messages";
    assertThat(api.post(path, "{\"content\":\"two\"}").status()).isEqualTo(202);
    api.awaitAnswered(conversation);

    ApiClient.Reply third = api.post(path, "{\"content\":\"three\"}");
    assertThat(third.status()).isEqualTo(409);
    assertThat(third.errorCode()).isEqualTo("conversation_too_long");
    assertThat(third.body().at("/error/details/max_messages").asInt()).isEqualTo(2);

    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + conversation);
    try {
      ws.sendJson(Map.of("type", "user_message", "content", "four"));
      JsonNode frame = ws.next();
      while (!frame.path("type").asString().equals("error")) {
        frame = ws.next();
      }
      assertThat(frame.at("/data/code").asString()).isEqualTo("conversation_too_long");
    } finally {
      ws.closeBlocking();
    }
  }

  @Test
  void aChunkedBodyOverTheLimitIsRefusedWhileItIsRead() {
    // Before: the limit read Content-Length only, and ~38 MB chunked killed a 512 MB pod.
    ApiClient api = engine.api();
    dev.grizz.engine.RawHttp http = new dev.grizz.engine.RawHttp(engine.port(), 60_000);
    Map<String, String> headers =
        Map.of("Authorization", "Bearer " + api.token(), "Content-Type", "application/json");
    for (String path :
        List.of("/v1/chat/completions", "/api/v1/conversations", "/api/v1/api-keys")) {
      dev.grizz.engine.RawHttp.Response response =
          http.sendChunked("POST", path, headers, 64L * 1024 * 1024, (byte) ' ');
      assertThat(response.status()).as(path + " -> " + response).isEqualTo(413);
      assertThat(response.text()).contains("payload_too_large");
      assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
    // A signed request's body is read before the handler (to check the signature): same limit.
    dev.grizz.engine.RawHttp.Response signed =
        http.sendChunked(
            "POST",
            "/api/v1/conversations",
            Map.of("Content-Type", "application/json", "X-Grizz-Signature", "x"),
            8L * 1024 * 1024,
            (byte) ' ');
    assertThat(signed.status()).as(signed.toString()).isEqualTo(413);
    assertThat(api.post("/api/v1/conversations", "{}").status()).isEqualTo(201);
  }

  @Test
  void theOpenAiRouteHoldsMessagesToTheChatApisLimit() {
    // Before: /v1 took ~1 MB messages while the chat API held 32 KB.
    String big = "word ".repeat(8000); // 40,000 bytes, over the 32,768 default
    ApiClient.Reply reply =
        engine
            .api()
            .post(
                "/v1/chat/completions",
                "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + big
                    + "\"}]}");
    assertThat(reply.status()).as(reply.raw()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asString()).isEqualTo("content_too_large");
  }

  @Test
  void textWithANulCharacterIsA400() {
    ApiClient api = engine.api();
    ApiClient.Reply title = api.post("/api/v1/conversations", "{\"title\":\"a\\u0000b\"}");
    assertThat(title.status()).as(title.raw()).isEqualTo(400);
    assertThat(title.errorCode()).isEqualTo("invalid_text");
    ApiClient.Reply v1 =
        api.post(
            "/v1/chat/completions",
            "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"a\\u0000\"}]}");
    assertThat(v1.status()).as(v1.raw()).isEqualTo(400);
    assertThat(v1.body().at("/error/code").asString()).isEqualTo("invalid_text");
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedBeforeItIsRead() {
    dev.grizz.engine.RawHttp.Response response =
        new dev.grizz.engine.RawHttp(engine.port())
            .exchange(
                ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "declared length");
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.text()).contains("\"type\":\"invalid_request_error\"");
  }

  @Test
  void deeplyNestedJsonIsRefusedWithItsOwnCode() {
    ApiClient api = engine.api();
    String deep = "{\"model\":\"demo\",\"messages\":" + "[".repeat(100) + "]".repeat(100) + "}";

    ApiClient.Reply reply = api.post("/v1/chat/completions", deep);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asString())
        .as(reply.raw())
        .isEqualTo("json_limit_exceeded");
    // Before: the message named Jackson's StreamReadConstraints method.
    assertThat(reply.body().at("/error/message").asString())
        .doesNotContain("StreamReadConstraints")
        .contains("32");
  }

  @Test
  void invalidUtf8IsA400NotA500() throws Exception {
    ApiClient api = engine.api();
    byte[] body = {
      '{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'
    };
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + engine.port() + "/api/v1/conversations"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + api.token())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("\"code\":\"malformed_json\"");
  }
}
