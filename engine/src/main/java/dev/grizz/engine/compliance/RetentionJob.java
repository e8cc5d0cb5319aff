package dev.grizz.engine.compliance;

import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.event.EventLog;
import dev.grizz.engine.moderation.ViolationLog;
import dev.grizz.engine.security.Accounts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Purges data past its retention once an hour, on every pod (the deletes are idempotent). */
@Component
class RetentionJob {

  static final Duration EVERY = Duration.ofHours(1);
  private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

  private final RetentionSettings settings;
  private final ConversationStore conversations;
  private final EventLog events;
  private final ViolationLog violations;
  private final Accounts accounts;
  private final dev.grizz.engine.memory.Memories memories;
  private final Clock clock;

  RetentionJob(
      RetentionSettings settings,
      ConversationStore conversations,
      EventLog events,
      ViolationLog violations,
      Accounts accounts,
      dev.grizz.engine.memory.Memories memories,
      Clock clock) {
    this.memories = memories;
    this.accounts = accounts;
    this.settings = settings;
    this.conversations = conversations;
    this.events = events;
    this.violations = violations;
    this.clock = clock;
  }

  @EventListener(ApplicationReadyEvent.class)
  void start() {
    if (settings.conversations() == null
        && settings.violations() == null
        && settings.anonymousUsers() == null
        && settings.memories() == null) {
      return;
    }
    Thread.ofVirtual()
        .name("retention")
        .start(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                try {
                  purge(settings.conversations(), settings.violations(), settings.anonymousUsers());
                  purgeMemories(settings.memories());
                  Thread.sleep(EVERY);
                } catch (InterruptedException e) {
                  return;
                } catch (RuntimeException e) {
                  log.warn("retention purge failed: {}", e.getMessage());
                }
              }
            });
  }

  /** Deletes memories untouched for {@code age}; returns how many went. */
  int purgeMemories(@Nullable Duration age) {
    if (age == null) {
      return 0;
    }
    int purged = memories.deleteUntouchedSince(clock.instant().minus(age));
    if (purged > 0) {
      log.info("retention: purged {} memories untouched for {}", purged, age);
    }
    return purged;
  }

  /**
   * Deletes what is older than the given ages; returns how many conversations, violations and
   * anonymous users went.
   */
  int[] purge(
      @Nullable Duration conversationAge,
      @Nullable Duration violationAge,
      @Nullable Duration anonymousUserAge) {
    Instant now = clock.instant();
    int purgedConversations = 0;
    if (conversationAge != null) {
      List<UUID> old = conversations.inactiveSince(now.minus(conversationAge));
      for (UUID id : old) {
        events.delete(id);
      }
      // Stored Responses API chains are conversations too (origin responses), kept as long.
      purgedConversations = conversations.deleteByIds(old);
    }
    int purgedViolations =
        violationAge == null ? 0 : violations.deleteOlderThan(now.minus(violationAge));
    int purgedUsers =
        anonymousUserAge == null ? 0 : accounts.deleteIdleAnonymous(now.minus(anonymousUserAge));
    if (purgedConversations + purgedViolations + purgedUsers > 0) {
      log.info(
          "retention: purged {} conversations (stored response chains among them), {} violations"
              + " and {} idle anonymous users",
          purgedConversations,
          purgedViolations,
          purgedUsers);
    }
    return new int[] {purgedConversations, purgedViolations, purgedUsers};
  }
}
