package dev.grizz.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The deploy files parse, name what the engine really has (variables, probe paths, the jar, the
 * secrets), the image build has what the engine's build reads, and the workflow runs lint, tests,
 * build in that order. No Docker engine runs here: .ci/run builds and runs the image with buildah
 * and runc (deploy/image/build-and-run.sh); these checks run with every test run.
 */
class DeployFilesTests {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static Object yaml(Path file) throws IOException {
    return new Yaml(new LoaderOptions()).load(Files.readString(file));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object node) {
    return (List<Object>) node;
  }

  private static String applicationProperties() throws IOException {
    return Files.readString(ROOT.resolve("engine/src/main/resources/application.properties"));
  }

  /** The Deployments of deploy/k8s (the Helm chart rendered: HelmChartTests). */
  private static List<Map<String, Object>> deployments() throws IOException {
    List<Map<String, Object>> deployments = new ArrayList<>();
    for (String file : List.of("gateway.yaml", "worker.yaml")) {
      for (Object document :
          new Yaml(new LoaderOptions())
              .loadAll(Files.readString(ROOT.resolve("deploy/k8s/" + file)))) {
        if (document != null && "Deployment".equals(map(document).get("kind"))) {
          deployments.add(map(document));
        }
      }
    }
    assertThat(deployments).hasSize(2);
    return deployments;
  }

  private static Map<String, Object> container(Map<String, Object> deployment) {
    return map(
        list(map(map(map(deployment.get("spec")).get("template")).get("spec")).get("containers"))
            .getFirst());
  }

