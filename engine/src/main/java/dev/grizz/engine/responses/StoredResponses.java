package dev.grizz.engine.responses;

import dev.grizz.engine.agent.Cancels;
import dev.grizz.engine.conversation.ResponseChainRecords;
import dev.grizz.engine.conversation.ResponseChains;
import dev.grizz.engine.conversation.Step;
import dev.grizz.engine.responses.ResponsesErrors.RefusedException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Responses API's stored responses as its routes see them: read, listed, deleted, cancelled (a
 * background one), and the items an {@code item_reference} names. Only the owner sees them.
 */
@Service
public class StoredResponses {

  private final ResponseChains chains;
  private final ResponseChainRecords records;
  private final Cancels cancels;
  private final JsonMapper json;

  StoredResponses(
      ResponseChains chains, ResponseChainRecords records, Cancels cancels, JsonMapper json) {
    this.chains = chains;
    this.records = records;
    this.cancels = cancels;
    this.json = json;
  }

  /** The user's response {@code id} as it stands; 404 when unknown, deleted or someone else's. */
  public ObjectNode get(UUID userId, String id) {
    return find(userId, id).orElseThrow(() -> notFound(id)).response();
  }

  /**
   * The items a stored response answered, as OpenAI lists them (see {@link ResponseInputItems}).
   */
  public ObjectNode inputItems(
      UUID userId,
      String id,
      @Nullable Integer limit,
      @Nullable String order,
      @Nullable String after) {
    ResponseChains.Stored found = find(userId, id).orElseThrow(() -> notFound(id));
    ArrayNode context = json.createArrayNode();
    chains.context(userId, found.id(), false).forEach(context::add);
    return ResponseInputItems.list(json, hex(found.id()), context, limit, order, after);
  }

  public void delete(UUID userId, String id) {
    UUID uuid = ResponseIds.uuid(id, "resp_");
    if (uuid == null || !records.delete(userId, uuid)) {
      throw notFound(id);
    }
  }

  /**
   * Cancels a background response: a queued one at once, a running one on whichever pod runs it
   * (its answer so far is kept as cancelled). Cancelling a finished one changes nothing. Returns
   * the response as it stands, which a moment after the cancel may still say {@code in_progress}.
   */
  public ObjectNode cancel(UUID userId, String id) {
    ResponseChains.Stored found = find(userId, id).orElseThrow(() -> notFound(id));
    if (!found.background()) {
      throw RefusedException.invalid(null, "Cannot cancel a synchronous response.");
    }
    if (found.status() == Step.StepStatus.QUEUED && chains.cancelQueued(found.id())) {
      return get(userId, id);
    }
    if (!found.status().finished()) {
      cancels.cancelEverywhere(found.id());
      for (int i = 0; i < 50; i++) {
        ResponseChains.Stored now = find(userId, id).orElseThrow(() -> notFound(id));
        if (now.status().finished()) {
          return now.response();
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return get(userId, id);
    }
    return found.response();
  }

  private static RefusedException notFound(String id) {
    return RefusedException.notFound(null, "Response with id '" + id + "' not found.");
  }

  /** The user's response {@code id}; empty when unknown, deleted or someone else's. */
  Optional<ResponseChains.Stored> find(UUID userId, String id) {
    UUID uuid = ResponseIds.uuid(id, "resp_");
    return uuid == null ? Optional.empty() : chains.find(userId, uuid);
  }

  private static String hex(UUID id) {
    return id.toString().replace("-", "");
  }

  /**
   * The output item an {@code item_reference} names: item ids embed their response's id ({@code
   * msg_<response>_<n>}), so one read of the owner's response finds it.
   */
  @Nullable JsonNode referenced(
      UUID userId, String itemId, Map<UUID, Optional<ResponseChains.Stored>> seen) {
    int prefix = itemId.indexOf('_');
    UUID responseId = prefix < 0 ? null : ResponseIds.uuid(itemId.substring(prefix), "_");
    if (responseId == null) {
      return null;
    }
    Optional<ResponseChains.Stored> response =
        seen.computeIfAbsent(responseId, key -> chains.find(userId, key));
    if (response.isEmpty()) {
      return null;
    }
    for (JsonNode item : response.get().response().path("output")) {
      if (item.path("id").asString("").equals(itemId)) {
        return item;
      }
    }
    return null;
  }
}
