package dev.grizz.engine.compliance;

import dev.grizz.engine.audit.AuditLog;
import dev.grizz.engine.conversation.Conversation;
import dev.grizz.engine.conversation.ConversationDetail;
import dev.grizz.engine.conversation.ConversationStore;
import dev.grizz.engine.conversation.ResponseChainRecords;
import dev.grizz.engine.event.EventLog;
import dev.grizz.engine.mcp.UserMcpServers;
import dev.grizz.engine.moderation.ViolationLog;
import dev.grizz.engine.security.Accounts;
import dev.grizz.engine.security.ApiKeys;
import dev.grizz.engine.usage.UsageLedger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erases or exports everything the engine keeps about a user. Usage rows stay for billing but lose
 * the link to the person; conversations, their steps, messages, shares and event streams (Redis and
 * PostgreSQL) go; responses stored by the Responses API go; violation content goes; API keys and
 * the user's own MCP servers go; the account keeps its id but loses its email, name and password.
 * Each call is written to the audit log; erasing twice is harmless.
 */
@Service
public class ComplianceService {

  private final ConversationStore conversations;
  private final EventLog events;
  private final UsageLedger usage;
  private final ViolationLog violations;
  private final TransactionTemplate transaction;
  private final AuditLog auditLog;
  private final Accounts accounts;
  private final ApiKeys apiKeys;
  private final ResponseChainRecords responses;
  private final dev.grizz.engine.file.FileStore files;
  private final dev.grizz.engine.memory.Memories memories;
  private final UserMcpServers mcpServers;
  private final dev.grizz.engine.conversation.Shares shares;
  private final Clock clock;

  ComplianceService(
      ConversationStore conversations,
      EventLog events,
      UsageLedger usage,
      ViolationLog violations,
      TransactionTemplate transaction,
      AuditLog auditLog,
      Accounts accounts,
      ApiKeys apiKeys,
      ResponseChainRecords responses,
      dev.grizz.engine.file.FileStore files,
      dev.grizz.engine.memory.Memories memories,
      UserMcpServers mcpServers,
      dev.grizz.engine.conversation.Shares shares,
      Clock clock) {
    this.shares = shares;
    this.responses = responses;
    this.files = files;
    this.memories = memories;
    this.mcpServers = mcpServers;
    this.accounts = accounts;
    this.apiKeys = apiKeys;
    this.conversations = conversations;
    this.events = events;
    this.usage = usage;
    this.violations = violations;
    this.transaction = transaction;
    this.auditLog = auditLog;
    this.clock = clock;
  }

  /** What an erasure removed. */
  public record Erased(
      int conversations,
      int usageRowsUnlinked,
      int violationsErased,
      int apiKeysDeleted,
      int responsesDeleted,
      int mcpServersDeleted,
      int memoriesDeleted) {}

  public Erased deleteUserData(UUID actorId, UUID userId) {
    List<UUID> owned = conversations.allIds(userId);
    // Streams first: once the rows are gone nothing would name these conversations any more.
    owned.forEach(events::delete);
    Erased erased =
        transaction.execute(
            tx -> {
              // Counted first: the chains go with the user's conversations.
              int storedResponses = responses.count(userId);
              conversations.deleteAll(userId);
              int unlinked = usage.unlinkUser(userId);
              int erasedViolations = violations.eraseUser(userId);
              int keys = apiKeys.deleteAll(userId);
              int servers = mcpServers.deleteAll(userId);
              int forgotten = memories.deleteAll(userId);
              accounts.eraseProfile(userId);
              Erased result =
                  new Erased(
                      owned.size(),
                      unlinked,
                      erasedViolations,
                      keys,
                      storedResponses,
                      servers,
                      forgotten);
              audit(
                  actorId,
                  "user.erase",
                  userId,
                  Map.of(
                      "conversations", result.conversations(),
                      "usage_rows_unlinked", result.usageRowsUnlinked(),
                      "violations_erased", result.violationsErased(),
                      "api_keys_deleted", result.apiKeysDeleted(),
                      "responses_deleted", result.responsesDeleted(),
                      "mcp_servers_deleted", result.mcpServersDeleted(),
                      "memories_deleted", result.memoriesDeleted()));
              return result;
            });
    return erased;
  }

  /** Everything kept about the user, as one document. */
  public Map<String, Object> export(UUID actorId, UUID userId) {
    List<Map<String, Object>> exported = new ArrayList<>();
    for (UUID id : conversations.allIds(userId)) {
      ConversationDetail detail = conversations.detail(userId, id);
      Conversation c = detail.conversation();
      Map<String, Object> conversation = new LinkedHashMap<>();
      conversation.put("id", c.id());
      conversation.put("title", c.title());
      conversation.put("created_at", c.createdAt());
      conversation.put("steps", detail.steps());
      conversation.put("messages", detail.messages());
      exported.add(conversation);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("user_id", userId);
    accounts
        .profile(userId)
        .ifPresent(
            profile -> {
              document.put("kind", profile.kind().wire());
              document.put("email", profile.email());
              document.put("display_name", profile.displayName());
            });
    document.put("api_keys", apiKeys.list(userId));
    document.put("mcp_servers", mcpServers.list(userId));
    document.put("exported_at", clock.instant());
    document.put("conversations", exported);
    document.put("responses", responses.export(userId));
    // Links to the user's shared conversations; erasing the user deletes them with the
    // conversations.
    document.put("shares", shares.ofUser(userId));
    // Names, types and sizes; each file's bytes are a GET /api/v1/files/{id} away while it exists.
    document.put("files", files.ofUser(userId));
    document.put("memory_mode", memories.mode(userId).wire());
    document.put("memories", memories.list(userId, null));
    document.put("usage", usage.forUser(userId));
    document.put("policy_violations", violations.forUser(userId));
    audit(actorId, "user.export", userId, Map.of("conversations", exported.size()));
    return document;
  }

  private void audit(
      @Nullable UUID actorId, String action, UUID target, Map<String, Object> details) {
    auditLog.record(actorId, action, "user", target.toString(), details);
  }
}
