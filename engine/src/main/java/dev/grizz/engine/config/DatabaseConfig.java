package dev.grizz.engine.config;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

  @Bean(destroyMethod = "close")
  DatabaseTarget databaseTarget(DatabaseSettings settings) {
    return DatabaseTarget.from(settings);
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(DatabaseTarget target, DatabaseSettings settings) {
    HikariDataSource pool = new HikariDataSource();
    pool.setPoolName("grizz");
    pool.setJdbcUrl(target.jdbcUrl());
    pool.setUsername(target.username());
    if (target.password() != null) {
      pool.setPassword(target.password());
    }
    pool.setMaximumPoolSize(settings.poolSize());
    return pool;
  }
}
