package dev.grizz.engine;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A whole engine on a random port, on the test PostgreSQL and Redis. Every test class with this
 * annotation shares one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    classes = GrizzApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "grizz.demo.tokens-per-second=2000",
      "grizz.tools.approval-timeout=3s",
      "server.tomcat.basedir=target/tomcat",
      "grizz.web.allowed-origins=https://allowed.example",
      "grizz.web.max-import-bytes=2097152",
      "grizz.auth.signing-keys=" + TestServers.SIGNING_KEYS,
      "grizz.rate.messages-anonymous=" + TestServers.NO_LIMIT,
      "grizz.rate.messages-user=" + TestServers.NO_LIMIT,
      "grizz.rate.sessions-per-address=" + TestServers.NO_LIMIT,
      "grizz.rate.logins-per-address=" + TestServers.NO_LIMIT
    })
@ContextConfiguration(initializers = TestServersInitializer.class)
public @interface EngineIT {}
