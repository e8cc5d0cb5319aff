package dev.grizz.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grizz.engine.EngineIT;
import dev.grizz.engine.RawHttp;
import dev.grizz.engine.RouteTable;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI document the engine serves: open to anyone, valid OpenAPI 3.1, the same as YAML and
 * JSON, and in step with the engine: every route the handler mappings expose is documented with its
 * method, every documented route exists, who may call it matches the route rules, and each API's
 * errors use that API's error schema, as the engine's real errors do. {@link OpenApiSchemasTests}
 * checks the shapes against the records.
 */
@EngineIT
class OpenApiDocumentIT {

  /**
   * Routes the document describes before the engine serves them (none since the Responses and
   * Messages APIs were merged). A route here that the engine does serve fails the test, as a
   * reminder to take it out.
   */
  static final Set<String> PENDING = Set.of();

  /** Routes the engine serves that are no part of its API: the servlet container's error page. */
  static final Set<String> UNDOCUMENTED = Set.of("GET /error", "POST /error");

  @LocalServerPort int port;
  @Autowired ApplicationContext context;

  private RawHttp http;
  private OpenApiDocument document;

  @BeforeEach
  void read() throws Exception {
    http = new RawHttp(port);
    RawHttp.Response yaml = http.send("GET", "/openapi.yaml", Map.of());
    assertThat(yaml.status()).as("GET /openapi.yaml without credentials").isEqualTo(200);
    document = new OpenApiDocument(OpenApiDocument.YAML.readTree(yaml.body()));
  }

