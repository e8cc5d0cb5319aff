package dev.grizz.engine;

import dev.grizz.engine.config.DatabaseTarget;
import dev.grizz.engine.event.RedisSettings;
import dev.grizz.engine.llm.LlmRouter;
import dev.grizz.engine.llm.ModelRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Says once, when the engine is ready, what it runs on and how to try it. It reads several features
 * (database, events, providers), so it sits beside the application rather than in config, which
 * every feature depends on.
 */
@Component
class StartupSummary {

  private static final Logger log = LoggerFactory.getLogger("grizz");

  private final DatabaseTarget database;
  private final RedisSettings redis;
  private final LlmRouter router;
  private final dev.grizz.engine.codeinterpreter.CodeSandbox sandbox;
  private final dev.grizz.engine.config.PodSettings pod;

  StartupSummary(
      DatabaseTarget database,
      RedisSettings redis,
      LlmRouter router,
      dev.grizz.engine.codeinterpreter.CodeSandbox sandbox,
      dev.grizz.engine.config.PodSettings pod) {
    this.pod = pod;
    this.database = database;
    this.redis = redis;
    this.router = router;
    this.sandbox = sandbox;
  }

  @EventListener
  void onReady(ApplicationReadyEvent ready) {
    int port =
        ready.getApplicationContext() instanceof WebServerApplicationContext web
            ? web.getWebServer().getPort()
            : -1;
    String url = "http://localhost:" + port;
    log.info(
        "Grizz ready at {} | role: {} | database: {} | events: {} | providers: {} | route: {}"
            + " | code: {}",
        url,
        pod.role().name().toLowerCase(java.util.Locale.ROOT),
        database.description(),
        redis.enabled() ? "redis " + redis.safeUrl() : "postgres",
        String.join(", ", router.providerNames()),
        String.join(" > ", router.route().stream().map(ModelRef::label).toList()),
        sandbox.description());
    // Two commands in one line: an anonymous session's token, then a chat that streams its answer.
    log.info(
        "Try: T=$(curl -s -X POST {}/api/v1/sessions | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/');"
            + " curl -sN {}/api/v1/conversations -H \"Authorization: Bearer $T\""
            + " -H 'Content-Type: application/json' -H 'Accept: text/event-stream'"
            + " -d '{\"message\":\"Hello, Grizz!\"}'",
        url,
        url);
  }
}
