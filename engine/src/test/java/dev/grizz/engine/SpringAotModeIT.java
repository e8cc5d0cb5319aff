package dev.grizz.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The engine started with {@code -Dspring.aot.enabled=true} (bean definitions computed at build
 * time by the process-aot goal, see engine/pom.xml) answers in both event modes: the Redis decision
 * is taken when the engine starts, not frozen at build time. Runs after process-aot (the pom's
 * aot-mode execution, in the integration-test phase).
 */
class SpringAotModeIT {

  private static final List<String> AOT = List.of("-Dspring.aot.enabled=true");

  @TempDir Path home;

  @BeforeAll
  static void buildTimeBeanDefinitionsExist() {
    assertThat(
            SpringAotModeIT.class.getResource(
                "/dev/grizz/engine/GrizzApplication__ApplicationContextInitializer.class"))
        .as("Spring AOT output (mvn package runs process-aot before this test)")
        .isNotNull();
  }

  /** Health details are for admins: each engine process makes one at start-up. */
  private static final Map<String, String> ADMIN =
      Map.of(
          "GRIZZ_ADMIN_EMAIL",
          "aot-admin@example.com",
          "GRIZZ_ADMIN_PASSWORD",
          "aot admin password");

  private static Map<String, String> withAdmin(String name, String value) {
    Map<String, String> env = new java.util.HashMap<>(ADMIN);
    env.put(name, value);
    return env;
  }

  private static ApiClient admin(EngineProcess engine) {
    return ApiClient.login(
        engine.port(), ADMIN.get("GRIZZ_ADMIN_EMAIL"), ADMIN.get("GRIZZ_ADMIN_PASSWORD"));
  }

  @Test
  void answersOnPostgresqlAlone() throws Exception {
    TestServers.Database db = TestServers.database();
    try (EngineProcess engine = EngineProcess.start(home, db.engineEnv(ADMIN), AOT)) {
      ApiClient api = new ApiClient(engine.port());
      assertAnswers(api);
      JsonNode health = admin(engine).get("/actuator/health").body();
      assertThat(health.at("/components/events/details/mode").asString()).isEqualTo("postgres");
      assertThat(health.path("components").has("redis")).isFalse();
      assertThat(readyLine(engine)).contains("events: postgres");
      // The API document is read from the jar's class path and converted at start-up.
      assertThat(new RawHttp(engine.port()).send("GET", "/openapi.json", Map.of()).status())
          .isEqualTo(200);
      // Four carriers per core unless told otherwise (GrizzApplication.carrierThreads).
      assertThat(engine.jcmd("Thread.vthread_scheduler"))
          .contains("parallelism = " + 4 * Runtime.getRuntime().availableProcessors() + ",");
    }
  }

  @Test
  void answersOnRedis() throws Exception {
    TestServers.Database db = TestServers.database();
    List<String> options = new java.util.ArrayList<>(AOT);
    options.add("-Djdk.virtualThreadScheduler.parallelism=3");
    try (EngineProcess engine =
        EngineProcess.start(
            home, db.engineEnv(withAdmin("GRIZZ_REDIS_URL", TestServers.redisUrl())), options)) {
      ApiClient api = new ApiClient(engine.port());
      assertAnswers(api);
      JsonNode health = admin(engine).get("/actuator/health").body();
      assertThat(health.at("/components/events/details/mode").asString()).isEqualTo("redis");
      assertThat(health.at("/components/redis/status").asString()).isEqualTo("UP");
      assertThat(readyLine(engine)).contains("events: redis");
      assertThat(engine.jcmd("Thread.vthread_scheduler")).contains("parallelism = 3,");
    }
  }

  private static void assertAnswers(ApiClient api) {
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();
    assertThat(
            api.post(
                    "/api/v1/conversations/" + conversation + "/messages",
                    "{\"content\":\"hello from an AOT start\"}")
                .status())
        .isEqualTo(202);
    JsonNode answered = api.awaitAnswered(conversation);
    JsonNode messages = answered.get("messages");
    assertThat(messages).hasSize(2);
    assertThat(messages.get(1).get("role").asString()).isEqualTo("assistant");
    assertThat(messages.get(1).get("content").asString()).isNotBlank();
  }

  private String readyLine(EngineProcess engine) throws Exception {
    return Files.readAllLines(home.resolve("engine-" + engine.port() + ".log")).stream()
        .filter(line -> line.contains("Grizz ready"))
        .findFirst()
        .orElseThrow();
  }
}
