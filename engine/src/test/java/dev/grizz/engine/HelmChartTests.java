package dev.grizz.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Helm chart deploy/helm/grizz, rendered and linted by Helm itself (helm-java runs Helm 3's Go
 * library in this JVM: {@code helm lint --strict}, {@code helm template}) with its default values
 * and the variants its values switch on, and every object it renders checked against a schema:
 *
 * <ul>
 *   <li>Deployment, Service, ConfigMap, HorizontalPodAutoscaler, PodDisruptionBudget: deserialized
 *       into fabric8's Kubernetes model ({@code io.fabric8:kubernetes-model-*}, generated from the
 *       Kubernetes OpenAPI), strictly: an unknown field anywhere (the model's catch-all for unknown
 *       fields is switched off) or a scalar of the wrong type fails. kubeconform and a cluster to
 *       validate against are not to be had here; this is the schema check that is.
 *   <li>KEDA's ScaledObject and TriggerAuthentication: the openAPIV3Schema of KEDA v2.20.2's CRDs
 *       (src/test/resources/keda, how they were made in its README), made strict the same way.
 * </ul>
 *
 * Then what a schema does not say: every scaler targets a rendered Deployment and no Deployment has
 * two, selectors select the pods they mean, roles, drain times against grace periods, probes,
 * non-root pods, scrape annotations, the job stream KEDA watches is the one the pods use, the
 * dashboard's metrics are ones the engine registers. deploy/k8s holds the chart rendered with the
 * default values; {@code -Dgrizz.k8s.write=true} rewrites it.
 */
class HelmChartTests {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path CHART = ROOT.resolve("deploy/helm/grizz");
  private static final Path K8S = ROOT.resolve("deploy/k8s");
  private static final String KUBE_VERSION = "1.32.0";
  private static final String HEADER =
      """
      # Generated from the Helm chart deploy/helm/grizz with its default values (release grizz) by
      # HelmChartTests; do not edit: change the chart and run
      #   mvn -pl engine test -Dtest=HelmChartTests -Dgrizz.k8s.write=true -Dgrizz.web.skip=true
      """;

  /** Values of the variants rendered besides the defaults. */
  private static final Map<String, Map<String, String>> VARIANTS =
      Map.of(
          "defaults",
          Map.of(),
          "all-in-one",
          Map.of("mode", "all"),
          "streams-open and lag with a Redis password",
          Map.of(
              "gateway.autoscaling.streamsOpen.enabled", "true",
              "worker.autoscaling.keda.redis.mode", "lag",
              "worker.autoscaling.keda.redis.passwordSecret.name", "redis-auth",
              "worker.autoscaling.keda.redis.passwordSecret.key", "password",
              "config.redisUrl", "rediss://redis.example:6380",
              "config.jobStream", "grizz:jobs:eu",
              "metrics.podMonitor.enabled", "true",
              "metrics.podMonitor.tokenSecret.name", "grizz-metrics"),
          "pending, no fallback, no dashboard",
          Map.of(
              "worker.autoscaling.keda.redis.mode", "pending",
              "worker.autoscaling.keda.fallbackReplicas", "0",
              "grafanaDashboard.enabled", "false",
              "gateway.pdb.enabled", "false"),
          "without Redis",
          Map.of("config.redisUrl", ""),
          "without KEDA",
          Map.of(
              "worker.autoscaling.keda.enabled", "false",
              "gateway.autoscaling.enabled", "false",
              "worker.replicas", "3"));

  private static Helm helm;
  private static final Map<String, List<Rendered>> renders = new LinkedHashMap<>();

  /** One rendered object and the template it came from. */
  private record Rendered(String source, Map<String, Object> object, String text) {
    String kind() {
      return (String) object.get("kind");
    }

    String name() {
      return (String) map(object.get("metadata")).get("name");
    }
  }

  @BeforeAll
  static void render() {
    helm = new Helm(CHART);
    for (Map.Entry<String, Map<String, String>> variant : VARIANTS.entrySet()) {
      renders.put(variant.getKey(), template(variant.getValue()));
    }
  }

