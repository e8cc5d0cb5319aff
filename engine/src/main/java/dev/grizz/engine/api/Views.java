package dev.grizz.engine.api;

import dev.grizz.engine.chat.PostedMessage;
import dev.grizz.engine.conversation.Conversation;
import dev.grizz.engine.conversation.ConversationDetail;
import dev.grizz.engine.conversation.ConversationPage;
import dev.grizz.engine.conversation.Message;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.conversation.StepTree;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The JSON shapes of API v1 responses, and their mapping from the services' records. */
final class Views {

  private Views() {}

  record ConversationView(
      UUID id,
      String title,
      String status,
      Instant createdAt,
      Instant updatedAt,
      SettingsView settings,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          @Nullable UUID activeStepId) {}

  /** A conversation's settings; a setting not set is left out. */
  @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record SettingsView(
      @Nullable String model,
      @Nullable String systemPrompt,
      @Nullable Double temperature,
      @Nullable Integer maxTokens,
      @Nullable List<String> tools) {

    static SettingsView of(dev.grizz.engine.conversation.ConversationSettings s) {
      return new SettingsView(
          s.model(), s.systemPrompt(), s.temperature(), s.maxOutputTokens(), s.tools());
    }
  }

  record ConversationDetailView(
      UUID id,
      String title,
      String status,
      Instant createdAt,
      Instant updatedAt,
      SettingsView settings,
      List<MessageView> messages,
      List<StepView> steps,
      @Nullable UUID activeStepId,
      List<UUID> activeBranch) {}

  record MessageView(
      UUID id,
      UUID stepId,
      String role,
      String content,
      @Nullable Integer tokenCount,
      Instant createdAt,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          @Nullable String reasoning,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
          List<String> images,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
          List<dev.grizz.engine.conversation.StoredToolCall> toolCalls,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          @Nullable String toolCallId) {}

  record StepView(
      UUID id,
      @Nullable UUID parentStepId,
      String type,
      String status,
      @Nullable String provider,
      @Nullable Object model,
      @Nullable Integer promptTokens,
      @Nullable Integer completionTokens,
      @Nullable BigDecimal usageCents,
      Instant createdAt,
      Instant updatedAt,
      Map<String, Object> metadata,
      List<UUID> siblingIds,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          @Nullable FeedbackView feedback) {}

  /** The user's rating of an answer. */
  record FeedbackView(@Nullable String rating, @Nullable String comment, Instant updatedAt) {

    static FeedbackView of(dev.grizz.engine.conversation.Feedback f) {
      return new FeedbackView(f.rating(), f.comment(), f.updatedAt());
    }

    /** The feedback kept in a step's metadata, if any. */
    static @Nullable FeedbackView of(Map<String, Object> metadata) {
      if (!(metadata.get("feedback") instanceof Map<?, ?> f)
          || !(f.get("updated_at") instanceof String at)) {
        return null;
      }
      return new FeedbackView(
          f.get("rating") instanceof String r ? r : null,
          f.get("comment") instanceof String c ? c : null,
          Instant.parse(at));
    }
  }

  /** A step's feedback after it was set: null once cleared. */
  record StepFeedbackView(UUID stepId, @Nullable FeedbackView feedback) {}

  record PageView(List<ConversationView> items, @Nullable String nextCursor) {}

  record PostedMessageView(
      UUID conversationId, UUID userStepId, UUID userMessageId, UUID stepId, String status) {}

  static ConversationView of(Conversation c) {
    return new ConversationView(
        c.id(),
        c.title(),
        wire(c.status()),
        c.createdAt(),
        c.updatedAt(),
        SettingsView.of(c.settings()),
        null);
  }

  /** A conversation with the leaf of the branch it shows. */
  static ConversationView of(Conversation c, @Nullable UUID activeStepId) {
    ConversationView view = of(c);
    return new ConversationView(
        view.id(),
        view.title(),
        view.status(),
        view.createdAt(),
        view.updatedAt(),
        view.settings(),
        activeStepId);
  }

  static ConversationDetailView of(ConversationDetail detail) {
    Conversation c = detail.conversation();
    StepTree tree = detail.tree();
    UUID leaf = tree.leaf(detail.activeStepId());
    Map<UUID, List<UUID>> siblings = tree.siblings();
    return new ConversationDetailView(
        c.id(),
        c.title(),
        wire(c.status()),
        c.createdAt(),
        c.updatedAt(),
        SettingsView.of(c.settings()),
        detail.messages().stream().map(Views::of).toList(),
        detail.steps().stream().map(s -> of(s, siblings.getOrDefault(s.id(), List.of()))).toList(),
        leaf,
        tree.branch(leaf));
  }

  static MessageView of(Message m) {
    return new MessageView(
        m.id(),
        m.stepId(),
        wire(m.role()),
        m.content(),
        m.tokenCount(),
        m.createdAt(),
        m.reasoning(),
        m.images(),
        m.toolCalls(),
        m.toolCallId());
  }

  static StepView of(Step s, List<UUID> siblingIds) {
    return new StepView(
        s.id(),
        s.parentStepId(),
        wire(s.type()),
        wire(s.status()),
        s.provider(),
        s.metadata().get("model"),
        s.promptTokens(),
        s.completionTokens(),
        s.usageCents(),
        s.createdAt(),
        s.updatedAt(),
        s.metadata(),
        siblingIds,
        FeedbackView.of(s.metadata()));
  }

  static PageView of(ConversationPage page) {
    return new PageView(page.items().stream().map(Views::of).toList(), page.nextCursor());
  }

  static PostedMessageView of(PostedMessage posted) {
    return new PostedMessageView(
        posted.turn().conversationId(),
        posted.turn().userStepId(),
        posted.turn().userMessageId(),
        posted.turn().stepId(),
        wire(posted.status()));
  }

  static String wire(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
