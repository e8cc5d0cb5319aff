package dev.grizz.engine.config;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.util.Credentials;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

  /** Hikari's default for checking a pooled connection before use. */
  private static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(5);

  @Bean(destroyMethod = "close")
  DatabaseTarget databaseTarget(DatabaseSettings settings) {
    return DatabaseTarget.from(settings);
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(DatabaseTarget target, DatabaseSettings settings) {
    HikariDataSource pool = new HikariDataSource();
    pool.setPoolName("grizz");
    pool.setJdbcUrl(target.jdbcUrl());
    // Asked for each new connection, so a rotated password file is used without a restart; open
    // connections stay until the pool retires them. PostgreSQL must accept both passwords during
    // a rotation (see the runbook).
    pool.setCredentialsProvider(() -> Credentials.of(target.username(), target.password()));
    pool.setMaximumPoolSize(settings.poolSize());
    // The longest a request waits for a connection: while PostgreSQL is down it answers 503 after
    // this, not after Hikari's default 30 s. A connection that is checked before use gets at most
    // as long, else Hikari would fall back to its own 5 s.
    long connectMillis = settings.connectTimeout().toMillis();
    pool.setConnectionTimeout(connectMillis);
    pool.setValidationTimeout(Math.min(connectMillis, VALIDATION_TIMEOUT.toMillis()));
    // Every bean that uses the DataSource gets a schema that is up to date.
    try {
      SchemaMigrations.apply(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return pool;
  }
}
