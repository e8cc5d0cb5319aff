package dev.grizz.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Responses API's stream as a test reads it, and the Chat Completions chunks a fake sends. */
final class ResponsesWire {

  static final JsonMapper JSON = JsonMapper.shared();

  private ResponsesWire() {}

  record Streamed(int status, String contentType, String raw) {}

  /** POSTs a streamed request and reads the whole stream. */
  static Streamed stream(int port, String token, String body) {
    try {
      java.net.http.HttpResponse<String> response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://localhost:" + port + "/v1/responses"))
                      .header("Authorization", "Bearer " + token)
                      .header("Content-Type", "application/json")
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                      .timeout(java.time.Duration.ofSeconds(30))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Streamed(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Checks a response object against the OpenAI Java SDK's model of it, as {@link #validate}. */
  static void validateResponse(String response) {
    try {
      com.openai.core.ObjectMappers.jsonMapper()
          .readValue(response, com.openai.models.responses.Response.class)
          .validate();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(response, e);
    }
  }

  /**
   * Checks an event against the OpenAI Java SDK's model of it: every field that model requires is
   * there, with its type.
   */
  static void validate(String event) {
    try {
      com.openai.core.ObjectMappers.jsonMapper()
          .readValue(event, com.openai.models.responses.ResponseStreamEvent.class)
          .validate();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(event, e);
    }
  }

  /** The events of a streamed response, in order, each checked against OpenAI's SDK's model. */
  static List<JsonNode> events(String raw) {
    List<JsonNode> events = new ArrayList<>();
    for (String frame : raw.split("\n\n")) {
      String type = null;
      for (String line : frame.split("\n")) {
        if (line.startsWith("event: ")) {
          type = line.substring("event: ".length());
        } else if (line.startsWith("data: ")) {
          String data = line.substring("data: ".length());
          JsonNode event = JSON.readTree(data);
          assertThat(event.get("type").asString()).isEqualTo(type);
          validate(data);
          events.add(event);
        }
      }
    }
    return events;
  }

  /** A Chat Completions chunk with {@code delta}. */
  static String chunk(String delta, String finish) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"")
        + "}]}\n\n";
  }

  /** An answer that calls {@code get_weather} for Paris, its arguments in two pieces. */
  static List<String> weatherCall(String callId) {
    return List.of(
        chunk(
            "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\""
                + callId
                + "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}",
            null),
        chunk(
            "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}",
            null),
        chunk(
            "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]}",
            null),
        chunk("{}", "tool_calls"),
        FakeUpstream.openAiUsage(40, 9),
        "data: [DONE]\n\n");
  }
}
