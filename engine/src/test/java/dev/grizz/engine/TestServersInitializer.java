package dev.grizz.engine;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points an engine under test at {@link TestServers}. */
public class TestServersInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    TestServers.Database db = TestServers.database();
    TestPropertyValues.of(
            "grizz.db.url=" + db.url(),
            "grizz.db.username=" + db.username(),
            "grizz.redis.url=" + TestServers.redisUrl())
        .applyTo(context);
  }
}