  private static List<Rendered> template(Map<String, String> values) {
    TemplateCommand template = helm.template().withName("grizz").withKubeVersion(KUBE_VERSION);
    values.forEach(template::set);
    return split(template.call());
  }

  /** The documents of helm template's output, each with its "# Source:" template. */
  private static List<Rendered> split(String output) {
    List<Rendered> objects = new ArrayList<>();
    for (String document : output.split("(?m)^---\\s*$")) {
      Matcher source = Pattern.compile("(?m)^# Source: grizz/templates/(\\S+)$").matcher(document);
      if (!source.find()) {
        assertThat(document.strip()).as("a document without a source").isEmpty();
        continue;
      }
      String text = document.substring(source.end()).strip() + "\n";
      Object object = new Yaml(new LoaderOptions()).load(text);
      if (object != null) {
        objects.add(new Rendered(source.group(1), map(object), text));
      }
    }
    return objects;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object node) {
    return node == null ? List.of() : (List<Object>) node;
  }

  private static Object at(Object node, String... path) {
    Object here = node;
    for (String key : path) {
      if (here == null) {
        return null;
      }
      here = map(here).get(key);
    }
    return here;
  }

  private static List<Rendered> ofKind(List<Rendered> objects, String kind) {
    return objects.stream().filter(o -> o.kind().equals(kind)).toList();
  }