  @Test
  void everyYamlFileParses() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> k8s = Files.list(ROOT.resolve("deploy/k8s"))) {
      k8s.forEach(files::add);
    }
    try (Stream<Path> chart = Files.walk(ROOT.resolve("deploy/helm/grizz"))) {
      chart
          .filter(f -> f.toString().endsWith("values.yaml") || f.endsWith("Chart.yaml"))
          .forEach(files::add);
    }
    files.add(ROOT.resolve("docker-compose.yml"));
    files.add(ROOT.resolve(".github/workflows/ci.yml"));
    files.add(ROOT.resolve("deploy/prometheus/alerts.yml"));
    for (Path file : files) {
      for (Object document : new Yaml(new LoaderOptions()).loadAll(Files.readString(file))) {
        assertThat(document).as(file.toString()).isInstanceOfAny(Map.class, Void.class);
      }
    }
  }

  @Test
  void theDeploymentProbesPathsTheEngineServes() throws IOException {
    for (Map<String, Object> deployment : deployments()) {
      Map<String, Object> container = container(deployment);
      assertThat(map(map(container.get("livenessProbe")).get("httpGet")).get("path"))
          .isEqualTo("/health");
      assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("path"))
          .isEqualTo("/actuator/health/readiness");
    }
    assertThat(applicationProperties()).contains("management.endpoint.health.probes.enabled=true");
  }

  @Test
  void everyVariableTheDeployFilesSetIsOneTheEngineReads() throws IOException {
    String properties = applicationProperties();
    Map<String, Object> configMap =
        map(map(yaml(ROOT.resolve("deploy/k8s/configmap.yaml"))).get("data"));
    Map<String, Object> secret =
        map(map(yaml(ROOT.resolve("deploy/k8s/secret.example.yaml"))).get("stringData"));
    Map<String, Object> compose =
        map(
            map(map(map(yaml(ROOT.resolve("docker-compose.yml"))).get("services")).get("engine"))
                .get("environment"));
    List<String> names = new ArrayList<>();
    names.addAll(configMap.keySet());
    names.addAll(secret.keySet());
    names.addAll(compose.keySet());
    for (Map<String, Object> deployment : deployments()) {
      for (Object env : list(container(deployment).get("env"))) {
        names.add((String) map(env).get("name"));
      }
    }
    assertThat(names).contains("GRIZZ_ROLE", "GRIZZ_JOB_STREAM");
    for (String name : names) {
      assertThat(properties).as(name).contains("${" + name + ":");
    }
  }

  @Test
  void theImageRunsTheJarTheBuildMakes() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    String enginePom = Files.readString(ROOT.resolve("engine/pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(enginePom);
    assertThat(finalName.find()).isTrue();
    String jar = finalName.group(1) + ".jar";

    // The image profile builds into target/image, without the embedded PostgreSQL's binaries.
    assertThat(enginePom)
        .containsPattern(
            "(?s)<id>image</id>.*<grizz.pg-amd64.scope>test<.*<grizz.pg-arm64.scope>test<.*"
                + "<directory>\\$\\{project.basedir}/target/image</directory>");
    assertThat(dockerfile)
        .contains("-Pimage package")
        .contains("engine/target/image/" + jar)
        .containsPattern("(?m)^ENTRYPOINT .* -jar .*/app/" + Pattern.quote(jar));
    assertThat(dockerfile)
        .containsPattern("(?m)^USER grizz$")
        .contains("ARG RUNTIME_IMAGE=eclipse-temurin:25-jre")
        .containsPattern("(?m)^FROM \\$\\{RUNTIME_IMAGE}$");
    // The mode SpringAotModeIT starts; the jar carries its classes (process-aot in engine/pom.xml).
    assertThat(dockerfile).containsPattern("(?m)^ENTRYPOINT .* -Dspring.aot.enabled=true ");
    assertThat(enginePom).contains("<goal>process-aot</goal>");
    // The JDK AOT cache, used when the build trained one.
    assertThat(dockerfile)
        .contains("-XX:AOTCacheOutput=/app/grizz.aot")
        .contains("AOTCache=/app/grizz.aot");
  }

  @Test
  void theImageBuildHasWhatTheEngineBuildReads() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    // engine/pom.xml runs ../web/build-if-node.sh unless told not to, and bundles ../web/out: the
    // Maven stage skips the script and gets web/out from the Node stage.
    assertThat(dockerfile)
        .contains("-Dgrizz.web.skip=true")
        .containsPattern("(?m)^COPY --from=web /src/web/out web/out$")
        .containsPattern("(?m)^RUN .*next build");
    // Every file the Dockerfile copies from the context exists (or is the jar a host build makes).
    Matcher copy = Pattern.compile("(?m)^COPY (?!--from)(\\S+) ").matcher(dockerfile);
    int copies = 0;
    while (copy.find()) {
      copies++;
      String source = copy.group(1);
      if (!source.startsWith("engine/target/")) {
        assertThat(ROOT.resolve(source)).as(source).exists();
      }
    }
    assertThat(copies).isGreaterThan(5);
    // ...and .dockerignore keeps it in the context.
    String dockerignore = Files.readString(ROOT.resolve(".dockerignore"));
    assertThat(dockerignore).contains("!engine/target/image/grizz-engine.jar");
    // pg_dump for the scheduled backups: the Dockerfile installs it on a base without it, and the
    // offline base has it.
    assertThat(dockerfile).contains("postgresql-client");
    assertThat(Files.readString(ROOT.resolve("deploy/image/build-base.sh")))
        .contains("packages=postgresql-client");
  }

  @Test
  void ciBuildsAndRunsTheImage() throws IOException {
    String ci = Files.readString(ROOT.resolve(".ci/run"));
    String check = Files.readString(ROOT.resolve("deploy/image/build-and-run.sh"));

    assertThat(ci).containsPattern("(?m)^deploy/image/build-and-run.sh$");
    assertThat(check)
        .contains("bud ")
        .contains("-f Dockerfile")
        .contains("JAR_FROM=prebuilt")
        .contains("umoci unpack")
        .contains("/api/v1/conversations")
        .contains("pg_dump --version");
    assertThat(Files.isExecutable(ROOT.resolve("deploy/image/build-and-run.sh"))).isTrue();
    assertThat(Files.isExecutable(ROOT.resolve("deploy/image/build-base.sh"))).isTrue();
  }

  @Test
  void composeAndKubernetesTakeTheSigningKeysFromASecret() throws IOException {
    Map<String, Object> compose = map(yaml(ROOT.resolve("docker-compose.yml")));
    Map<String, Object> engine = map(map(compose.get("services")).get("engine"));
    assertThat(list(engine.get("secrets"))).containsExactly("signing_keys");
    assertThat(map(engine.get("environment")))
        .containsEntry("GRIZZ_SIGNING_KEYS_FILE", "/run/secrets/signing_keys")
        .doesNotContainKey("GRIZZ_SIGNING_KEYS");
    assertThat(map(map(compose.get("secrets")).get("signing_keys"))).containsKey("file");

    Map<String, Object> deployment = deployments().getFirst();
    Map<String, Object> podSpec = map(map(map(deployment.get("spec")).get("template")).get("spec"));
    Map<String, Object> container = container(deployment);
    Map<String, Object> env = map(list(container.get("env")).getFirst());
    assertThat(env).containsEntry("name", "GRIZZ_SIGNING_KEYS_FILE");
    Map<String, Object> mount = map(list(container.get("volumeMounts")).getFirst());
    assertThat((String) env.get("value")).startsWith(mount.get("mountPath") + "/");
    Map<String, Object> volume = map(list(podSpec.get("volumes")).getFirst());
    assertThat(volume.get("name")).isEqualTo(mount.get("name"));
    Map<String, Object> secret = map(yaml(ROOT.resolve("deploy/k8s/signing-keys.example.yaml")));
    assertThat(map(volume.get("secret")).get("secretName"))
        .isEqualTo(map(secret.get("metadata")).get("name"));
    String fileName =
        ((String) env.get("value")).substring(((String) mount.get("mountPath")).length() + 1);
    assertThat(map(secret.get("stringData"))).containsKey(fileName);
    assertThat(map(map(yaml(ROOT.resolve("deploy/k8s/secret.example.yaml"))).get("stringData")))
        .doesNotContainKey("GRIZZ_SIGNING_KEYS");
  }

  @Test
  void theWorkflowLintsThenTestsThenBuilds() throws IOException {
    Map<String, Object> jobs = map(map(yaml(ROOT.resolve(".github/workflows/ci.yml"))).get("jobs"));

    assertThat(jobs).containsKeys("lint", "test", "build");
    assertThat(map(jobs.get("test")).get("needs")).isEqualTo("lint");
    assertThat(map(jobs.get("build")).get("needs")).isEqualTo("test");
  }
}
