package dev.grizz.engine.chat;

import static dev.grizz.engine.StreamClients.assertCompleteReply;
import static dev.grizz.engine.StreamClients.finished;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.StepLogs;
import dev.grizz.engine.StreamClients;
import dev.grizz.engine.TcpLink;
import dev.grizz.engine.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A worker that loses its lease while it keeps running (its pod cut off from PostgreSQL, Redis
 * still reachable) must not write one more event once another pod has taken the step over: the new
 * attempt fences the old one out of the event log, the old worker stops, and the conversation shows
 * one answer with seq 1, 2, 3… and the user billed for that answer alone.
 */
// A bound for CI: a fault test that hangs (a stream that never ends) fails instead.
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AttemptFencingIT {

  private static final String LEASE = "2s";
  // Twelve words and more, for a long answer: about 40 deltas, some 20 s at 2 a second.
  private static final String PROMPT =
      "fence the stalled worker out of the log before it writes one more word, please";

  @TempDir Path dir;

  @Test
  void aWorkerThatLostItsLeaseWritesNothingAfterTheTakeover() throws Exception {
    TestServers.Database db = TestServers.newDatabase();
    // A price for the demo model, so both attempts cost something.
    Path prices = dir.resolve("prices.csv");
    Files.writeString(prices, "demo,demo,2026-01-01,1000,,2000,1000000\n");
    Map<String, String> common =
        Map.of("grizz.events.lease", LEASE, "grizz.providers.prices-file", prices.toString());
    try (PrivateRedis redis = new PrivateRedis();
        TcpLink link = TcpLink.toDatabase(db);
        // A: one worker, slow answers, PostgreSQL through a link the test cuts.
        EngineInstance a =
            EngineInstance.start(
                link.database(db),
                redis.url(),
                with(common, "grizz.events.workers", "1", "grizz.demo.tokens-per-second", "2"))) {
      ApiClient onA = a.api();
      String conversation = onA.post("/api/v1/conversations", "{}").body().get("id").asString();
      // The only pod with a worker when it is posted: A runs the step, and while it does its one
      // worker takes nothing else.
      String step =
          onA.post(
                  "/api/v1/conversations/" + conversation + "/messages",
                  "{\"content\":\"" + PROMPT + "\"}")
              .body()
              .get("step_id")
              .asString();
      // Generous: once, in a full CI run, the first event took longer than 10 s to appear.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !StepLogs.read(a, conversation, step).isEmpty());
      try (EngineInstance b =
          EngineInstance.start(
              db, redis.url(), with(common, "grizz.demo.tokens-per-second", "40"))) {
        ApiClient onB = onA.onPort(b.port());
        List<JsonNode> seen = new ArrayList<>();
        try (StreamClients.Sse sse =
            StreamClients.sse(onB, "/api/v1/conversations/" + conversation + "/events", Map.of())) {
          seen.add(sse.next());
          // A's heartbeats now fail; a lease later B's sweep queues the step again and B restarts
          // it, while A, which still reaches Redis, streams on.
          link.cut();
          seen.addAll(sse.until(finished(step)));
        }
        assertFencedTakeover(db, link, onB, b, conversation, step, seen);
        // A stopped generating when its append was refused, well before the end of its answer.
        long pieces =
            java.util.regex.Pattern.compile("\\s*\\S+")
                .matcher(DemoReplies.full(PROMPT))
                .results()
                .count();
        assertThat(
                a.bean(io.micrometer.core.instrument.MeterRegistry.class)
                    .counter("grizz.deltas")
                    .count())
            .isLessThan(pieces);
      }
    }
  }

  private void assertFencedTakeover(
      TestServers.Database db,
      TcpLink link,
      ApiClient onB,
      EngineInstance b,
      String conversation,
      String step,
      List<JsonNode> seen)
      throws Exception {
    JsonNode stored = onB.awaitAnswered(conversation);
    String answer = stored.at("/messages/1/content").asString();
    assertThat(answer).isEqualTo(DemoReplies.full(PROMPT));
    assertThat(stored.at("/steps/1/metadata/attempt").asInt()).isEqualTo(2);

    // A gets its database back and records its lost attempt; by then it has stopped writing.
    link.heal();
    await().atMost(Duration.ofSeconds(40)).until(() -> usageRows(db, step) == 2);

    assertThat(seen).extracting(e -> e.get("type").asString()).contains("step.restarted");
    assertCompleteReply(seen, step, answer);
    StepLogs.assertOneAnswer(StepLogs.read(b, conversation, step), answer);

    List<Usage> rows = usage(db, step);
    Usage kept = rows.stream().filter(r -> !r.outcome().equals("engine_retry")).findFirst().get();
    Usage lost = rows.stream().filter(r -> r.outcome().equals("engine_retry")).findFirst().get();
    assertThat(kept.outcome()).isEqualTo("completed");
    assertThat(kept.usageCents()).isPositive().isEqualByComparingTo(kept.providerCents());
    assertThat(kept.usageCents())
        .isEqualByComparingTo(stored.at("/steps/1/usage_cents").decimalValue());
    assertThat(lost.usageCents()).as("billed to the user").isZero();
    assertThat(lost.providerCents()).as("what the provider charged").isPositive();
    JsonNode total = onB.get("/api/v1/usage").body().get("total");
    assertThat(total.get("attempts").asLong()).isEqualTo(1);
    assertThat(total.get("usage_cents").decimalValue()).isEqualByComparingTo(kept.usageCents());
    assertThat(total.get("completion_tokens").asLong())
        .isEqualTo(stored.at("/steps/1/completion_tokens").asLong());
  }

  private static Map<String, String> with(Map<String, String> common, String... more) {
    Map<String, String> all = new java.util.HashMap<>(common);
    for (int i = 0; i < more.length; i += 2) {
      all.put(more[i], more[i + 1]);
    }
    return all;
  }

  record Usage(
      String outcome, java.math.BigDecimal usageCents, java.math.BigDecimal providerCents) {}

  private static long usageRows(TestServers.Database db, String step) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement("select count(*) from llm_usage where step_id = ?")) {
      s.setObject(1, UUID.fromString(step));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static List<Usage> usage(TestServers.Database db, String step) throws Exception {
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "select outcome, usage_cents, provider_cents from llm_usage where step_id = ?")) {
      s.setObject(1, UUID.fromString(step));
      List<Usage> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(new Usage(rs.getString(1), rs.getBigDecimal(2), rs.getBigDecimal(3)));
        }
      }
      return rows;
    }
  }
}
