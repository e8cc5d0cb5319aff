package dev.grizz.engine.api;

import dev.grizz.engine.conversation.Share;
import dev.grizz.engine.conversation.SharedSnapshot;
import dev.grizz.engine.conversation.Shares;
import dev.grizz.engine.security.CurrentUser;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * API v1: a conversation shared by link. The owner makes, lists and revokes shares; anyone with a
 * share's token reads its snapshot, without credentials.
 */
@RestController
class SharesController {

  static final String SHARED = "/api/v1/shared/";

  private final Shares shares;
  private final CurrentUser user;

  SharesController(Shares shares, CurrentUser user) {
    this.shares = shares;
    this.user = user;
  }

  record ShareView(UUID id, UUID conversationId, String token, String url, Instant createdAt) {

    static ShareView of(Share share) {
      return new ShareView(
          share.id(),
          share.conversationId(),
          share.token(),
          SHARED + share.token(),
          share.createdAt());
    }
  }

  record SharesView(List<ShareView> items) {}

  /** Shares the branch the conversation shows now, as a snapshot behind a new token. */
  @PostMapping(
      path = "/api/v1/conversations/{id}/shares",
      produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<ShareView> share(@PathVariable UUID id) {
    ShareView view = ShareView.of(shares.share(user.id(), id));
    return ResponseEntity.created(URI.create(view.url())).body(view);
  }

  @GetMapping(
      path = "/api/v1/conversations/{id}/shares",
      produces = MediaType.APPLICATION_JSON_VALUE)
  SharesView list(@PathVariable UUID id) {
    return new SharesView(shares.list(user.id(), id).stream().map(ShareView::of).toList());
  }

  @DeleteMapping("/api/v1/conversations/{id}/shares/{shareId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void revoke(@PathVariable UUID id, @PathVariable UUID shareId) {
    if (!shares.revoke(user.id(), id, shareId)) {
      throw new NotFoundException("No such share.");
    }
  }

  /** A share's snapshot, for anyone holding its token: 404 once revoked or gone. */
  @GetMapping(path = SHARED + "{token}", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<SharedSnapshot> shared(@PathVariable String token) {
    SharedSnapshot snapshot =
        shares.shared(token).orElseThrow(() -> new NotFoundException("No such share."));
    return ResponseEntity.ok()
        // Revoking must take effect at once, and the link is no page for search engines.
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("X-Robots-Tag", "noindex")
        .body(snapshot);
  }
}
