package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.StreamClients;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Every way a request can fail to prove who it is, and the ways it succeeds. */
@EngineIT
public class AuthIT {

  static final String KID = "test";
  static final String SECRET = "a-test-signing-key-of-at-least-32-bytes";

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired Accounts accounts;

  private ApiClient bearer(String token) {
    return ApiClient.withToken(port, token);
  }

  private static String email() {
    return "u" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  private ApiClient signUp(String email, String password) {
    ApiClient.Reply reply =
        ApiClient.unauthenticated(port)
            .post(
                "/api/v1/accounts",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
    assertThat(reply.status()).as(reply.raw()).isEqualTo(201);
    return bearer(reply.body().get("access_token").asString());
  }

  @Test
  void aMissingTokenIsRefusedWithTheErrorBody() {
    ApiClient.Reply reply = ApiClient.unauthenticated(port).get("/api/v1/conversations");

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.errorCode()).isEqualTo("unauthenticated");
    assertThat(reply.body().at("/error/trace_id").asString()).isNotBlank();
    assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void healthAndTheUiNeedNoToken() {
    assertThat(ApiClient.unauthenticated(port).get("/health").status()).isEqualTo(200);
  }

  @Test
  void malformedTamperedExpiredAndWrongTypeTokensAreRefused() {
    UUID user = new ApiClient(port).userId();
    String good = TestTokens.sign(KID, SECRET, user, "access", Instant.now().plusSeconds(60));
    String tampered = good.substring(0, good.length() - 3) + (good.endsWith("AAA") ? "BBB" : "AAA");
    String expired = TestTokens.sign(KID, SECRET, user, "access", Instant.now().minusSeconds(5));
    String refresh = TestTokens.sign(KID, SECRET, user, "refresh", Instant.now().plusSeconds(60));
    String retired = TestTokens.sign("old", SECRET, user, "access", Instant.now().plusSeconds(60));

    assertThat(bearer(good).get("/api/v1/me").status()).isEqualTo(200);
    assertThat(bearer("not-a-token").get("/api/v1/me").errorCode()).isEqualTo("invalid_token");
    assertThat(bearer(tampered).get("/api/v1/me").errorCode()).isEqualTo("invalid_token");
    assertThat(bearer(expired).get("/api/v1/me").errorCode()).isEqualTo("token_expired");
    assertThat(bearer(refresh).get("/api/v1/me").errorCode()).isEqualTo("invalid_token");
    ApiClient.Reply retiredReply = bearer(retired).get("/api/v1/me");
    assertThat(retiredReply.status()).isEqualTo(401);
    assertThat(retiredReply.body().at("/error/message").asString()).contains("no longer accepted");
    ApiClient.Reply notBearer =
        ApiClient.unauthenticated(port).get("/api/v1/me", Map.of("Authorization", "Basic abc"));
    assertThat(notBearer.errorCode()).isEqualTo("invalid_token");
  }

  @Test
  void anAnonymousSessionRefreshesAndSaysWhoItIs() {
    ApiClient.Reply session = ApiClient.unauthenticated(port).post("/api/v1/sessions", "");
    assertThat(session.status()).isEqualTo(201);
    assertThat(session.body().get("token_type").asString()).isEqualTo("Bearer");
    assertThat(session.body().get("expires_in").asLong()).isBetween(800L, 900L);
    assertThat(session.body().at("/user/kind").asString()).isEqualTo("anonymous");

    JsonNode me = bearer(session.body().get("access_token").asString()).get("/api/v1/me").body();
    assertThat(me.get("id").asString()).isEqualTo(session.body().at("/user/id").asString());
    assertThat(me.get("kind").asString()).isEqualTo("anonymous");
    assertThat(me.at("/limits/messages_per_minute").asInt()).isPositive();

    ApiClient.Reply refreshed =
        ApiClient.unauthenticated(port)
            .post(
                "/api/v1/sessions/refresh",
                "{\"refresh_token\":\"" + session.body().get("refresh_token").asString() + "\"}");
    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.body().at("/user/id").asString())
        .isEqualTo(session.body().at("/user/id").asString());
    ApiClient.Reply accessAsRefresh =
        ApiClient.unauthenticated(port)
            .post(
                "/api/v1/sessions/refresh",
                "{\"refresh_token\":\"" + session.body().get("access_token").asString() + "\"}");
    assertThat(accessAsRefresh.status()).isEqualTo(401);
  }

  @Test
  void accountsSignUpLogInAndKeepTheAnonymousConversations() {
    ApiClient guest = new ApiClient(port);
    String conversation =
        guest.post("/api/v1/conversations", "{\"title\":\"kept\"}").body().get("id").asString();
    String email = email();

    ApiClient.Reply upgraded =
        guest.post(
            "/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"correct horse 1\"}");
    assertThat(upgraded.status()).as(upgraded.raw()).isEqualTo(201);
    assertThat(upgraded.body().at("/user/kind").asString()).isEqualTo("user");

    ApiClient.Reply login =
        ApiClient.unauthenticated(port)
            .post(
                "/api/v1/sessions",
                "{\"email\":\"" + email.toUpperCase() + "\",\"password\":\"correct horse 1\"}");
    assertThat(login.status()).isEqualTo(201);
    ApiClient account = bearer(login.body().get("access_token").asString());
    assertThat(account.get("/api/v1/conversations/" + conversation).status()).isEqualTo(200);
    assertThat(account.get("/api/v1/me").body().get("email").asString()).isEqualTo(email);

    ApiClient.Reply wrong =
        ApiClient.unauthenticated(port)
            .post(
                "/api/v1/sessions",
                "{\"email\":\"" + email + "\",\"password\":\"wrong password\"}");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.errorCode()).isEqualTo("invalid_credentials");
    ApiClient.Reply unknown =
        ApiClient.unauthenticated(port)
            .post(
                "/api/v1/sessions",
                "{\"email\":\"" + email() + "\",\"password\":\"wrong password\"}");
    assertThat(unknown.errorCode()).isEqualTo("invalid_credentials");
    ApiClient.Reply taken =
        ApiClient.unauthenticated(port)
            .post(
                "/api/v1/accounts", "{\"email\":\"" + email + "\",\"password\":\"another one 1\"}");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.errorCode()).isEqualTo("email_taken");
    ApiClient.Reply weak =
        ApiClient.unauthenticated(port)
            .post("/api/v1/accounts", "{\"email\":\"" + email() + "\",\"password\":\"short\"}");
    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.errorCode()).isEqualTo("weak_password");
  }

  @Test
  void passwordsLongerThanBcryptsSeventyTwoBytesSignUpAndLogIn() {
    for (String password :
        java.util.List.of(
            "a".repeat(73), "b".repeat(100), "c".repeat(200), "\u5bc6\u00e9".repeat(30))) {
      String email = email();
      ApiClient.Reply signUp =
          ApiClient.unauthenticated(port)
              .post(
                  "/api/v1/accounts",
                  "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
      assertThat(signUp.status())
          .as("%d characters: %s", password.length(), signUp.raw())
          .isEqualTo(201);
      assertThat(login(email, password).status()).isEqualTo(201);
      // bcrypt alone would have read only the first 72 bytes: a password that differs after them
      // must not match.
      assertThat(login(email, password.substring(0, password.length() - 1) + "z").status())
          .isEqualTo(401);
    }
  }

  @Test
  void aPasswordHashedTheOldWayStillLogsInAndIsRehashed() {
    String email = email();
    String password = "an old password";
    signUp(email, "a password to replace");
    String oldHash =
        new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder().encode(password);
    jdbc.sql("update users set password_hash = :h where email = :e")
        .param("h", oldHash)
        .param("e", email)
        .update();

    assertThat(login(email, "a wrong password").status()).isEqualTo(401);
    assertThat(login(email, password).status()).isEqualTo(201);

    String stored =
        jdbc.sql("select password_hash from users where email = :e")
            .param("e", email)
            .query(String.class)
            .single();
    assertThat(stored).isNotEqualTo(oldHash);
    assertThat(login(email, password).status()).isEqualTo(201);
  }

  private ApiClient.Reply login(String email, String password) {
    return ApiClient.unauthenticated(port)
        .post(
            "/api/v1/sessions", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
  }

  @Test
  void aSuspendedUserIsRefusedWithItsOwnCode() {
    ApiClient user = signUp(email(), "a good password");
    UUID id = user.userId();

    jdbc.sql("update users set suspended_at = now() where id = :id").param("id", id).update();
    accounts.forget(id);

    ApiClient.Reply reply = user.get("/api/v1/conversations");
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.errorCode()).isEqualTo("account_suspended");
  }

  @Test
  void onlyAdminsReachAdminRoutesAndAnyUsersData() {
    String adminEmail = email();
    accounts.ensureAdmin(adminEmail, "admin password 1");
    ApiClient.Reply login =
        ApiClient.unauthenticated(port)
            .post(
                "/api/v1/sessions",
                "{\"email\":\"" + adminEmail + "\",\"password\":\"admin password 1\"}");
    ApiClient admin = bearer(login.body().get("access_token").asString());
    ApiClient user = new ApiClient(port);
    UUID userId = user.userId();

    assertThat(admin.get("/api/v1/me").body().get("kind").asString()).isEqualTo("admin");
    assertThat(admin.get("/api/v1/admin/providers").status()).isEqualTo(200);
    ApiClient.Reply refused = user.get("/api/v1/admin/providers");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errorCode()).isEqualTo("admin_required");

    assertThat(admin.get("/api/v1/users/" + userId + "/export").status()).isEqualTo(200);
    assertThat(admin.get("/api/v1/usage?user_id=" + userId).status()).isEqualTo(200);
    assertThat(new ApiClient(port).get("/api/v1/users/" + userId + "/export").status())
        .isEqualTo(404);
    assertThat(new ApiClient(port).get("/api/v1/usage?user_id=" + userId).status()).isEqualTo(404);
    assertThat(admin.get("/api/v1/users/" + UUID.randomUUID() + "/export").status()).isEqualTo(404);
  }

  @Test
  void signedRequestsPassAndEveryWayOfGettingThemWrongIsRefused() {
    ApiClient owner = signUp(email(), "a good password");
    JsonNode created = owner.post("/api/v1/api-keys", "{\"name\":\"server\"}").body();
    String key = created.get("key").asString();
    String keyId = created.get("id").asString();
    byte[] signingKey = ApiKeys.sha256(key.substring(key.lastIndexOf('_') + 1));
    assertThat(owner.get("/api/v1/api-keys").raw()).doesNotContain(key);

    String body = "{\"title\":\"signed\"}";
    ApiClient anyone = ApiClient.unauthenticated(port);
    long now = Instant.now().getEpochSecond();

    ApiClient.Reply ok =
        anyone.send(
            "/api/v1/conversations",
            "POST",
            body,
            "application/json",
            signed(
                keyId, signingKey, "POST", "/api/v1/conversations", now, "nonce-0000000001", body));
    assertThat(ok.status()).as(ok.raw()).isEqualTo(201);

    ApiClient.Reply replay =
        anyone.send(
            "/api/v1/conversations",
            "POST",
            body,
            "application/json",
            signed(
                keyId, signingKey, "POST", "/api/v1/conversations", now, "nonce-0000000001", body));
    assertThat(replay.errorCode()).isEqualTo("nonce_reused");

    Map<String, String> tamperedBody =
        signed(keyId, signingKey, "POST", "/api/v1/conversations", now, "nonce-0000000002", body);
    assertThat(
            anyone
                .send(
                    "/api/v1/conversations",
                    "POST",
                    "{\"title\":\"other\"}",
                    "application/json",
                    tamperedBody)
                .errorCode())
        .isEqualTo("signature_invalid");

    Map<String, String> skewed =
        signed(
            keyId,
            signingKey,
            "POST",
            "/api/v1/conversations",
            now - 600,
            "nonce-0000000003",
            body);
    assertThat(
            anyone
                .send("/api/v1/conversations", "POST", body, "application/json", skewed)
                .errorCode())
        .isEqualTo("timestamp_skewed");

    Map<String, String> wrongPath =
        signed(keyId, signingKey, "POST", "/api/v1/other", now, "nonce-0000000004", body);
    assertThat(
            anyone
                .send("/api/v1/conversations", "POST", body, "application/json", wrongPath)
                .errorCode())
        .isEqualTo("signature_invalid");

    // A key is not a bearer token on the chat API, only on the OpenAI-compatible routes.
    ApiClient keyBearer = bearer(key);
    assertThat(keyBearer.get("/api/v1/conversations").errorCode()).isEqualTo("signature_required");
    assertThat(keyBearer.get("/v1/models").status()).isEqualTo(200);

    assertThat(owner.delete("/api/v1/api-keys/" + keyId).status()).isEqualTo(204);
    assertThat(keyBearer.get("/v1/models").errorCode()).isEqualTo("invalid_api_key");
    Map<String, String> revoked =
        signed(keyId, signingKey, "POST", "/api/v1/conversations", now, "nonce-0000000005", body);
    assertThat(
            anyone
                .send("/api/v1/conversations", "POST", body, "application/json", revoked)
                .errorCode())
        .isEqualTo("invalid_api_key");
  }

  @Test
  void anonymousUsersCannotMakeApiKeys() {
    ApiClient.Reply reply = new ApiClient(port).post("/api/v1/api-keys", "{\"name\":\"x\"}");
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.errorCode()).isEqualTo("account_required");
  }

  /** The HMAC key a client signs with: SHA-256 of its secret. */
  public static byte[] signingKey(String secret) {
    return ApiKeys.sha256(secret);
  }

  public static Map<String, String> signed(
      String keyId,
      byte[] signingKey,
      String method,
      String path,
      long timestamp,
      String nonce,
      String body) {
    String canonical =
        Authenticator.canonical(
            method,
            path,
            Long.toString(timestamp),
            nonce,
            body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return Map.of(
        Authenticator.KEY_ID,
        keyId,
        Authenticator.TIMESTAMP,
        Long.toString(timestamp),
        Authenticator.NONCE,
        nonce,
        Authenticator.SIGNATURE,
        HexFormat.of().formatHex(Authenticator.hmac(signingKey, canonical)));
  }

  @Test
  void browsersStreamWithASubprotocolTokenOrATicket() throws Exception {
    ApiClient api = new ApiClient(port);
    String conversation = api.post("/api/v1/conversations", "{}").body().get("id").asString();

    StreamClients.Ws ws =
        new StreamClients.Ws(
            port,
            "/ws/chat/" + conversation,
            Map.of("Sec-WebSocket-Protocol", "grizz.v1, bearer." + api.token()));
    assertThat(ws.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
    ws.sendJson(Map.of("type", "ping"));
    assertThat(ws.next().get("type").asString()).isEqualTo("pong");
    ws.closeBlocking();

    StreamClients.Ws anonymous = new StreamClients.Ws(port, "/ws/chat/" + conversation, Map.of());
    assertThat(anonymous.connectBlocking(10, TimeUnit.SECONDS)).isFalse();

    String ticket = api.post("/api/v1/stream-tickets", "").body().get("ticket").asString();
    ApiClient.Reply events =
        ApiClient.unauthenticated(port)
            .get("/api/v1/conversations/" + conversation + "/events?wait=0s&ticket=" + ticket);
    assertThat(events.status()).isEqualTo(200);
    // A ticket opens stream URLs only.
    assertThat(
            ApiClient.unauthenticated(port)
                .get("/api/v1/conversations/" + conversation + "?ticket=" + ticket)
                .status())
        .isEqualTo(401);
    assertThat(bearer(ticket).get("/api/v1/conversations").status()).isEqualTo(401);
  }
}
