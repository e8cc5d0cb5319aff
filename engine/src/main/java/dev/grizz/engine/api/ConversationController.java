package dev.grizz.engine.api;

import dev.grizz.engine.chat.ChatService;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.security.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** API v1: conversations and their messages. */
@RestController
@RequestMapping(path = "/api/v1/conversations", produces = MediaType.APPLICATION_JSON_VALUE)
class ConversationController {

  static final int MAX_TITLE = 200;

  private final ChatService chat;
  private final ConversationStore conversations;
  private final CurrentUser user;

  ConversationController(ChatService chat, ConversationStore conversations, CurrentUser user) {
    this.chat = chat;
    this.conversations = conversations;
    this.user = user;
  }

  record CreateRequest(
      @Nullable @Size(max = MAX_TITLE) String title,
      @Nullable String message,
      @Nullable String model) {}

  record MessageRequest(@NotNull String content, @Nullable String model) {}

  record RenameRequest(@NotBlank @Size(max = MAX_TITLE) String title) {}

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Views.ConversationDetailView> create(
      @Valid @RequestBody(required = false) @Nullable CreateRequest request) {
    CreateRequest body = request != null ? request : new CreateRequest(null, null, null);
    var created = chat.start(user.id(), body.title(), body.message(), body.model());
    return ResponseEntity.created(URI.create("/api/v1/conversations/" + created.id()))
        .body(Views.of(conversations.detail(user.id(), created.id())));
  }

  @GetMapping
  Views.PageView list(
      @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit,
      @RequestParam(required = false) @Nullable String cursor) {
    return Views.of(conversations.page(user.id(), limit, cursor));
  }

  @GetMapping("/{id}")
  Views.ConversationDetailView get(@PathVariable UUID id) {
    return Views.of(conversations.detail(user.id(), id));
  }

  @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  Views.ConversationView rename(@PathVariable UUID id, @Valid @RequestBody RenameRequest request) {
    return Views.of(conversations.rename(user.id(), id, request.title().strip()));
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable UUID id) {
    conversations.delete(user.id(), id);
  }

  @PostMapping(path = "/{id}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.ACCEPTED)
  Views.PostedMessageView post(@PathVariable UUID id, @Valid @RequestBody MessageRequest request) {
    return Views.of(chat.post(user.id(), id, request.content(), request.model()));
  }
}
