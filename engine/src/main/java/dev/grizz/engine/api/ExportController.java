package dev.grizz.engine.api;

import dev.grizz.engine.agent.MessageRejectedException;
import dev.grizz.engine.conversation.ConversationDetail;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.security.CurrentUser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** API v1: a conversation's shown branch as a file to download, in Markdown or JSON. */
@RestController
class ExportController {

  static final MediaType MARKDOWN = new MediaType("text", "markdown", StandardCharsets.UTF_8);

  private final ConversationStore conversations;
  private final CurrentUser user;
  private final Clock clock;

  ExportController(ConversationStore conversations, CurrentUser user, Clock clock) {
    this.conversations = conversations;
    this.user = user;
    this.clock = clock;
  }

  /** The exported branch as JSON: the conversation, its steps and messages, oldest first. */
  record ExportView(
      UUID id,
      String title,
      Instant createdAt,
      Instant exportedAt,
      @Nullable UUID activeStepId,
      List<Views.StepView> steps,
      List<Views.MessageView> messages) {}

  @GetMapping("/api/v1/conversations/{id}/export")
  ResponseEntity<Object> export(
      @PathVariable UUID id, @RequestParam(defaultValue = "markdown") String format) {
    if (!format.equals("markdown") && !format.equals("json")) {
      throw new MessageRejectedException("invalid_format", "format must be markdown or json.");
    }
    ConversationDetail branch = conversations.detail(user.id(), id).activeBranch();
    boolean markdown = format.equals("markdown");
    Object body = markdown ? TranscriptMarkdown.of(branch) : view(branch, clock.instant());
    return ResponseEntity.ok()
        .contentType(markdown ? MARKDOWN : MediaType.APPLICATION_JSON)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename("conversation-" + id + (markdown ? ".md" : ".json"))
                .build()
                .toString())
        .body(body);
  }

  private static ExportView view(ConversationDetail branch, Instant now) {
    return new ExportView(
        branch.conversation().id(),
        branch.conversation().title(),
        branch.conversation().createdAt(),
        now,
        branch.activeStepId(),
        branch.steps().stream().map(s -> Views.of(s, List.of(s.id()))).toList(),
        branch.messages().stream().map(Views::of).toList());
  }
}
