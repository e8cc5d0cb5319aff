package dev.grizz.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** An engine started in this JVM on a free port: one "pod" of a multi-pod test. */
public final class EngineInstance implements AutoCloseable {

  private final ConfigurableApplicationContext context;

  private EngineInstance(ConfigurableApplicationContext context) {
    this.context = context;
  }

  /** Starts a pod on the given database and Redis with the given extra properties. */
  public static EngineInstance start(
      TestServers.Database db, String redisUrl, Map<String, String> properties) {
    List<String> all = new ArrayList<>();
    all.add("grizz.db.url=" + db.url());
    all.add("grizz.db.username=" + db.username());
    all.add("grizz.redis.url=" + redisUrl);
    all.add("server.port=0");
    all.add("server.tomcat.basedir=target/tomcat");
    Map<String, String> merged = new java.util.LinkedHashMap<>();
    merged.put("grizz.auth.signing-keys", TestServers.SIGNING_KEYS);
    for (String limit :
        List.of(
            "messages-anonymous", "messages-user", "sessions-per-address", "logins-per-address")) {
      merged.put("grizz.rate." + limit, TestServers.NO_LIMIT);
    }
    merged.putAll(properties);
    merged.forEach((key, value) -> all.add(key + "=" + value));
    // As command-line arguments, so they win over application.properties' placeholders.
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(GrizzApplication.class)
            .run(all.stream().map(property -> "--" + property).toArray(String[]::new));
    return new EngineInstance(context);
  }

  public int port() {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** A client signed in as a new admin of this engine. */
  public ApiClient adminApi() {
    return ApiClient.admin(port(), bean(dev.grizz.engine.security.Accounts.class));
  }

  public ApiClient api() {
    return new ApiClient(port());
  }

  @Override
  public void close() {
    context.close();
  }
}
