package dev.grizz.engine.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineInstance;
import dev.grizz.engine.PrivateRedis;
import dev.grizz.engine.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Two deployments (two databases) on one Redis: each takes only its own jobs. Before the job stream
 * carried the deployment's id, the other deployment's workers took about half of them, could not
 * claim their steps (not in their database) and dropped them until the owner's sweep queued them
 * again a lease later; with a lease of ten minutes here, such a job would never be answered.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedRedisDeploymentsIT {

  @Test
  void deploymentsOnOneRedisNeverTakeEachOthersJobs() {
    TestServers.Database mine = TestServers.newDatabase();
    TestServers.Database theirs = TestServers.newDatabase();
    Map<String, String> longLease = Map.of("grizz.events.lease", "10m");
    Map<String, String> noWorkers =
        Map.of("grizz.events.lease", "10m", "grizz.events.workers", "0");
    try (PrivateRedis redis = new PrivateRedis();
        EngineInstance front = EngineInstance.start(mine, redis.url(), noWorkers);
        EngineInstance worker = EngineInstance.start(mine, redis.url(), longLease);
        EngineInstance other = EngineInstance.start(theirs, redis.url(), longLease)) {
      assertThat(worker.port()).isNotEqualTo(other.port());
      ApiClient api = front.api();
      List<String> conversations = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        conversations.add(
            api.post("/api/v1/conversations", "{\"message\":\"job " + i + "\"}")
                .body()
                .get("id")
                .asString());
      }
      for (String conversation : conversations) {
        JsonNode answered = api.awaitAnswered(conversation);
        JsonNode steps = answered.get("steps");
        assertThat(steps.get(steps.size() - 1).get("status").asString()).isEqualTo("completed");
      }
    }
  }
}
