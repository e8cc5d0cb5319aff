package dev.grizz.engine.codeinterpreter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * code_interpreter end to end on the demo provider (a fenced python block makes it call the tool)
 * and the sandbox backend this machine runs (CI installs bubblewrap): state kept between calls, an
 * uploaded CSV read under /mnt/data, a chart written there kept and served, an error reported.
 */
@EngineIT
class CodeInterpreterIT {

  static final Predicate<JsonNode> TURN_ENDED =
      event ->
          event.path("type").asString().equals("step.finished")
              && !event.path("data").path("continues").asBoolean(false);

  @LocalServerPort int port;
  @Autowired CodeSessions sessions;
  ApiClient api;
  String conversation;

  @BeforeEach
  void conversation() {
    Assumptions.assumeTrue(sessions.enabled(), "no sandbox backend runs on this machine");
    api = new ApiClient(port);
    conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
  }

  /** Sends {@code code} as a fenced python block; returns the turn's tool.result. */
  private JsonNode run(String code) {
    return toolEvents(code).getLast();
  }

  /** Sends {@code code} as a fenced python block; returns its tool.output events, then result. */
  private List<JsonNode> toolEvents(String code) {
    api.post(
        "/api/v1/conversations/" + conversation + "/messages",
        "{\"content\":" + api.quote("Run this:\n```python\n" + code + "\n```") + "}");
    List<JsonNode> events;
    try (StreamClients.Sse sse =
        StreamClients.sse(api, "/api/v1/conversations/" + conversation + "/events", Map.of())) {
      events = sse.until(TURN_ENDED);
    }
    List<JsonNode> tool =
        events.stream()
            .filter(e -> e.path("type").asString().matches("tool\\.(output|result)"))
            .toList();
    assertThat(tool).as(events.toString()).isNotEmpty();
    assertThat(tool.getLast().path("type").asString()).isEqualTo("tool.result");
    return tool;
  }

  @Test
  void outputStreamsWhileTheCodeRuns() {
    List<JsonNode> events =
        toolEvents(
            "import time\nfor i in range(3):\n    print('tick', i, flush=True)\n    time.sleep(0.4)");
    List<JsonNode> output = events.subList(0, events.size() - 1);
    assertThat(output).hasSizeGreaterThanOrEqualTo(2);
    assertThat(output.getFirst().at("/data/stream").asString()).isEqualTo("stdout");
    assertThat(output.getFirst().at("/data/text").asString()).contains("tick 0");
    StringBuilder streamed = new StringBuilder();
    output.forEach(e -> streamed.append(e.at("/data/text").asString()));
    assertThat(streamed.toString()).isEqualTo("tick 0\ntick 1\ntick 2\n");
    assertThat(events.getLast().at("/data/result").asString()).contains("tick 2");
  }

  @Test
  void variablesLastFromOneCallToTheNext() {
    JsonNode first = run("x = 41\nprint(x + 1)");
    assertThat(first.at("/data/name").asString()).isEqualTo("code_interpreter");
    assertThat(first.at("/data/status").asString()).as(first.toString()).isEqualTo("ok");
    assertThat(first.at("/data/result").asString()).contains("42");

    JsonNode second = run("x * 2");
    assertThat(second.at("/data/result").asString()).as(second.toString()).contains("82");
    assertThat(sessions.running()).isPositive();
  }

  @Test
  void anUploadedCsvIsReadAndAChartComesBackAsAFile() throws Exception {
    HttpResponse<String> uploaded =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port
                                + "/api/v1/conversations/"
                                + conversation
                                + "/files?name=sales.csv"))
                    .header("Authorization", "Bearer " + api.token())
                    .header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofString("month,sales\nJan,3\nFeb,5\nMar,4\n"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(uploaded.statusCode()).isEqualTo(201);

    JsonNode result =
        run(
            """
            import pandas as pd
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            df = pd.read_csv("/mnt/data/sales.csv")
            df.plot(x="month", y="sales", kind="bar")
            plt.savefig("/mnt/data/chart.png")
            print("total", df["sales"].sum())""");
    assertThat(result.at("/data/status").asString()).as(result.toString()).isEqualTo("ok");
    assertThat(result.at("/data/result").asString()).contains("total 12").contains("chart.png");
    JsonNode file = result.at("/data/files/0");
    assertThat(file.get("name").asString()).isEqualTo("chart.png");
    assertThat(file.get("media_type").asString()).isEqualTo("image/png");

    HttpResponse<byte[]> png =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + port
                                + "/api/v1/files/"
                                + file.get("id").asString()))
                    .header("Authorization", "Bearer " + api.token())
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("content-type")).hasValue("image/png");
    assertThat(png.body()[1]).isEqualTo((byte) 'P');
    JsonNode listed = api.get("/api/v1/conversations/" + conversation + "/files").body();
    assertThat(listed.get("items"))
        .extracting(f -> f.get("name").asString() + ":" + f.get("origin").asString())
        .containsExactly("sales.csv:upload", "chart.png:sandbox");
  }

  @Test
  void anExceptionIsAnErrorTheModelReadsAndTheSessionLivesOn() {
    JsonNode failed = run("y = 1\n1 / 0");
    assertThat(failed.at("/data/status").asString()).isEqualTo("error");
    assertThat(failed.at("/data/result").asString()).contains("ZeroDivisionError");
    assertThat(run("print(y)").at("/data/result").asString()).contains("1");
  }
}
