package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/messages} routed to another vendor (a fake OpenAI upstream): what only Anthropic
 * understands is left out, as the answer does not depend on it. The {@code anthropic-beta} header
 * (opt-ins to Anthropic features), {@code cache_control} (a caching hint) and the signed thinking
 * of earlier turns (the model's own notes, which only Anthropic can check) are not sent; the text,
 * the tool exchange and the tools are.
 */
class MessagesElsewhereIT {

  static V1Engine v1;

  @BeforeAll
  static void start() {
    v1 = new V1Engine();
  }

  @AfterAll
  static void stop() {
    v1.close();
  }

  @Test
  void betasCacheBreakpointsAndThinkingStayWithAnthropic() throws Exception {
    v1.upstream.requests.clear();
    v1.upstream.headers.clear();
    v1.upstream.enqueue(ChatWire.text("Two files."));
    String body =
        """
        {"model":"openai/gpt-5-mini","max_tokens":300,
         "system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
         "tools":[{"name":"Bash","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}}],
         "messages":[
           {"role":"user","content":[{"type":"text","text":"list files","cache_control":{"type":"ephemeral"}}]},
           {"role":"assistant","content":[
             {"type":"thinking","thinking":"run ls","signature":"EqQBCgIYAhIM1gbcDa9"},
             {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix"},
             {"type":"tool_use","id":"toolu_5","name":"Bash","input":{"command":"ls"}}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_5","content":"a.txt b.txt",
             "cache_control":{"type":"ephemeral"}}]}]}
        """;
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v1.engine.port() + "/v1/messages"))
            .header("Content-Type", "application/json")
            .header("x-api-key", v1.key)
            .header("anthropic-version", "2023-06-01")
            .header("anthropic-beta", "interleaved-thinking-2025-05-14")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();

    HttpResponse<String> response;
    try (HttpClient http = HttpClient.newHttpClient()) {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(V1Engine.JSON.readTree(response.body()).at("/content/0/text").asString())
        .isEqualTo("Two files.");
    String raw = v1.upstream.requests.peek();
    assertThat(raw)
        .doesNotContain("cache_control")
        .doesNotContain("EqQBCgIYAhIM1gbcDa9")
        .doesNotContain("EmwKAhgBEgy3va3pzix")
        .doesNotContain("run ls");
    Headers headers = v1.upstream.headers.peek();
    assertThat(headers.containsKey("anthropic-beta")).isFalse();
    JsonNode sent = V1Engine.JSON.readTree(raw);
    assertThat(sent.at("/messages/0/content").toString()).contains("Be brief.");
    assertThat(sent.at("/messages/1/content").toString()).contains("list files");
    assertThat(sent.at("/messages/2/tool_calls/0/id").asString()).isEqualTo("toolu_5");
    assertThat(sent.at("/messages/3/role").asString()).isEqualTo("tool");
    assertThat(sent.at("/messages/3/content").asString()).isEqualTo("a.txt b.txt");
    assertThat(sent.at("/tools/0/function/name").asString()).isEqualTo("Bash");
  }
}
