package dev.confday;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * Keeps the boundaries of STYLE.md: the core never depends on features; a feature uses another
 * feature only through its Service and public records, never its repository or SQL; only routes
 * and http/ touch the routing context.
 */
class ArchitectureTest {
  static final String BASE = "dev.confday.";
  static final Set<String> CORE = Set.of("config", "http", "auth", "db", "live");
  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.confday");

  static String feature(JavaClass c) {
    String rest = c.getPackageName().startsWith(BASE) ? c.getPackageName().substring(BASE.length()) : "";
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }

  /** A condition violated by each direct dependency for which {@code forbidden(feature of source, target)} holds. */
  static ArchCondition<JavaClass> noDependency(String description, BiPredicate<String, JavaClass> forbidden) {
    return new ArchCondition<>(description) {
      @Override
      public void check(JavaClass source, ConditionEvents events) {
        String from = feature(source);
        source.getDirectDependenciesFromSelf().forEach(d -> {
          if (forbidden.test(from, d.getTargetClass())) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        });
      }
    };
  }

  @Test
  void coreDoesNotDependOnFeatures() {
    noClasses().that().resideInAnyPackage("..confday.config..", "..confday.http..", "..confday.auth..",
            "..confday.db..", "..confday.live..")
        .should().dependOnClassesThat().resideInAnyPackage("..confday.events..", "..confday.schedule..",
            "..confday.posters..", "..confday.checkin..", "..confday.qa..", "..confday.streaming..",
            "..confday.demo..")
        .check(CLASSES);
  }

  @Test
  void featuresUseOtherFeaturesOnlyThroughTheirServiceAndRecords() {
    ArchCondition<JavaClass> onlyServices = noDependency("use other features only through *Service or records",
        (from, target) -> {
          String to = feature(target);
          if (!target.getPackageName().startsWith(BASE) || to.equals(from) || CORE.contains(to) || to.isEmpty()) {
            return false;
          }
          return !(target.getSimpleName().endsWith("Service") || target.isRecord()
              || target.isEnum() || (target.getEnclosingClass().isPresent()
                  && target.getEnclosingClass().get().getSimpleName().endsWith("Service")));
        });
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that().resideOutsideOfPackages(
            "..confday.config..", "..confday.http..", "..confday.auth..", "..confday.db..", "..confday.live..")
        .and().doNotHaveSimpleName("Server").and().doNotHaveSimpleName("Main")
        .should(onlyServices).check(CLASSES);
  }

  @Test
  void onlyRoutesAndHttpTouchTheRoutingContext() {
    noClasses().that().haveSimpleNameNotEndingWith("Routes").and().resideOutsideOfPackages("..confday.http..",
            "..confday.auth..", "..confday.live..").and().doNotHaveSimpleName("Server")
        .should().dependOnClassesThat().haveFullyQualifiedName("io.vertx.ext.web.RoutingContext")
        .check(CLASSES);
  }

  @Test
  void sqlStaysInRepositoriesAndSqlClasses() {
    noClasses().that().haveSimpleNameEndingWith("Routes")
        .should().dependOnClassesThat().resideInAnyPackage("io.vertx.sqlclient..")
        .check(CLASSES);
  }

  @Test
  void featureServicesLeaveSqlToTheirRepositories() {
    com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaMethodCall> runsSql =
        new com.tngtech.archunit.base.DescribedPredicate<>("run SQL (query/preparedQuery)") {
          @Override
          public boolean test(com.tngtech.archunit.core.domain.JavaMethodCall call) {
            String name = call.getTarget().getName();
            return call.getTargetOwner().getPackageName().startsWith("io.vertx.sqlclient")
                && (name.equals("query") || name.equals("preparedQuery"));
          }
        };
    noClasses().that().haveSimpleNameEndingWith("Service").and().resideOutsideOfPackages("..confday.live..")
        .should().callMethodWhere(runsSql)
        .check(CLASSES);
  }

  @Test
  void posterCheckDependsOnNothingElseOfConfday() {
    noClasses().that().resideInAPackage("dev.confday.posters.check..")
        .should().dependOnClassesThat(resideInAPackage("dev.confday..")
            .and(not(resideInAPackage("dev.confday.posters.check.."))))
        .check(CLASSES);
  }

  @Test
  void posterCheckIsUsedOnlyByPosterFilesAndTheDemo() {
    classes().that().resideInAPackage("dev.confday.posters.check..")
        .should().onlyBeAccessed().byAnyPackage("dev.confday.posters.check..", "dev.confday.posters.files..",
            "dev.confday.demo..")
        .check(CLASSES);
  }

  @Test
  void noFeatureReachesAnotherFeaturesRepository() {
    ArchCondition<JavaClass> ownRepositoriesOnly = noDependency("use only their own feature's *Repository",
        (from, target) -> target.getPackageName().startsWith(BASE)
            && target.getEnclosingClass().orElse(target).getSimpleName().endsWith("Repository")
            && !feature(target).equals(from));
    classes().that().resideInAPackage("dev.confday..").should(ownRepositoriesOnly).check(CLASSES);
  }

  /**
   * http/ (problem documents and ApiError, response helpers, the edge) is the bottom of the core:
   * it uses only config/, so auth/ and db/ can throw its ApiError without an import cycle. The
   * router that joins routes to the access check is auth/ApiRouter.
   */
  @Test
  void httpUsesNothingOfConfdayButConfig() {
    noClasses().that().resideInAPackage("dev.confday.http..")
        .should().dependOnClassesThat(resideInAPackage("dev.confday..")
            .and(not(resideInAnyPackage("dev.confday.http..", "dev.confday.config.."))))
        .check(CLASSES);
  }

  /** No two packages of confday (core or feature) depend on each other in a cycle. */
  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("dev.confday.(*)..").should().beFreeOfCycles().check(CLASSES);
  }
}
