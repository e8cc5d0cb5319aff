package dev.grizz.engine.agent;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class PromptRepository {

  private final JdbcClient jdbc;

  PromptRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insertIfAbsent(String hash, String template) {
    jdbc.sql(
            """
            insert into prompts (hash, template) values (:hash, :template)
            on conflict (hash) do nothing
            """)
        .param("hash", hash)
        .param("template", template)
        .update();
  }
}