  private static Rendered named(List<Rendered> objects, String kind, String name) {
    return ofKind(objects, kind).stream()
        .filter(o -> o.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  @Test
  void lintsStrictly() {
    LintResult lint = helm.lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    assertThat(lint.getMessages()).allMatch(m -> m.startsWith("[INFO]"), "only infos");
  }

  @Test
  void theValuesSchemaRefusesTypos() {
    assertThat(attemptTemplate(Map.of("mode", "spit"))).contains("/mode");
    assertThat(attemptTemplate(Map.of("worker.autoscaling.keda.redis.mode", "lenght")))
        .contains("/worker/autoscaling/keda/redis/mode");
    assertThat(attemptTemplate(Map.of("gateway.autoscalling.enabled", "false")))
        .contains("autoscalling");
    assertThat(attemptTemplate(Map.of("gateway.drainDelay", "5"))).contains("/gateway/drainDelay");
  }

  private static String attemptTemplate(Map<String, String> values) {
    try {
      template(values);
      return "rendered";
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
  }

  // ---- schema ----------------------------------------------------------------------------------

  /** Jackson that refuses what the API server would: unknown fields, wrongly typed scalars. */
  private static final ObjectMapper STRICT =
      com.fasterxml.jackson.databind.json.JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .annotationIntrospector(
              new JacksonAnnotationIntrospector() {
                // fabric8's classes keep unknown fields in an any-setter map; not here.
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                  return Boolean.FALSE;
                }
              })
          .build();

  private static final Map<String, Class<?>> CORE_KINDS =
      Map.of(
          "v1/ConfigMap", ConfigMap.class,
          "v1/Service", Service.class,
          "apps/v1/Deployment", Deployment.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "monitoring.coreos.com/v1/PodMonitor", PodMonitor.class);

  private static final Map<String, String> CRD_SCHEMAS =
      Map.of(
          "keda.sh/v1alpha1/ScaledObject", "/keda/scaledobject.schema.json",
          "keda.sh/v1alpha1/TriggerAuthentication", "/keda/triggerauthentication.schema.json");

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Map<String, Schema> crdSchemas = new LinkedHashMap<>();

  private static Schema crdSchema(String resource) {
    return crdSchemas.computeIfAbsent(
        resource,
        r -> {
          try (InputStream in = HelmChartTests.class.getResourceAsStream(r)) {
            JsonNode schema = JSON.readTree(Objects.requireNonNull(in, r));
            strict(schema);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
                .getSchema(schema);
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /**
   * The API server prunes fields a structural schema does not name (and kubectl warns); here they
   * fail: every object schema with properties and no say on others gets additionalProperties false.
   */
  private static void strict(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.has("properties")
          && !object.has("additionalProperties")
          && !object.has("x-kubernetes-preserve-unknown-fields")) {
        object.put("additionalProperties", false);
      }
      object.values().forEach(HelmChartTests::strict);
    } else if (node != null && node.isArray()) {
      node.values().forEach(HelmChartTests::strict);
    }
  }

  @Test
  void everyRenderedObjectPassesItsSchema() {
    Set<String> checked = new TreeSet<>();
    renders.forEach(
        (variant, objects) -> {
          for (Rendered o : objects) {
            String type = o.object().get("apiVersion") + "/" + o.kind();
            String where = variant + ": " + o.source() + " " + type + " " + o.name();
            Class<?> model = CORE_KINDS.get(type);
            String crd = CRD_SCHEMAS.get(type);
            if (model != null) {
              try {
                STRICT.convertValue(o.object(), model);
              } catch (IllegalArgumentException e) {
                fail(where + " does not match the Kubernetes " + KUBE_VERSION + " model", e);
              }
            } else if (crd != null) {
              List<Error> errors = crdSchema(crd).validate(JSON.valueToTree(o.object()));
              assertThat(errors).as(where).isEmpty();
            } else {
              fail(where + ": a kind this test has no schema for");
            }
            checked.add(type);
          }
        });
    assertThat(ofKind(renders.get("streams-open and lag with a Redis password"), "PodMonitor"))
        .hasSize(1);
    assertThat(checked)
        .as("every kind the chart renders was checked")
        .containsAll(CORE_KINDS.keySet())
        .containsAll(CRD_SCHEMAS.keySet());
  }

  @Test
  void theStrictCheckRefusesWhatTheApiServerWould() {
    Map<String, Object> deployment =
        new Yaml(new LoaderOptions())
            .load(
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replica: 2
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec: {containers: [{name: c, image: i}]}
                """);
    assertThat(attempt(() -> STRICT.convertValue(deployment, Deployment.class)))
        .as("an unknown field")
        .contains("replica");
    map(deployment.get("spec")).remove("replica");
    map(deployment.get("spec")).put("replicas", "2");
    assertThat(attempt(() -> STRICT.convertValue(deployment, Deployment.class)))
        .as("a string for an integer")
        .isNotNull();
    map(deployment.get("spec")).put("replicas", 2);
    assertThat(attempt(() -> STRICT.convertValue(deployment, Deployment.class))).isNull();

    Map<String, Object> scaledObject =
        new Yaml(new LoaderOptions())
            .load(
                """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: x}
                spec:
                  scaleTargetRef: {name: x}
                  triggers: [{type: redis-streams, metadata: {stream: s, streamLength: 5}}]
                """);
    Schema schema = crdSchema(CRD_SCHEMAS.get("keda.sh/v1alpha1/ScaledObject"));
    assertThat(schema.validate(JSON.valueToTree(scaledObject)))
        .as("an integer for a string")
        .isNotEmpty();
    list(at(scaledObject, "spec", "triggers"))
        .set(0, Map.of("type", "redis-streams", "metadata", Map.of("stream", "s")));
    assertThat(schema.validate(JSON.valueToTree(scaledObject))).isEmpty();
    map(scaledObject.get("spec")).put("minReplicas", 1);
    assertThat(schema.validate(JSON.valueToTree(scaledObject))).as("an unknown field").isNotEmpty();
  }

  private static String attempt(Runnable action) {
    try {
      action.run();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  // ---- what a schema does not say
  // ----------------------------------------------------------------

  @Test
  void scalersTargetRenderedDeploymentsOneEach() {
    renders.forEach(
        (variant, objects) -> {
          Set<String> deployments = new HashSet<>();
          ofKind(objects, "Deployment").forEach(d -> deployments.add(d.name()));
          List<String> targets = new ArrayList<>();
          for (Rendered scaler : objects) {
            Object ref =
                switch (scaler.kind()) {
                  case "HorizontalPodAutoscaler", "ScaledObject" ->
                      at(scaler.object(), "spec", "scaleTargetRef");
                  default -> null;
                };
            if (ref != null) {
              assertThat(map(ref).getOrDefault("kind", "Deployment")).isEqualTo("Deployment");
              targets.add((String) map(ref).get("name"));
            }
          }
          assertThat(deployments).as(variant).containsAll(targets);
          assertThat(new HashSet<>(targets))
              .as(variant + ": one scaler a Deployment")
              .hasSameSizeAs(targets);
          for (Rendered d : ofKind(objects, "Deployment")) {
            // A scaled Deployment leaves replicas to its scaler (helm upgrade would reset them).
            assertThat(at(d.object(), "spec", "replicas") == null)
                .as(variant + ": " + d.name() + " has replicas iff it is not scaled")
                .isEqualTo(targets.contains(d.name()));
          }
        });
  }

  @Test
  void selectorsSelectThePodsTheyMean() {
    renders.forEach(
        (variant, objects) -> {
          Map<String, Map<String, Object>> podLabels = new LinkedHashMap<>();
          for (Rendered d : ofKind(objects, "Deployment")) {
            Map<String, Object> labels =
                map(at(d.object(), "spec", "template", "metadata", "labels"));
            assertThat(labels)
                .as(variant + ": " + d.name() + "'s selector matches its pods")
                .containsAllEntriesOf(map(at(d.object(), "spec", "selector", "matchLabels")));
            podLabels.put(d.name(), labels);
          }
          for (Rendered o : objects) {
            Map<String, Object> selector =
                switch (o.kind()) {
                  case "Service" -> map(at(o.object(), "spec", "selector"));
                  case "PodDisruptionBudget", "PodMonitor" ->
                      map(at(o.object(), "spec", "selector", "matchLabels"));
                  default -> null;
                };
            if (selector == null) {
              continue;
            }
            List<String> selected =
                podLabels.entrySet().stream()
                    .filter(e -> e.getValue().entrySet().containsAll(selector.entrySet()))
                    .map(Map.Entry::getKey)
                    .toList();
            List<String> expected =
                switch (o.kind()) {
                  case "Service" -> List.of("grizz-" + component(objects));
                  case "PodMonitor" -> List.copyOf(podLabels.keySet());
                  default -> List.of(o.name());
                };
            assertThat(selected)
                .as(variant + ": " + o.kind() + " " + o.name())
                .containsExactlyElementsOf(expected);
          }
        });
  }

  /** The component clients reach: gateway when split, all otherwise. */
  private static String component(List<Rendered> objects) {
    return ofKind(objects, "Deployment").stream().anyMatch(d -> d.name().endsWith("-gateway"))
        ? "gateway"
        : "all";
  }

  private static Map<String, String> env(Rendered deployment, List<Rendered> objects) {
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, Object> container = container(deployment);
    for (Object from : list(container.get("envFrom"))) {
      Object configMap = map(from).get("configMapRef");
      if (configMap != null) {
        Rendered config = named(objects, "ConfigMap", (String) map(configMap).get("name"));
        map(config.object().get("data")).forEach((k, v) -> env.put(k, (String) v));
      }
    }
    for (Object variable : list(container.get("env"))) {
      env.put((String) map(variable).get("name"), (String) map(variable).get("value"));
    }
    return env;
  }

  private static Map<String, Object> container(Rendered deployment) {
    List<Object> containers =
        list(at(deployment.object(), "spec", "template", "spec", "containers"));
    assertThat(containers).hasSize(1);
    return map(containers.getFirst());
  }

  private static long seconds(String duration) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m)").matcher(duration);
    assertThat(m.matches()).as(duration).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n).toSeconds();
      case "m" -> n * 60;
      default -> n;
    };
  }

  @Test
  void podsHaveTheirRoleDrainTimesProbesAndNoRoot() {
    renders.forEach(
        (variant, objects) -> {
          List<Rendered> deployments = ofKind(objects, "Deployment");
          assertThat(deployments.stream().map(Rendered::name))
              .as(variant)
              .isIn(List.of("grizz-gateway", "grizz-worker"), List.of("grizz-all"));
          for (Rendered d : deployments) {
            String where = variant + ": " + d.name();
            String component = d.name().substring("grizz-".length());
            Map<String, String> env = env(d, objects);
            assertThat(env).as(where).containsEntry("GRIZZ_ROLE", component);
            Map<String, Object> pod = map(at(d.object(), "spec", "template", "spec"));
            long grace = ((Number) pod.get("terminationGracePeriodSeconds")).longValue();
            if (!component.equals("worker")) {
              assertThat(grace)
                  .as(where + ": grace ≥ drain delay + 15 s")
                  .isGreaterThanOrEqualTo(seconds(env.get("GRIZZ_DRAIN_DELAY")) + 15);
            }
            if (!component.equals("gateway")) {
              assertThat(grace)
                  .as(where + ": grace ≥ worker drain + 15 s")
                  .isGreaterThanOrEqualTo(seconds(env.get("GRIZZ_WORKER_DRAIN")) + 15)
                  .isGreaterThanOrEqualTo(75);
            }
            Map<String, Object> container = container(d);
            assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health");
            assertThat(at(container, "readinessProbe", "httpGet", "path"))
                .isEqualTo("/actuator/health/readiness");
            assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/health");
            assertThat(list(container.get("ports")))
                .containsExactly(Map.of("name", "http", "containerPort", 8080));
            assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
            assertThat(((Number) at(pod, "securityContext", "runAsUser")).intValue()).isNotZero();
            assertThat(at(container, "securityContext", "allowPrivilegeEscalation"))
                .isEqualTo(false);
            // The signing keys from a Secret, as a file (rotated without a restart).
            String keysFile = env.get("GRIZZ_SIGNING_KEYS_FILE");
            Map<String, Object> mount = map(list(container.get("volumeMounts")).getFirst());
            assertThat(keysFile).startsWith(mount.get("mountPath") + "/");
            Map<String, Object> volume = map(list(pod.get("volumes")).getFirst());
            assertThat(volume.get("name")).isEqualTo(mount.get("name"));
            assertThat(at(volume, "secret", "secretName")).isEqualTo("grizz-signing-keys");
            assertThat(env).doesNotContainKey("GRIZZ_SIGNING_KEYS");
            // Scraped by Prometheus on the port and path the engine serves its metrics at.
            Map<String, Object> annotations =
                map(at(d.object(), "spec", "template", "metadata", "annotations"));
            assertThat(annotations)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8080")
                .containsEntry("prometheus.io/path", "/actuator/prometheus");
          }
        });
  }

  @Test
  void kedaWatchesTheJobsThePodsUse() {
    renders.forEach(
        (variant, objects) -> {
          List<Rendered> scaledObjects = ofKind(objects, "ScaledObject");
          if (ofKind(objects, "Deployment").stream().noneMatch(d -> d.name().equals("grizz-worker"))
              || variant.equals("without KEDA")) {
            assertThat(scaledObjects).as(variant).isEmpty();
            return;
          }
          assertThat(scaledObjects).as(variant).hasSize(1);
          Rendered worker = named(objects, "Deployment", "grizz-worker");
          Map<String, String> env = env(worker, objects);
          Set<String> types = new TreeSet<>();
          for (Object t : list(at(scaledObjects.getFirst().object(), "spec", "triggers"))) {
            Map<String, Object> trigger = map(t);
            Map<String, Object> metadata = map(trigger.get("metadata"));
            types.add((String) trigger.get("type"));
            switch ((String) trigger.get("type")) {
              case "redis-streams" -> {
                assertThat(metadata).containsEntry("stream", env.get("GRIZZ_JOB_STREAM"));
                assertThat(env.get("GRIZZ_REDIS_URL")).contains("//" + metadata.get("address"));
                if (metadata.containsKey("consumerGroup")) {
                  assertThat(metadata).containsEntry("consumerGroup", "workers");
                }
                // One target, the one of the mode: with several, KEDA picks by its own rules.
                List<String> targets =
                    Stream.of("streamLength", "lagCount", "pendingEntriesCount")
                        .filter(metadata::containsKey)
                        .toList();
                assertThat(targets).as(variant).hasSize(1);
                assertThat(Integer.parseInt((String) metadata.get(targets.getFirst())))
                    .as(variant + ": jobs per worker leave free slots")
                    .isPositive()
                    .isLessThanOrEqualTo(Integer.parseInt(env.get("GRIZZ_WORKERS")));
              }
              case "postgresql" -> {
                assertThat(env.get("GRIZZ_DB_URL"))
                    .isEqualTo(
                        "jdbc:postgresql://%s:%s/%s"
                            .formatted(
                                metadata.get("host"),
                                metadata.get("port"),
                                metadata.get("dbName")));
                assertThat(metadata).containsEntry("userName", env.get("GRIZZ_DB_USER"));
                assertThat((String) metadata.get("query")).containsPattern("\\bfrom jobs\\b");
                assertThat(Integer.parseInt((String) metadata.get("targetQueryValue")))
                    .isPositive()
                    .isLessThanOrEqualTo(Integer.parseInt(env.get("GRIZZ_WORKERS")));
              }
              default -> fail(variant + ": trigger " + trigger.get("type"));
            }
            Object auth = trigger.get("authenticationRef");
            if (auth != null) {
              Rendered ta = named(objects, "TriggerAuthentication", (String) map(auth).get("name"));
              assertThat(list(at(ta.object(), "spec", "secretTargetRef")))
                  .extracting(r -> map(r).get("parameter"))
                  .containsExactly("password");
            }
          }
          assertThat(types)
              .as(variant)
              .isEqualTo(
                  env.containsKey("GRIZZ_REDIS_URL")
                      ? Set.of("postgresql", "redis-streams")
                      : Set.of("postgresql"));
          assertThat(env.get("GRIZZ_JOB_STREAM")).isNotBlank();
        });
    assertThat(ofKind(renders.get("defaults"), "ConfigMap"))
        .anySatisfy(
            c ->
                assertThat(map(c.object().get("data")))
                    .containsEntry("GRIZZ_JOB_STREAM", "grizz:jobs:grizz"));
  }

  @Test
  void theGatewayScalesOnCpuOrOpenStreams() {
    Rendered hpa = named(renders.get("defaults"), "HorizontalPodAutoscaler", "grizz-gateway");
    assertThat(list(at(hpa.object(), "spec", "metrics")))
        .extracting(m -> map(m).get("type"))
        .containsExactly("Resource");
    Rendered streams =
        named(
            renders.get("streams-open and lag with a Redis password"),
            "HorizontalPodAutoscaler",
            "grizz-gateway");
    assertThat(list(at(streams.object(), "spec", "metrics")))
        .extracting(m -> at(m, "pods", "metric", "name"))
        .contains("grizz_streams_open");
  }

  // ---- the dashboard
  // -----------------------------------------------------------------------------

  @Test
  void theDashboardShipsInTheChartAndUsesMetricsTheEngineHas() throws IOException {
    String dashboard = Files.readString(ROOT.resolve("deploy/grafana/grizz-dashboard.json"));
    Rendered configMap = named(renders.get("defaults"), "ConfigMap", "grizz-dashboard");
    assertThat(map(at(configMap.object(), "metadata", "labels")))
        .containsEntry("grafana_dashboard", "1");
    assertThat(map(configMap.object().get("data")).get("grizz-dashboard.json"))
        .isEqualTo(dashboard.strip());
    JsonNode json = JSON.readTree(dashboard);
    assertThat(json.path("panels").size()).isGreaterThan(10);

    Set<String> registered = registeredMetrics();
    assertThat(registered).contains("grizz_jobs_running", "grizz_first_token_seconds");
    Matcher metric =
        Pattern.compile("\\b(grizz_[a-z_]+|jvm_[a-z_]+|process_[a-z_]+|http_server_[a-z_]+)")
            .matcher(dashboard);
    Set<String> used = new TreeSet<>();
    while (metric.find()) {
      used.add(metric.group(1));
    }
    assertThat(used)
        .contains("grizz_first_token_seconds_bucket", "grizz_jobs_running", "grizz_streams_open");
    for (String name : used) {
      if (!name.startsWith("grizz_")) {
        continue;
      }
      String base = name.replaceFirst("_(total|bucket|count|sum|max)$", "");
      assertThat(registered).as("the engine registers " + name).contains(base);
    }
  }

  /**
   * The Prometheus names of the meters the engine's code registers, without the _total of counters:
   * "grizz.a.b" becomes grizz_a_b, and grizz_a_b_seconds for a timer or a base unit of seconds.
   */
  private static Set<String> registeredMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    Pattern meter =
        Pattern.compile(
            "(?:(Counter|Gauge|Timer)\\.builder|\\.(counter|timer))\\(\\s*\"(grizz\\.[a-z.]+)\"");
    Pattern constant = Pattern.compile("String METRIC = \"(grizz\\.[a-z.]+)\"");
    try (Stream<Path> files = Files.walk(ROOT.resolve("engine/src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String code = Files.readString(file);
        Matcher m = meter.matcher(code);
        while (m.find()) {
          String type = m.group(1) != null ? m.group(1) : m.group(2);
          String name = m.group(3).replace('.', '_');
          String rest = code.substring(m.end(), Math.min(code.length(), m.end() + 300));
          boolean seconds =
              type.equalsIgnoreCase("timer")
                  || rest.substring(0, Math.max(0, rest.indexOf(".register(")))
                      .contains("baseUnit(\"seconds\")");
          names.add(seconds ? name + "_seconds" : name);
        }
        Matcher c = constant.matcher(code);
        while (c.find()) {
          names.add(c.group(1).replace('.', '_'));
        }
      }
    }
    return names;
  }

  // ---- deploy/k8s
  // --------------------------------------------------------------------------------

  @Test
  void deployK8sIsTheChartRenderedWithItsDefaults() throws IOException {
    Map<String, StringBuilder> files = new LinkedHashMap<>();
    for (Rendered o : renders.get("defaults")) {
      files
          .computeIfAbsent(o.source(), s -> new StringBuilder(HEADER))
          .append("---\n")
          .append(o.text());
    }
    if (Boolean.getBoolean("grizz.k8s.write")) {
      try (Stream<Path> existing = Files.list(K8S)) {
        for (Path file : existing.toList()) {
          if (Files.readString(file).startsWith(HEADER)) {
            Files.delete(file);
          }
        }
      }
      for (Map.Entry<String, StringBuilder> file : files.entrySet()) {
        Files.writeString(K8S.resolve(file.getKey()), file.getValue());
      }
    }
    Set<String> generated = new TreeSet<>();
    try (Stream<Path> existing = Files.list(K8S)) {
      for (Path file : existing.toList()) {
        String name = file.getFileName().toString();
        if (Files.readString(file).startsWith(HEADER)) {
          generated.add(name);
        } else {
          assertThat(name)
              .as("deploy/k8s holds the chart's output and examples")
              .endsWith(".example.yaml");
        }
      }
    }
    assertThat(generated)
        .as("run with -Dgrizz.k8s.write=true after changing the chart")
        .isEqualTo(files.keySet());
    for (Map.Entry<String, StringBuilder> file : files.entrySet()) {
      assertThat(Files.readString(K8S.resolve(file.getKey())))
          .as("deploy/k8s/" + file.getKey() + " is out of date: run with -Dgrizz.k8s.write=true")
          .isEqualTo(file.getValue().toString());
    }
  }
}
