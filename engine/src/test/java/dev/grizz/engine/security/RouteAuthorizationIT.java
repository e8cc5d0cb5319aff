package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.RawHttp;
import dev.grizz.engine.RouteTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * Every route the engine serves × {no token, anonymous, owner, another user, admin} × {the plain
 * path, and its spellings that a router and a filter could read differently}, against the access
 * rule the route is meant to have. The routes come from the engine's own handler mappings, and a
 * route without a rule in {@link #RULES} fails the test: a new route cannot ship unreviewed.
 */
@EngineIT
class RouteAuthorizationIT {

  /** What a route requires. */
  enum Access {
    /** Anyone, no credentials. */
    OPEN,
    /** Any signed-in caller; the route names no one's resource. */
    CALLER,
    /** A signed-in caller, on a resource of their own (a conversation, key or account). */
    OWNER,
    /** An admin. */
    ADMIN
  }

  private static final Map<String, Access> RULES = new LinkedHashMap<>();

  static {
    rule(Access.OPEN, "POST /api/v1/sessions", "POST /api/v1/sessions/refresh");
    rule(Access.OPEN, "POST /api/v1/accounts", "GET /health", "GET /error", "POST /error");
    rule(Access.OPEN, "GET /actuator/health", "GET /actuator/health/**");
    rule(Access.OPEN, "GET /openapi.yaml", "GET /openapi.json");
    rule(Access.OPEN, "GET /api/v1/shared/{token}");
    rule(Access.CALLER, "GET /api/v1/me", "POST /api/v1/stream-tickets", "GET /api/v1/models");
    rule(Access.CALLER, "GET /api/v1/tools");
    rule(
        Access.CALLER,
        "GET /api/v1/memories",
        "POST /api/v1/memories",
        "GET /api/v1/memories/settings",
        "PUT /api/v1/memories/settings");
    rule(Access.CALLER, "GET /api/v1/conversations", "POST /api/v1/conversations");
    rule(Access.CALLER, "GET /api/v1/conversations/search", "POST /api/v1/conversations/import");
    rule(Access.CALLER, "GET /api/v1/usage", "GET /api/v1/usage/budget");
    rule(Access.CALLER, "GET /api/v1/api-keys", "POST /api/v1/api-keys");
    rule(Access.CALLER, "GET /api/v1/mcp-servers", "POST /api/v1/mcp-servers");
    rule(Access.CALLER, "GET /v1/models", "GET /v1/models/{*id}", "POST /v1/chat/completions");
    rule(
        Access.CALLER, "POST /v1/responses", "POST /v1/messages", "POST /v1/messages/count_tokens");
    rule(
        Access.OWNER,
        "GET /api/v1/conversations/{id}",
        "PATCH /api/v1/conversations/{id}",
        "DELETE /api/v1/conversations/{id}",
        "POST /api/v1/conversations/{id}/messages",
        "GET /api/v1/conversations/{id}/events",
        "POST /api/v1/conversations/{id}/steps/{stepId}/cancel",
        "POST /api/v1/conversations/{id}/steps/{stepId}/approval",
        "POST /api/v1/conversations/{id}/steps/{stepId}/regenerate",
        "GET /api/v1/conversations/{id}/export",
        "POST /api/v1/conversations/{id}/shares",
        "PUT /api/v1/conversations/{id}/steps/{stepId}/feedback",
        "GET /api/v1/conversations/{id}/steps/{stepId}/trace",
        "GET /api/v1/conversations/{id}/shares",
        "DELETE /api/v1/conversations/{id}/shares/{shareId}",
        "GET /ws/chat/{conversationId}",
        "PUT /api/v1/api-keys/{id}/budget",
        "DELETE /api/v1/api-keys/{id}",
        "DELETE /api/v1/mcp-servers/{id}",
        "DELETE /api/v1/users/{id}",
        "GET /api/v1/users/{id}/export",
        "POST /api/v1/conversations/{id}/files",
        "GET /api/v1/conversations/{id}/files",
        "GET /api/v1/files/{id}",
        "DELETE /api/v1/files/{id}",
        "PATCH /api/v1/memories/{id}",
        "DELETE /api/v1/memories/{id}",
        "GET /v1/responses/{id}",
        "GET /v1/responses/{id}/input_items",
        "POST /v1/responses/{id}/cancel",
        "DELETE /v1/responses/{id}");
    rule(
        Access.ADMIN,
        "GET /api/v1/admin/violations",
        "GET /api/v1/admin/feedback",
        "POST /api/v1/admin/violations/{id}/review",
        "POST /api/v1/admin/users/{id}/unsuspend",
        "GET /api/v1/admin/providers",
        "GET /actuator/prometheus");
  }

  /**
   * Bodies that pass validation, so that a refusal on someone else's resource is the ownership
   * check speaking, not the validator. Other routes get {@code {}}.
   */
  private static final Map<String, String> VALID_BODIES =
      Map.of(
          "PATCH /api/v1/conversations/{id}", "{\"title\":\"renamed\"}",
          "POST /api/v1/conversations/{id}/messages", "{\"content\":\"hello again\"}",
          "PATCH /api/v1/memories/{id}", "{\"content\":\"The fixture likes coffee.\"}",
          "POST /api/v1/conversations/import", "[]");

  private static void rule(Access access, String... routes) {
    for (String route : routes) {
      RULES.put(route, access);
    }
  }

  @LocalServerPort int port;
  @Autowired ApplicationContext context;
  @Autowired Accounts accounts;

  @Test
  void everyRouteHasAnAccessRule() {
    List<String> missing =
        RouteTable.of(context).stream()
            .map(RouteTable.Route::key)
            .filter(key -> !RULES.containsKey(key))
            .toList();
    assertThat(missing).as("routes without a rule in RouteAuthorizationIT.RULES").isEmpty();
  }

  @Test
  void everyRouteRefusesWhoItShouldUnderEverySpelling() {
    RawHttp http = new RawHttp(port);
    String admin = ApiClient.admin(port, accounts).token();
    SoftAssertions soft = new SoftAssertions();
    int requests = 0;
    for (RouteTable.Route route : RouteTable.of(context)) {
      Access access = RULES.get(route.key());
      if (access == null) {
        continue; // everyRouteHasAnAccessRule names it
      }
      RouteFixture owner = RouteFixture.create(port, route.pattern().startsWith("/v1/responses/"));
      String other = RouteFixture.registered(port);
      String anonymous = new ApiClient(port).token();
      String path = owner.path(route.pattern());

      Map<String, @Nullable String> callers = new LinkedHashMap<>();
      callers.put("no token", null);
      callers.put("anonymous", anonymous);
      callers.put("another user", other);
      for (var caller : callers.entrySet()) {
        if (route.pattern().startsWith("/ws/") && caller.getValue() != null) {
          continue; // ownership of a socket shows after the upgrade: OwnershipIT checks it
        }
        RawHttp.Response response = call(http, route, path, caller.getValue());
        requests++;
        String what = route.key() + " as " + caller.getKey() + " -> " + response;
        switch (access) {
          case OPEN ->
              soft.assertThat(response.status()).as(what).isNotIn(401, 403).isLessThan(500);
          case CALLER ->
              soft.assertThat(response.status())
                  .as(what)
                  .isEqualTo(caller.getValue() == null ? 401 : response.status())
                  .isNotEqualTo(caller.getValue() == null ? -1 : 401);
          case OWNER ->
              soft.assertThat(response.status())
                  .as(what)
                  .isIn(caller.getValue() == null ? List.of(401) : List.of(403, 404));
          case ADMIN ->
              soft.assertThat(response.status())
                  .as(what)
                  .isEqualTo(caller.getValue() == null ? 401 : 403);
        }
        soft.assertThat(response.status()).as(what).isLessThan(500);
      }

      for (String variant : variants(path)) {
        for (String token : new String[] {null, admin}) {
          RawHttp.Response response = call(http, route, variant, token);
          requests++;
          soft.assertThat(response.status())
              .as(route.key() + " spelled " + variant + (token == null ? "" : " as admin"))
              .isEqualTo(400);
        }
      }
      RawHttp.Response slash = call(http, route, path + "/", null);
      requests++;
      if (access != Access.OPEN) {
        soft.assertThat(slash.status())
            .as(route.key() + " with a trailing slash -> " + slash)
            .isIn(401, 404);
      }

      RawHttp.Response asOwner = call(http, route, path, owner.token());
      RawHttp.Response asAdmin = call(http, route, path, admin);
      requests += 2;
      String ownerWhat = route.key() + " as its owner -> " + asOwner;
      String adminWhat = route.key() + " as admin -> " + asAdmin;
      switch (access) {
        case OPEN, CALLER -> soft.assertThat(asOwner.status()).as(ownerWhat).isNotIn(401, 403);
        case OWNER -> soft.assertThat(asOwner.status()).as(ownerWhat).isNotIn(401, 403, 404);
        case ADMIN -> soft.assertThat(asOwner.status()).as(ownerWhat).isEqualTo(403);
      }
      soft.assertThat(asOwner.status()).as(ownerWhat).isLessThan(500);
      soft.assertThat(asAdmin.status()).as(adminWhat).isNotIn(401, 403).isLessThan(500);
    }
    soft.assertThat(requests).as("requests made").isGreaterThan(300);
    soft.assertAll();
  }

  /** Spellings of {@code path} that decode or normalise to it, or to a neighbour of it. */
  static List<String> variants(String path) {
    int second = path.indexOf('/', 1);
    List<String> variants = new ArrayList<>();
    if (second < 0) {
      variants.add(path + ";x");
      variants.add("/%" + Integer.toHexString(path.charAt(1)) + path.substring(2));
      variants.add("/" + path);
      variants.add("/." + path);
      variants.add("/x/.." + path);
      return variants;
    }
    String first = path.substring(1, second);
    String rest = path.substring(second);
    variants.add("/" + first + ";x" + rest);
    variants.add(path + ";x");
    variants.add("/%" + Integer.toHexString(first.charAt(0)) + first.substring(1) + rest);
    variants.add("/" + first + "%2F" + rest.substring(1));
    variants.add("/" + first + "%2f" + rest.substring(1));
    variants.add("/" + path);
    variants.add("/" + first + "/" + rest);
    variants.add("/" + first + "/." + rest);
    variants.add("/" + first + "/x/.." + rest);
    variants.add("/" + first + "/%2e" + rest);
    variants.add("/" + first + "\\" + rest.substring(1));
    return variants;
  }

  private static RawHttp.Response call(
      RawHttp http, RouteTable.Route route, String path, @Nullable String token) {
    String method = route.method();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "application/json");
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    byte[] body = null;
    if (!method.equals("GET") && !method.equals("DELETE")) {
      headers.put("Content-Type", "application/json");
      body = VALID_BODIES.getOrDefault(route.key(), "{}").getBytes(StandardCharsets.UTF_8);
    }
    return http.send(method, path, headers, body);
  }
}
