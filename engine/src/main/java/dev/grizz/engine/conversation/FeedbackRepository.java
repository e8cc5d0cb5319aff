package dev.grizz.engine.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Ratings of answers, kept in their steps' metadata under {@code feedback}. */
@Repository
class FeedbackRepository {

  private final JdbcClient jdbc;
  private final JsonMapper json;

  FeedbackRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Sets (or, with null, clears) a step's feedback. */
  void set(UUID stepId, @Nullable Map<String, Object> feedback) {
    if (feedback == null) {
      jdbc.sql("update steps set metadata = metadata - 'feedback' where id = :id")
          .param("id", stepId)
          .update();
      return;
    }
    jdbc.sql(
            """
            update steps set metadata = metadata || jsonb_build_object('feedback',
                cast(:feedback as jsonb))
            where id = :id
            """)
        .param("id", stepId)
        .param("feedback", json.writeValueAsString(feedback))
        .update();
  }

  /** Feedback newest first, optionally of one rating. */
  List<Feedback.Given> newest(@Nullable String rating, int limit) {
    return jdbc.sql(
            """
            select s.id, s.task_id, t.user_id, s.provider, s.metadata ->> 'model' as model,
                s.metadata -> 'feedback' ->> 'rating' as rating,
                s.metadata -> 'feedback' ->> 'comment' as comment,
                s.metadata -> 'feedback' ->> 'updated_at' as updated_at
            from steps s join tasks t on t.id = s.task_id
            where s.metadata -> 'feedback' is not null
              and (cast(:rating as text) is null
                   or s.metadata -> 'feedback' ->> 'rating' = cast(:rating as text))
            order by s.metadata -> 'feedback' ->> 'updated_at' desc, s.id desc
            limit :limit
            """)
        .param("rating", rating)
        .param("limit", limit)
        .query(
            (rs, n) ->
                new Feedback.Given(
                    rs.getObject("id", UUID.class),
                    rs.getObject("task_id", UUID.class),
                    rs.getObject("user_id", UUID.class),
                    rs.getString("provider"),
                    rs.getString("model"),
                    new Feedback(
                        rs.getString("rating"),
                        rs.getString("comment"),
                        Instant.parse(rs.getString("updated_at")))))
        .list();
  }
}
