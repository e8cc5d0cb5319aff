package dev.grizz.engine.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grizz.engine.ApiClient;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.RawHttp;
import dev.grizz.engine.RouteTable;
import dev.grizz.engine.StreamClients;
import java.net.URLEncoder;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile input against every route of the engine's own route table, as its owner (an admin on
 * admin routes): malformed JSON, each field of a valid body replaced by a wrong type, NUL, huge or
 * extreme values, invalid UTF-8, odd content types, bad query values and cursors, unknown methods
 * and protocol versions, oversized chunked bodies; then every WebSocket frame type with wrong
 * fields. Every answer must be a 4xx or better, in JSON, with the security headers, in time; and
 * the engine must still answer a chat afterwards.
 */
@EngineIT
class FuzzIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A valid body per route, whose fields are replaced one at a time. Others get {@code {}}. */
  private static final Map<String, String> BODIES =
      Map.ofEntries(
          Map.entry(
              "POST /api/v1/sessions", "{\"email\":\"x@example.com\",\"password\":\"wrong pass\"}"),
          Map.entry("POST /api/v1/sessions/refresh", "{\"refresh_token\":\"x\"}"),
          Map.entry(
              "POST /api/v1/accounts",
              "{\"email\":\"fuzz@example.com\",\"password\":\"a good password\",\"display_name\":\"F\"}"),
          Map.entry(
              "POST /api/v1/conversations",
              "{\"title\":\"t\",\"message\":\"hi\",\"model\":\"demo\"}"),
          Map.entry("PATCH /api/v1/conversations/{id}", "{\"title\":\"t\"}"),
          Map.entry(
              "POST /api/v1/conversations/{id}/messages",
              "{\"content\":\"hi\",\"model\":\"demo\",\"client_msg_id\":\"c-1\"}"),
          Map.entry(
              "PUT /api/v1/conversations/{id}/steps/{stepId}/feedback",
              "{\"rating\":\"down\",\"comment\":\"c\"}"),
          Map.entry(
              "POST /api/v1/api-keys",
              "{\"name\":\"k\",\"messages_per_minute\":5,\"daily_cents\":1,\"monthly_cents\":2,\"tokens_per_minute\":3}"),
          Map.entry(
              "PUT /api/v1/api-keys/{id}/budget",
              "{\"daily_cents\":1,\"monthly_cents\":2,\"tokens_per_minute\":3}"),
          Map.entry(
              "POST /api/v1/admin/violations/{id}/review",
              "{\"action\":\"dismiss\",\"note\":\"n\"}"),
          Map.entry(
              "POST /v1/chat/completions",
              "{\"model\":\"demo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5}"));

  /** Values that replace a field: wrong types, extremes, control characters. */
  private static final List<String> BAD_VALUES =
      List.of(
          "null",
          "true",
          "-1",
          "0",
          "1e400",
          "-9223372036854775809",
          "9223372036854775807",
          "123456789012345678901234567890",
          "\"\"",
          "\"nul\\u0000byte\"",
          "\"\\ud800\"",
          "\"" + "x".repeat(40_000) + "\"",
          "\"+999999999-12-31T23:59:59Z\"",
          "[]",
          "[1,[2,[3]]]",
          "{}",
          "{\"a\":{\"b\":\"c\"}}");

  private static final List<String> MALFORMED =
      List.of(
          "",
          "{",
          "}",
          "[",
          "\"x\"",
          "null",
          "1",
          "{\"a\":}",
          "{'a':1}",
          "{\"a\":1,}",
          "\u0000",
          "{}{}");

  /** Values for each query parameter. */
  private static final List<String> BAD_QUERY =
      List.of(
          "",
          "%",
          "%zz",
          "%00",
          "%C3%28",
          "-1",
          "0",
          "99999999999999999999",
          "9223372036854775807-9223372036854775807",
          "18446744073709551615-0",
          "0-0",
          "-",
          "+999999999-12-31",
          "-999999999-01-01",
          "+999999999-12-31T23:59:59Z",
          "not-a-uuid",
          "true",
          URLEncoder.encode("x".repeat(5000), StandardCharsets.UTF_8));

  @LocalServerPort int port;
  @Autowired ApplicationContext context;
  @Autowired Accounts accounts;

  private final List<String> failures = new ArrayList<>();
  private int cases;

  @Test
  void noInputMakesTheEngineFailHangOrAnswerWithoutItsHeaders() throws Exception {
    RawHttp http = new RawHttp(port, 20_000);
    String admin = ApiClient.admin(port, accounts).token();
    List<RouteTable.Route> routes = new ArrayList<>(RouteTable.of(context));
    // Destructive routes last, so the others run on live resources.
    routes.sort(
        (a, b) -> Boolean.compare(a.method().equals("DELETE"), b.method().equals("DELETE")));
    RouteFixture owner = RouteFixture.create(port);
    for (RouteTable.Route route : routes) {
      if (route.pattern().startsWith("/ws/")) {
        continue; // the socket's frames are fuzzed below
      }
      String token = RouteRules.isAdmin(route.pattern()) ? admin : owner.token();
      String path = owner.path(route.pattern());
      fuzzBody(http, route, path, token);
      fuzzQuery(http, route, path, token);
      fuzzHeaders(http, route, path, token);
    }
    fuzzProtocol(http, owner.token());
    fuzzSocket(RouteFixture.create(port));

    ApiClient after = new ApiClient(port);
    String conversation =
        after
            .post("/api/v1/conversations", "{\"message\":\"still there?\"}")
            .body()
            .get("id")
            .asString();
    after.awaitAnswered(conversation);
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(failures).as("answers that broke the rules, of " + cases).isEmpty();
    soft.assertThat(cases).as("cases run").isGreaterThan(1500);
    soft.assertAll();
  }

  private void fuzzBody(RawHttp http, RouteTable.Route route, String path, String token) {
    if (route.method().equals("GET") || route.method().equals("DELETE")) {
      return;
    }
    String valid = BODIES.getOrDefault(route.key(), "{}");
    for (String malformed : MALFORMED) {
      check(
          route,
          "body " + quote(malformed),
          send(
              http,
              route.method(),
              path,
              token,
              "application/json",
              malformed.getBytes(StandardCharsets.UTF_8)));
    }
    byte[] invalidUtf8 =
        valid
            .replaceFirst("\"([^\"]*)\"\\s*}$", "\"\u00ff\"}")
            .getBytes(StandardCharsets.ISO_8859_1);
    check(
        route,
        "invalid UTF-8",
        send(http, route.method(), path, token, "application/json", invalidUtf8));
    ObjectNode template = (ObjectNode) JSON.readTree(valid);
    List<String> fields = new ArrayList<>(template.propertyNames());
    fields.add("unknown_field");
    for (String field : fields) {
      for (String bad : BAD_VALUES) {
        ObjectNode body = template.deepCopy();
        body.set(field, JSON.readTree(bad));
        check(
            route,
            field + "=" + quote(bad),
            send(
                http,
                route.method(),
                path,
                token,
                "application/json",
                JSON.writeValueAsBytes(body)));
      }
    }
    if (route.key().equals("POST /v1/chat/completions")) {
      for (String bad : BAD_VALUES) {
        String body =
            "{\"model\":\"demo\",\"messages\":[{\"role\":" + bad + ",\"content\":" + bad + "}]}";
        check(
            route,
            "message=" + quote(bad),
            send(
                http,
                route.method(),
                path,
                token,
                "application/json",
                body.getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  private void fuzzQuery(RawHttp http, RouteTable.Route route, String path, String token) {
    List<String> names = new ArrayList<>(route.queryParams());
    names.add("unknown");
    for (String name : names) {
      for (String value : BAD_QUERY) {
        String target = path + "?" + name + "=" + value;
        byte[] body =
            route.method().equals("GET") || route.method().equals("DELETE")
                ? null
                : BODIES.getOrDefault(route.key(), "{}").getBytes(StandardCharsets.UTF_8);
        check(
            route,
            "query " + name + "=" + quote(value),
            send(http, route.method(), target, token, "application/json", body));
      }
    }
  }

  private void fuzzHeaders(RawHttp http, RouteTable.Route route, String path, String token) {
    byte[] body =
        route.method().equals("GET") || route.method().equals("DELETE")
            ? null
            : BODIES.getOrDefault(route.key(), "{}").getBytes(StandardCharsets.UTF_8);
    for (String type :
        List.of(
            "*/*",
            "text/plain",
            "application/json; charset=bogus",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            ";;")) {
      check(route, "Content-Type " + type, send(http, route.method(), path, token, type, body));
    }
    for (String accept :
        List.of("*/*", "text/html", "text/event-stream", "application/xml", ";;;")) {
      Map<String, String> headers = auth(token);
      headers.put("Accept", accept);
      headers.put("Content-Type", "application/json");
      check(route, "Accept " + accept, http.send(route.method(), path, headers, body));
    }
    for (String id :
        List.of("garbage", "9223372036854775807-9223372036854775807", "-1-1", "\u00e9")) {
      Map<String, String> headers = auth(token);
      headers.put("Last-Event-ID", id);
      check(route, "Last-Event-ID " + id, http.send(route.method(), path, headers, body));
    }
    for (String timestamp :
        List.of("9223372036854775807", "-9223372036854775808", "99999999999999999999", "x", "")) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("X-Grizz-Key-Id", java.util.UUID.randomUUID().toString());
      headers.put("X-Grizz-Timestamp", timestamp);
      headers.put("X-Grizz-Nonce", "n");
      headers.put("X-Grizz-Signature", "00");
      headers.put("Content-Type", "application/json");
      RawHttp.Response response = http.send(route.method(), path, headers, body);
      check(route, "X-Grizz-Timestamp " + timestamp, response);
      if (RouteRules.need(route.method(), route.pattern()) != RouteRules.Need.NONE) {
        expect(route, "X-Grizz-Timestamp " + timestamp, response, 401);
      }
    }
    for (String authorization :
        List.of(
            "Bearer ",
            "Bearer \u0000",
            "Basic eDp5",
            "Bearer " + "a".repeat(10_000),
            "Bearer a.b.c")) {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Authorization", authorization);
      headers.put("Content-Type", "application/json");
      check(
          route,
          "Authorization " + quote(authorization),
          http.send(route.method(), path, headers, body));
    }
    if (body != null) {
      Map<String, String> headers = auth(token);
      headers.put("Content-Type", "application/json");
      RawHttp.Response huge =
          http.sendChunked(route.method(), path, headers, 3L * 1024 * 1024, (byte) ' ');
      check(route, "3 MB chunked body", huge);
    }
  }

  private void fuzzProtocol(RawHttp http, String token) {
    RouteTable.Route any = new RouteTable.Route("GET", "/api/v1/me", null, List.of());
    for (String method :
        List.of("FOO", "TRACE", "PROPFIND", "CONNECT", "PATCH", "HEAD", "OPTIONS")) {
      check(any, "method " + method, http.send(method, "/api/v1/me", auth(token)));
      check(any, "method " + method + " on /", http.send(method, "/", Map.of()));
    }
    for (String line :
        List.of(
            "GET /api/v1/me HTTP/9.9",
            "GET /api/v1/me HTTP/1.2",
            "GET /api/v1/me",
            "GET api/v1/me HTTP/1.1",
            "GET /api/v1/me?%zz HTTP/1.1",
            "GET /api/v1/m\u00e9 HTTP/1.1")) {
      byte[] request =
          (line + "\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " + token + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1);
      cases++;
      try {
        RawHttp.Response response = http.exchange(request, line);
        if (response.status() >= 500) {
          failures.add(line + " -> " + response);
        }
      } catch (RawHttp.Hang e) {
        failures.add(line + " -> hang");
      } catch (RuntimeException closed) {
        // The server closed without an answer: acceptable for a request line it cannot parse.
      }
    }
  }

  private void fuzzSocket(RouteFixture owner) throws Exception {
    ApiClient api = ApiClient.withToken(port, owner.token());
    StreamClients.Ws ws = StreamClients.Ws.connect(api, "/ws/chat/" + owner.conversationId());
    try {
      Map<String, List<String>> frames =
          Map.of(
              "user_message", List.of("content", "client_msg_id", "model"),
              "resume", List.of("last_event_id"),
              "cancel", List.of("step_id"),
              "tool.decision", List.of("step_id", "approve"),
              "ping", List.of("id"));
      List<String> raw =
          new ArrayList<>(
              List.of(
                  "",
                  "{",
                  "[]",
                  "null",
                  "\"x\"",
                  "{\"type\":1}",
                  "{\"type\":\"nope\"}",
                  "{\"type\":null}",
                  "{}",
                  "\u0000"));
      for (var frame : frames.entrySet()) {
        for (String field : frame.getValue()) {
          for (String bad : BAD_VALUES) {
            if (frame.getKey().equals("user_message")
                && field.equals("content")
                && bad.startsWith("\"")
                && bad.length() < 100) {
              continue; // a valid message: it would be answered, not refused
            }
            raw.add("{\"type\":\"" + frame.getKey() + "\",\"" + field + "\":" + bad + "}");
          }
        }
      }
      raw.add(
          "{\"type\":\"resume\",\"last_event_id\":\"9223372036854775807-9223372036854775807\"}");
      for (String text : raw) {
        cases++;
        ws.send(text);
        JsonNode answer = ws.frames.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        if (!ws.isOpen()) {
          failures.add("WS " + quote(text) + " closed the socket with " + ws.closeCode);
          ws = StreamClients.Ws.connect(api, "/ws/chat/" + owner.conversationId());
          continue;
        }
        if (answer == null) {
          failures.add("WS " + quote(text) + " got no answer");
        }
        ws.frames.clear();
      }
      ws.sendJson(Map.of("type", "ping"));
      JsonNode pong = ws.frames.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(pong).as("the socket still answers").isNotNull();
    } finally {
      ws.closeBlocking();
    }
  }

  private RawHttp.Response send(
      RawHttp http,
      String method,
      String target,
      @Nullable String token,
      String type,
      byte @Nullable [] body) {
    Map<String, String> headers = auth(token);
    headers.put("Content-Type", type);
    headers.put("Accept", "application/json");
    return http.send(method, target, headers, body);
  }

  private static Map<String, String> auth(@Nullable String token) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    return headers;
  }

  private void expect(RouteTable.Route route, String what, RawHttp.Response response, int status) {
    if (response.status() != status) {
      failures.add(route.key() + " with " + what + ": expected " + status + ", got " + response);
    }
  }

  private void check(RouteTable.Route route, String what, RawHttp.Response response) {
    cases++;
    String where = route.key() + " with " + what + " -> ";
    if (response.status() >= 500) {
      failures.add(where + response);
    }
    String type = String.valueOf(response.header("Content-Type"));
    boolean json = type.startsWith("application/json") || type.contains("+json");
    // The API's own description is served as YAML too, on a 200; an error there is JSON like any.
    boolean document =
        route.key().equals("GET /openapi.yaml")
            && response.status() == 200
            && type.startsWith("application/yaml");
    // A file download is the file's bytes, on a 200; an error there is JSON like any.
    boolean file =
        route.key().equals("GET /api/v1/files/{id}")
            && response.status() == 200
            && (type.startsWith("application/octet-stream") || type.startsWith("image/"));
    // A conversation exported as Markdown is a text/markdown file, on a 200.
    boolean export =
        route.key().equals("GET /api/v1/conversations/{id}/export")
            && response.status() == 200
            && type.startsWith("text/markdown");
    if (response.body().length > 0
        && !json
        && !document
        && !file
        && !export
        && !type.startsWith("text/event-stream")) {
      failures.add(where + "a " + type + " body: " + response);
    }
    if (!"nosniff".equals(response.header("X-Content-Type-Options"))) {
      failures.add(where + "no security headers: " + response.headers());
    }
  }

  private static String quote(String value) {
    String shown =
        value.length() > 40 ? value.substring(0, 40) + "…(" + value.length() + ")" : value;
    return "'" + shown.replace("\u0000", "\\0") + "'";
  }
}
