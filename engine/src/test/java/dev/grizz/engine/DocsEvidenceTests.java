package dev.grizz.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The compliance documents, the threat model and the capacity model cite evidence a reviewer is
 * meant to check: test classes, files, settings and sections of the README and runbook. A cited
 * name that no longer exists makes the evidence false without anyone noticing, so every one is
 * checked here (files only, no servers).
 */
class DocsEvidenceTests {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path MAIN = ROOT.resolve("engine/src/main/java/dev/grizz/engine");

  /** A test class: a capitalised word ending in IT or Tests, e.g. {@code ComplianceIT}. */
  private static final Pattern TEST_CLASS =
      Pattern.compile("\\b([A-Z][A-Za-z0-9]*[a-z0-9](?:IT|Tests))\\b");

  /** A path in backticks: {@code `docs/runbook.md`}, {@code `audit/AuditLog`} (an engine class). */
  private static final Pattern PATH =
      Pattern.compile("`(\\.?[a-z][a-z0-9_.-]*(?:/[A-Za-z0-9_.*-]+)+)/?`");

  /** A setting: {@code GRIZZ_SOMETHING}. */
  private static final Pattern SETTING = Pattern.compile("\\b(GRIZZ_[A-Z0-9_]*[A-Z0-9])\\b");

  /** A section: {@code README "Privacy (GDPR)"} or {@code runbook "Redis down"}. */
  private static final Pattern SECTION = Pattern.compile("\\b(README|runbook) \"([^\"]+)\"");

  private static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>();
    try (Stream<Path> compliance = Files.list(ROOT.resolve("docs/compliance"))) {
      compliance.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    docs.add(ROOT.resolve("docs/security.md"));
    docs.add(ROOT.resolve("docs/capacity.md"));
    return docs;
  }

  private static Set<String> testClasses() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String dir : List.of("engine/src/test/java", "bench/src/main/java")) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
        files
            .map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".java"))
            .forEach(n -> names.add(n.substring(0, n.length() - 5)));
      }
    }
    return names;
  }

  private static String settingsText() throws IOException {
    StringBuilder text = new StringBuilder();
    text.append(Files.readString(ROOT.resolve("engine/src/main/resources/application.properties")));
    // The engine's code, and the tests' (GRIZZ_TEST_DB_URL and the like are read there).
    for (Path dir : List.of(MAIN, ROOT.resolve("engine/src/test/java"))) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          text.append(Files.readString(p));
        }
      }
    }
    return text.toString();
  }

  private static boolean pathExists(String cited) {
    String path = cited.replaceAll("[#:].*$", "");
    if (path.contains("*")) {
      return Files.isDirectory(ROOT.resolve(path.substring(0, path.lastIndexOf('/'))));
    }
    return Files.exists(ROOT.resolve(path))
        || Files.exists(MAIN.resolve(path + ".java"))
        || Files.exists(MAIN.resolve(path));
  }

  private static boolean hasHeading(String file, String heading) throws IOException {
    Path doc = ROOT.resolve(file.equals("README") ? "README.md" : "docs/runbook.md");
    return Files.readAllLines(doc).stream()
        .anyMatch(l -> l.matches("#+ " + Pattern.quote(heading)));
  }

  @Test
  void everyCitedTestClassExists() throws IOException {
    Set<String> classes = testClasses();
    List<String> missing = new ArrayList<>();
    for (Path doc : documents()) {
      Matcher m = TEST_CLASS.matcher(Files.readString(doc));
      while (m.find()) {
        if (!classes.contains(m.group(1))) {
          missing.add(doc.getFileName() + ": " + m.group(1));
        }
      }
    }
    assertThat(missing).as("test classes cited in the documents").isEmpty();
  }

  @Test
  void everyCitedFileExists() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path doc : documents()) {
      Matcher m = PATH.matcher(Files.readString(doc));
      while (m.find()) {
        if (!pathExists(m.group(1))) {
          missing.add(doc.getFileName() + ": " + m.group(1));
        }
      }
    }
    assertThat(missing).as("paths cited in the documents").isEmpty();
  }

  @Test
  void everyCitedSettingIsRead() throws IOException {
    String settings = settingsText();
    List<String> missing = new ArrayList<>();
    for (Path doc : documents()) {
      Matcher m = SETTING.matcher(Files.readString(doc));
      while (m.find()) {
        if (!settings.contains(m.group(1))) {
          missing.add(doc.getFileName() + ": " + m.group(1));
        }
      }
    }
    assertThat(missing).as("settings cited in the documents").isEmpty();
  }

  @Test
  void everyCitedSectionExists() throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path doc : documents()) {
      Matcher m = SECTION.matcher(Files.readString(doc));
      while (m.find()) {
        // A section's name may be wrapped over two lines of the document.
        if (!hasHeading(m.group(1), m.group(2).replaceAll("\\s+", " "))) {
          missing.add(doc.getFileName() + ": " + m.group(1) + " \"" + m.group(2) + "\"");
        }
      }
    }
    assertThat(missing).as("README and runbook sections cited in the documents").isEmpty();
  }
}
