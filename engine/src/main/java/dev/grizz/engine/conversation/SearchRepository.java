package dev.grizz.engine.conversation;

import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Full-text search over a user's chat conversations: titles and the text of their messages. */
@Repository
class SearchRepository {

  private final JdbcClient jdbc;

  SearchRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Each of the user's chat conversations whose title or a user or assistant message holds every
   * word of {@code text} (each as a prefix), best first: its best message (or, when only the title
   * matched, none), with a snippet of it where the words are marked {@code **like this**}.
   */
  List<SearchHit> search(UUID userId, String text, int limit) {
    return jdbc.sql(
            """
            with q as (
              select to_tsquery('simple', coalesce(
                (select string_agg(
                    '''' || replace(replace(word, '\\', '\\\\'), '''', '''''') || ''':*', ' & ')
                 from unnest(to_tsvector('simple', :text)) as u(word, positions, weights)),
                '')) as query),
            hits as (
              select distinct on (t.id) t.id as task_id, m.id as message_id, m.step_id,
                  ts_rank(m.search, q.query) as rank
              from q, messages m
                join steps s on s.id = m.step_id
                join tasks t on t.id = s.task_id
              where m.search @@ q.query and t.user_id = :user and t.origin = 'chat'
                and m.role in ('user', 'assistant') and s.type <> 'summary'
              order by t.id, ts_rank(m.search, q.query) desc, m.created_at desc, m.id desc)
            select t.id, t.title, t.updated_at, h.step_id,
                ts_headline('simple',
                    coalesce((select content from messages where id = h.message_id), t.title),
                    q.query,
                    'MaxFragments=2, MaxWords=20, MinWords=6, StartSel=**, StopSel=**')
                  as snippet
            from q, tasks t left join hits h on h.task_id = t.id
            where t.user_id = :user and t.origin = 'chat'
              and (h.task_id is not null or t.search @@ q.query)
            order by coalesce(h.rank, 0) + case when t.search @@ q.query then 1 else 0 end desc,
                t.updated_at desc, t.id desc
            limit :limit
            """)
        .param("text", text)
        .param("user", userId)
        .param("limit", limit)
        .query(
            (rs, n) ->
                new SearchHit(
                    rs.getObject("id", UUID.class),
                    rs.getString("title"),
                    rs.getString("snippet"),
                    rs.getObject("step_id", UUID.class),
                    rs.getTimestamp("updated_at").toInstant()))
        .list();
  }
}
