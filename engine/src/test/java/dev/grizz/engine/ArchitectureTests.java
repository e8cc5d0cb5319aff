package dev.grizz.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaPackage;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;

/** The package boundaries of ARCHITECTURE.md, checked on every build. */
class ArchitectureTests {

  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // Spring AOT's generated bean definitions (Foo__BeanDefinitions and the like, in
          // target/classes once process-aot ran) wire every package together by design.
          .withImportOption(location -> !location.contains("__"))
          .importPackages("dev.grizz.engine");

  @Test
  void handlersCallServicesNeverRepositories() {
    noClasses()
        .that()
        .resideInAPackage("..engine.api..")
        .should()
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Repository")
        .check(ENGINE);
  }

  @Test
  void nothingImportsTheApi() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..engine.api..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..engine.api..")
        .check(ENGINE);
  }

  @Test
  void llmKnowsNothingOfConversationsOrChat() {
    noClasses()
        .that()
        .resideInAPackage("..engine.llm..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "..engine.chat..", "..engine.agent..", "..engine.conversation..", "..engine.usage..")
        .check(ENGINE);
  }

  @Test
  void stepsRunKnowingNothingOfWhoAsked() {
    // The agent runs steps (one runner per step type) and /v1 requests; the chat API and the
    // handlers call it, never the other way round.
    noClasses()
        .that()
        .resideInAPackage("..engine.agent..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..engine.api..", "..engine.chat..")
        .check(ENGINE);
  }

  @Test
  void answeringKnowsNothingOfWhereTheAnswerGoes() {
    noClasses()
        .that()
        .haveFullyQualifiedName("dev.grizz.engine.agent.Answering")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..engine.event..", "..engine.conversation..")
        .check(ENGINE);
  }

  @Test
  void theRecordOfConversationsDoesNotDependOnWhoWritesIt() {
    noClasses()
        .that()
        .resideInAnyPackage("..engine.conversation..", "..engine.usage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..engine.chat..", "..engine.llm..")
        .check(ENGINE);
  }

  @Test
  void featuresAreFreeOfCycles() {
    // One slice per top-level feature (llm.openai counts as llm): a cycle means neither side can
    // be understood, tested or booted without the other, so the lower feature owns an event
    // record or an interface and the higher one listens or implements it.
    slices().matching("dev.grizz.engine.(*)..").should().beFreeOfCycles().check(ENGINE);
  }

  @Test
  void repositoriesStayInsideTheirFeature() {
    classes()
        .that()
        .haveSimpleNameEndingWith("Repository")
        .should()
        .notBePublic()
        .allowEmptyShould(true)
        .check(ENGINE);
  }

  @Test
  void thereIsNoGrabBagPackage() {
    Set<String> forbidden =
        Set.of("util", "utils", "common", "helper", "helpers", "manager", "store", "shared");
    List<String> found = new ArrayList<>();
    for (JavaPackage pkg : ENGINE.getPackage("dev.grizz.engine").getSubpackagesInTree()) {
      if (forbidden.contains(pkg.getRelativeName())) {
        found.add(pkg.getName());
      }
    }
    assertThat(found).isEmpty();
  }

  @Test
  void everyPackageSaysWhatItOwnsAndIsNullMarked() {
    List<String> missing = new ArrayList<>();
    JavaPackage root = ENGINE.getPackage("dev.grizz.engine");
    List<JavaPackage> packages = new ArrayList<>(root.getSubpackagesInTree());
    packages.add(root);
    for (JavaPackage pkg : packages) {
      boolean marked =
          pkg.tryGetPackageInfo().map(info -> info.isAnnotatedWith(NullMarked.class)).orElse(false);
      if (!marked) {
        missing.add(pkg.getName());
      }
    }
    assertThat(missing).as("packages without a @NullMarked package-info").isEmpty();
  }
}
