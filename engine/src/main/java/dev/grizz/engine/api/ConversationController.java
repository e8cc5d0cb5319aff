package dev.grizz.engine.api;

import dev.grizz.engine.agent.MessageRejectedException;
import dev.grizz.engine.chat.ChatService;
import dev.grizz.engine.chat.PostedMessage;
import dev.grizz.engine.conversation.Branches;
import dev.grizz.engine.conversation.Conversation;
import dev.grizz.engine.conversation.ConversationSettings;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.TurnParent;
import dev.grizz.engine.event.EventId;
import dev.grizz.engine.event.Subscription;
import dev.grizz.engine.security.Caller;
import dev.grizz.engine.security.CurrentUser;
import dev.grizz.engine.security.RateLimits;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
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
  private final RateLimits rateLimits;
  private final StreamSettings streams;
  private final OpenStreams openStreams;
  private final dev.grizz.engine.agent.ToolTurns toolTurns;
  private final Branches branches;

  ConversationController(
      Branches branches,
      ChatService chat,
      ConversationStore conversations,
      CurrentUser user,
      RateLimits rateLimits,
      StreamSettings streams,
      OpenStreams openStreams,
      dev.grizz.engine.agent.ToolTurns toolTurns) {
    this.toolTurns = toolTurns;
    this.branches = branches;
    this.openStreams = openStreams;
    this.rateLimits = rateLimits;
    this.chat = chat;
    this.conversations = conversations;
    this.user = user;
    this.streams = streams;
  }

  record CreateRequest(
      @Nullable @Size(max = MAX_TITLE) String title,
      @Nullable String message,
      @Nullable String model,
      @Nullable SettingsBody settings,
      @Nullable List<String> images) {}

  /**
   * A conversation's own settings as the API takes them; a field left out is not set (the engine's
   * default applies). Replaced as a whole by a PATCH that carries {@code settings}.
   */
  record SettingsBody(
      @Nullable @Size(max = 200) String model,
      @Nullable String systemPrompt,
      @Nullable Double temperature,
      @Nullable Integer maxTokens,
      @Nullable @Size(max = 256) List<@Size(max = 128) String> tools) {

    ConversationSettings settings() {
      return new ConversationSettings(
          model == null || model.isBlank() ? null : model.strip(),
          systemPrompt == null || systemPrompt.isBlank() ? null : systemPrompt,
          temperature,
          maxTokens,
          tools);
    }
  }

  /**
   * A user's message: its text, and images by https: link or data: URL (at most four); {@code
   * parentStepId} names the finished answer it follows (or {@code "root"}), to edit the message
   * that followed it; left out, the message follows the active branch's leaf.
   */
  record MessageRequest(
      @NotNull String content,
      @Nullable String model,
      @Nullable String clientMsgId,
      @Nullable List<String> images,
      @Nullable String parentStepId) {}

  /** A title, settings, the branch to show, or any of them. */
  record UpdateRequest(
      @Nullable @Size(min = 1, max = MAX_TITLE) String title,
      @Nullable SettingsBody settings,
      @Nullable UUID activeStepId) {}

  /**
   * Creates a conversation. With a first message and {@code Accept: text/event-stream}, the answer
   * streams back as server-sent events until its step finishes.
   */
  @PostMapping(
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE})
  @Nullable ResponseEntity<Views.ConversationDetailView> create(
      @Valid @RequestBody(required = false) @Nullable CreateRequest request,
      @RequestHeader(value = HttpHeaders.ACCEPT, required = false) @Nullable String accept,
      HttpServletResponse response) {
    CreateRequest body =
        request != null ? request : new CreateRequest(null, null, null, null, null);
    if (body.message() != null) {
      rateLimits.message(user.caller()).applyTo(response);
    }
    Caller caller = user.caller();
    ChatService.Started started =
        chat.start(
            caller.userId(),
            caller.apiKeyId(),
            body.title(),
            body.message(),
            body.images() == null ? List.of() : body.images(),
            body.model(),
            body.settings() == null ? ConversationSettings.NONE : body.settings().settings());
    UUID id = started.conversation().id();
    URI location = URI.create("/api/v1/conversations/" + id);
    if (started.first() != null && EventStreams.wantsEventStream(accept)) {
      response.setHeader(HttpHeaders.LOCATION, location.toString());
      UUID step = started.first().turn().stepId();
      stream(response, 201, chat.subscribeToStep(id, step), step);
      return null;
    }
    return ResponseEntity.created(location).body(Views.of(conversations.detail(user.id(), id)));
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
  Views.ConversationView update(@PathVariable UUID id, @Valid @RequestBody UpdateRequest request) {
    if (request.title() == null && request.settings() == null && request.activeStepId() == null) {
      throw new MessageRejectedException(
          "nothing_to_update", "Send a title, settings, an active_step_id, or several.");
    }
    if (request.title() != null && request.title().isBlank()) {
      throw new MessageRejectedException("invalid_title", "A title cannot be blank.");
    }
    UUID active = null;
    if (request.activeStepId() != null) {
      active = branches.switchTo(user.id(), id, request.activeStepId());
    }
    Conversation updated = active == null ? null : conversations.find(user.id(), id).orElse(null);
    if (request.settings() != null) {
      updated = chat.updateSettings(user.id(), id, request.settings().settings());
    }
    if (request.title() != null) {
      updated = conversations.rename(user.id(), id, request.title().strip());
    }
    return Views.of(java.util.Objects.requireNonNull(updated), active);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable UUID id) {
    conversations.delete(user.id(), id);
  }

  /**
   * Posts a user message: 202 once its answer is queued. With {@code Accept: text/event-stream} the
   * answer streams back as server-sent events until its step finishes.
   */
  @PostMapping(
      path = "/{id}/messages",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE})
  @Nullable ResponseEntity<Views.PostedMessageView> post(
      @PathVariable UUID id,
      @Valid @RequestBody MessageRequest request,
      @RequestHeader(value = HttpHeaders.ACCEPT, required = false) @Nullable String accept,
      HttpServletResponse response) {
    rateLimits.message(user.caller()).applyTo(response);
    boolean streaming = EventStreams.wantsEventStream(accept);
    // Before posting, so the answer's first event is after it: reading the conversation's whole
    // history to find the step cost a long conversation more with every message.
    EventId position = streaming ? chat.position(id) : null;
    PostedMessage posted =
        chat.post(
            user.id(),
            user.caller().apiKeyId(),
            id,
            request.content(),
            request.images() == null ? List.of() : request.images(),
            request.model(),
            request.clientMsgId(),
            TurnParent.parse(request.parentStepId()));
    if (position != null) {
      UUID step = posted.turn().stepId();
      stream(response, 202, chat.subscribeAfter(id, position), step);
      return null;
    }
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(Views.of(posted));
  }

  /** Approves or denies a tool call that waits for the user. */
  record ApprovalRequest(@Nullable Boolean approve) {}

  @PostMapping(path = "/{id}/steps/{stepId}/approval", consumes = MediaType.APPLICATION_JSON_VALUE)
  @ResponseStatus(HttpStatus.ACCEPTED)
  Map<String, Object> approve(
      @PathVariable UUID id, @PathVariable UUID stepId, @RequestBody ApprovalRequest body) {
    boolean approved = toolTurns.decide(user.id(), id, stepId, body.approve());
    return Map.of("step_id", stepId.toString(), "approved", approved);
  }

  /** Stops an answer, on whichever pod generates it. */
  @PostMapping("/{id}/steps/{stepId}/cancel")
  @ResponseStatus(HttpStatus.ACCEPTED)
  Map<String, String> cancel(@PathVariable UUID id, @PathVariable UUID stepId) {
    return Map.of(
        "step_id", stepId.toString(), "status", Views.wire(chat.cancel(user.id(), id, stepId)));
  }

  /**
   * The conversation's events: server-sent events with {@code Accept: text/event-stream} (resume
   * with {@code Last-Event-ID} or {@code ?after=}), otherwise a long-poll JSON array that returns
   * as soon as events arrive or after {@code wait}.
   */
  @GetMapping(
      path = "/{id}/events",
      produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE})
  @Nullable ResponseEntity<String> events(
      @PathVariable UUID id,
      @RequestParam(required = false) @Nullable String after,
      @RequestParam(required = false) @Nullable String wait,
      @RequestHeader(value = "Last-Event-ID", required = false) @Nullable String lastEventId,
      @RequestHeader(value = HttpHeaders.ACCEPT, required = false) @Nullable String accept,
      HttpServletResponse response) {
    String cursor = after != null ? after : lastEventId;
    if (EventStreams.wantsEventStream(accept)) {
      stream(response, 200, chat.subscribe(user.id(), id, cursor), null);
      return null;
    }
    Duration maxWait = EventStreams.parseWait(wait);
    try (Subscription subscription = chat.subscribe(user.id(), id, cursor)) {
      return ResponseEntity.ok()
          .contentType(MediaType.APPLICATION_JSON)
          .header(HttpHeaders.CACHE_CONTROL, "no-store")
          .body(EventStreams.jsonArray(subscription.next(maxWait)));
    }
  }

  /** Server-sent events that end should the caller be suspended or erased meanwhile. */
  private void stream(
      HttpServletResponse response, int status, Subscription subscription, @Nullable UUID step) {
    try (OpenStreams.Tracked tracked = openStreams.track(user.id(), subscription)) {
      EventStreams.stream(response, status, subscription, step, streams, tracked);
    }
  }
}
