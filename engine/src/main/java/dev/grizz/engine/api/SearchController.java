package dev.grizz.engine.api;

import dev.grizz.engine.agent.MessageRejectedException;
import dev.grizz.engine.conversation.ConversationSearch;
import dev.grizz.engine.conversation.SearchHit;
import dev.grizz.engine.security.CurrentUser;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** API v1: the caller's own conversations found by words of their titles and messages. */
@RestController
class SearchController {

  private final ConversationSearch search;
  private final CurrentUser user;

  SearchController(ConversationSearch search, CurrentUser user) {
    this.search = search;
    this.user = user;
  }

  record SearchResultView(
      UUID conversationId,
      String title,
      String snippet,
      @Nullable UUID stepId,
      Instant updatedAt) {}

  record SearchResultsView(List<SearchResultView> items) {}

  @GetMapping(path = "/api/v1/conversations/search", produces = MediaType.APPLICATION_JSON_VALUE)
  SearchResultsView search(
      @RequestParam String q, @RequestParam(defaultValue = "20") @Min(1) @Max(50) int limit) {
    if (q.isBlank() || q.length() > ConversationSearch.MAX_QUERY) {
      throw new MessageRejectedException(
          "invalid_query",
          "q must hold 1 to " + ConversationSearch.MAX_QUERY + " characters of words to find.");
    }
    List<SearchHit> hits = search.search(user.id(), q, limit);
    return new SearchResultsView(
        hits.stream()
            .map(
                h ->
                    new SearchResultView(
                        h.conversationId(), h.title(), h.snippet(), h.stepId(), h.updatedAt()))
            .toList());
  }
}