  @Test
  void isServedToAnyoneAsValidOpenApi31() {
    RawHttp.Response yaml = http.send("GET", "/openapi.yaml", Map.of("Accept", "text/html"));
    assertThat(yaml.status()).isEqualTo(200);
    assertThat(yaml.header("Content-Type")).startsWith("application/yaml");

    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml.text(), null, options);
    assertThat(parsed.getMessages()).as("swagger-parser's findings").isEmpty();
    assertThat(parsed.getOpenAPI()).isNotNull();
    assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.1.");
    assertThat(parsed.getOpenAPI().getSpecVersion()).hasToString("V31");
  }

  @Test
  void theJsonFormIsTheSameDocument() throws Exception {
    RawHttp.Response json = http.send("GET", "/openapi.json", Map.of("Accept", "*/*"));
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.header("Content-Type")).startsWith("application/json");
    assertThat(OpenApiDocument.JSON.readTree(json.body())).isEqualTo(document.root);
  }

  @Test
  void documentsEveryRouteOfTheEngineAndNoOther() {
    List<RouteTable.Route> routes = RouteTable.of(context);
    List<OpenApiDocument.Operation> operations = document.operations();

    Set<String> undocumented = new TreeSet<>();
    for (RouteTable.Route route : routes) {
      boolean documented =
          operations.stream()
              .anyMatch(
                  op ->
                      op.method().equals(route.method())
                          && OpenApiDocument.covers(route.pattern(), op.path()));
      if (!documented && !UNDOCUMENTED.contains(route.key())) {
        undocumented.add(route.key());
      }
    }
    Set<String> unserved = new TreeSet<>();
    Set<String> servedButPending = new TreeSet<>();
    for (OpenApiDocument.Operation op : operations) {
      boolean served =
          routes.stream()
              .anyMatch(
                  route ->
                      route.method().equals(op.method())
                          && OpenApiDocument.covers(route.pattern(), op.path()));
      if (!served && !PENDING.contains(op.key())) {
        unserved.add(op.key());
      }
      if (served && PENDING.contains(op.key())) {
        servedButPending.add(op.key());
      }
    }
    Set<String> pendingNotDocumented = new TreeSet<>(PENDING);
    operations.forEach(op -> pendingNotDocumented.remove(op.key()));

    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(undocumented).as("engine routes missing from openapi.yaml").isEmpty();
    soft.assertThat(unserved).as("openapi.yaml routes the engine does not serve").isEmpty();
    soft.assertThat(servedButPending).as("served now: remove them from PENDING").isEmpty();
    soft.assertThat(pendingNotDocumented).as("PENDING routes not in the document").isEmpty();
    soft.assertAll();
  }

  @Test
  void documentsTheQueryParametersAndBodyEachHandlerTakes() {
    SoftAssertions soft = new SoftAssertions();
    for (RouteTable.Route route : RouteTable.of(context)) {
      for (OpenApiDocument.Operation op : document.operations()) {
        if (!op.method().equals(route.method())
            || !OpenApiDocument.shape(route.pattern()).equals(OpenApiDocument.shape(op.path()))) {
          continue;
        }
        Set<String> documented = document.queryParameters(op.path(), op.node());
        Set<String> taken = new TreeSet<>(route.queryParams());
        if (route.pattern().startsWith("/ws/")) {
          // The socket's handler reads its query itself; RouteTable sees no parameters there.
          soft.assertThat(documented).as(op.key() + " query parameters").containsAll(taken);
        } else {
          soft.assertThat(documented).as(op.key() + " query parameters").isEqualTo(taken);
        }
        if (!route.pattern().startsWith("/actuator/")) {
          // Actuator's one generic handler takes an optional body that no read operation uses.
          soft.assertThat(op.node().has("requestBody"))
              .as(op.key() + " has a request body")
              .isEqualTo(route.bodyType() != null);
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void documentsTheSuccessStatusOfEachHandlerThatFixesOne() {
    SoftAssertions soft = new SoftAssertions();
    List<String> checked = new java.util.ArrayList<>();
    context
        .getBeansOfType(RequestMappingHandlerMapping.class)
        .values()
        .forEach(
            mapping ->
                mapping
                    .getHandlerMethods()
                    .forEach(
                        (info, handler) -> {
                          Integer status = fixedStatus(handler);
                          if (status == null) {
                            return;
                          }
                          for (String pattern : info.getPatternValues()) {
                            for (var method : info.getMethodsCondition().getMethods()) {
                              for (OpenApiDocument.Operation op : document.operations()) {
                                if (op.method().equals(method.name())
                                    && OpenApiDocument.shape(pattern)
                                        .equals(OpenApiDocument.shape(op.path()))) {
                                  Set<String> success = new TreeSet<>();
                                  op.node()
                                      .path("responses")
                                      .properties()
                                      .forEach(
                                          r -> {
                                            if (r.getKey().startsWith("2")) {
                                              success.add(r.getKey());
                                            }
                                          });
                                  soft.assertThat(success)
                                      .as(op.key() + " success status (" + handler + ")")
                                      .containsExactly(status.toString());
                                  checked.add(op.key());
                                }
                              }
                            }
                          }
                        }));
    soft.assertThat(checked).as("operations checked").hasSizeGreaterThan(20);
    soft.assertAll();
  }

  /**
   * The status a handler answers with when it succeeds, when its signature fixes one: its
   * {@code @ResponseStatus}, else 200. Null for handlers that choose (a ResponseEntity, or writing
   * the response themselves).
   */
  private static @Nullable Integer fixedStatus(HandlerMethod handler) {
    Class<?> returns = handler.getMethod().getReturnType();
    if (ResponseEntity.class.isAssignableFrom(returns)
        || !handler
            .getBeanType()
            .getPackageName()
            .equals(OpenApiController.class.getPackageName())) {
      return null;
    }
    ResponseStatus status = handler.getMethodAnnotation(ResponseStatus.class);
    return status != null ? status.code().value() : 200;
  }

  @Test
  void anonymousAccessIsDocumentedExactlyWhereTheRouteRulesAllowIt() throws Exception {
    Class<?> rules = Class.forName("dev.grizz.engine.security.RouteRules");
    Method need = rules.getDeclaredMethod("need", String.class, String.class);
    need.setAccessible(true);
    JsonNode global = document.root.path("security");
    SoftAssertions soft = new SoftAssertions();
    for (OpenApiDocument.Operation op : document.operations()) {
      JsonNode security = op.node().has("security") ? op.node().get("security") : global;
      boolean documentedOpen = false;
      for (JsonNode requirement : security) {
        documentedOpen |= requirement.isEmpty();
      }
      boolean open = need.invoke(null, op.method(), op.path()).toString().equals("NONE");
      soft.assertThat(documentedOpen)
          .as(op.key() + " may be called without credentials (per RouteRules: " + open + ")")
          .isEqualTo(open);
    }
    soft.assertAll();
  }

  @Test
  void eachApiDocumentsItsErrorsInItsOwnShape() {
    SoftAssertions soft = new SoftAssertions();
    for (OpenApiDocument.Operation op : document.operations()) {
      if (op.path().startsWith("/actuator/")) {
        continue; // a 503 there is the health report itself
      }
      String expected = "#/components/schemas/" + OpenApiDocument.errorSchema(op.path());
      op.node()
          .path("responses")
          .properties()
          .forEach(
              response -> {
                String status = response.getKey();
                if (!status.startsWith("4")
                    && !status.startsWith("5")
                    && !status.equals("default")) {
                  return;
                }
                JsonNode content = document.resolve(response.getValue()).path("content");
                soft.assertThat(content.properties())
                    .as(op.key() + " " + status + " has a body")
                    .isNotEmpty();
                content
                    .properties()
                    .forEach(
                        media ->
                            soft.assertThat(media.getValue().path("schema").path("$ref").asText())
                                .as(op.key() + " " + status + " " + media.getKey())
                                .isEqualTo(expected));
              });
    }
    soft.assertAll();
  }

  @Test
  void theEngineRealErrorsFitTheDocumentedErrorSchemas() throws Exception {
    SoftAssertions soft = new SoftAssertions();
    List<String[]> calls =
        List.of(
            new String[] {"GET", "/api/v1/conversations"},
            new String[] {"GET", "/api/v1/nothing-here"},
            new String[] {"GET", "/v1/models"},
            new String[] {"GET", "/v1/nothing-here"},
            new String[] {"POST", "/v1/chat/completions"},
            new String[] {"POST", "/v1/messages"},
            new String[] {"POST", "/v1/responses"});
    Set<String> served = new TreeSet<>();
    RouteTable.of(context).forEach(route -> served.add(route.key()));
    for (String[] call : calls) {
      String key = call[0] + " " + call[1];
      if (PENDING.contains(key) && !served.contains(key)) {
        continue; // not in the engine yet: its 404 would be the OpenAI-shaped one of /v1
      }
      RawHttp.Response response =
          http.send(call[0], call[1], Map.of("Content-Type", "application/json"), "{}".getBytes());
      soft.assertThat(response.status()).as(key + " without credentials").isIn(401, 404);
      JsonNode body = OpenApiDocument.JSON.readTree(response.body());
      String schema = OpenApiDocument.errorSchema(call[1]);
      soft.assertThat(document.violations(body, document.schema(schema), "body"))
          .as(key + " -> " + response + " against " + schema)
          .isEmpty();
    }
    soft.assertAll();
  }
}
