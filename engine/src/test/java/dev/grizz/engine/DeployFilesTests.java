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
 * The deploy files parse, name what the engine really has (variables, probe paths, the jar), and
 * the workflow runs lint, tests, build in that order. No Docker engine runs here, so this is what
 * checks them.
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

  @Test
  void everyYamlFileParses() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> k8s = Files.list(ROOT.resolve("deploy/k8s"))) {
      k8s.forEach(files::add);
    }
    files.add(ROOT.resolve("docker-compose.yml"));
    files.add(ROOT.resolve(".github/workflows/ci.yml"));
    for (Path file : files) {
      assertThat(yaml(file)).as(file.toString()).isInstanceOf(Map.class);
    }
  }

  @Test
  void theDeploymentProbesPathsTheEngineServes() throws IOException {
    Map<String, Object> deployment = map(yaml(ROOT.resolve("deploy/k8s/deployment.yaml")));
    Map<String, Object> container =
        map(
            list(map(map(map(deployment.get("spec")).get("template")).get("spec"))
                    .get("containers"))
                .getFirst());

    assertThat(map(map(container.get("livenessProbe")).get("httpGet")).get("path"))
        .isEqualTo("/health");
    assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("path"))
        .isEqualTo("/actuator/health/readiness");
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

    assertThat(dockerfile).contains("engine/target/" + jar).contains("\"/app/" + jar + "\"");
    assertThat(dockerfile)
        .containsPattern("(?m)^USER grizz$")
        .contains("FROM eclipse-temurin:25-jre");
    // The mode SpringAotModeIT starts; the jar carries its classes (process-aot in engine/pom.xml).
    assertThat(dockerfile).contains("\"-Dspring.aot.enabled=true\"");
    assertThat(enginePom).contains("<goal>process-aot</goal>");
  }

  @Test
  void theWorkflowLintsThenTestsThenBuilds() throws IOException {
    Map<String, Object> jobs = map(map(yaml(ROOT.resolve(".github/workflows/ci.yml"))).get("jobs"));

    assertThat(jobs).containsKeys("lint", "test", "build");
    assertThat(map(jobs.get("test")).get("needs")).isEqualTo("lint");
    assertThat(map(jobs.get("build")).get("needs")).isEqualTo("test");
  }
}
