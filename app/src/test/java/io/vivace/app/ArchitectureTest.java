package io.vivace.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of design.md section 2, checked on the compiled classes: lower layers never
 * import higher ones, no role imports another role, heavy libraries stay in their one module.
 */
class ArchitectureTest {
    private static final String MODEL = "io.vivace.model..";
    private static final String COMMON = "io.vivace.common..";
    private static final String INGEST = "io.vivace.ingest..";
    private static final String TRACEQL = "io.vivace.traceql..";
    private static final String STORAGE = "io.vivace.storage..";
    private static final String APP = "io.vivace.app..";
    private static final Map<String, String> ROLES = Map.of(
            "distributor", "io.vivace.distributor..",
            "ingester", "io.vivace.ingester..",
            "querier", "io.vivace.querier..",
            "query-frontend", "io.vivace.frontend..",
            "compactor", "io.vivace.compactor..",
            "metrics-generator", "io.vivace.generator..");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.vivace");
    }

    @Test
    void modelDependsOnNothingOfOurs() {
        check(noClasses().that().resideInAPackage(MODEL).should().dependOnClassesThat()
                .resideInAnyPackage(layersAbove(COMMON, INGEST, TRACEQL, STORAGE)));
    }

    @Test
    void commonDependsOnlyOnModel() {
        check(noClasses().that().resideInAPackage(COMMON).should().dependOnClassesThat()
                .resideInAnyPackage(layersAbove(INGEST, TRACEQL, STORAGE)));
    }

    @Test
    void middleLayersDoNotImportRolesOrApp() {
        check(noClasses().that().resideInAnyPackage(INGEST, TRACEQL, STORAGE).should().dependOnClassesThat()
                .resideInAnyPackage(layersAbove()));
    }

    @Test
    void traceqlKnowsNothingOfStorageOrItsLibraries() {
        check(noClasses().that().resideInAPackage(TRACEQL).should().dependOnClassesThat()
                .resideInAnyPackage(STORAGE, INGEST, "org.apache.arrow..", "org.rocksdb..", "software.amazon..",
                        "org.apache.kafka.."));
    }

    @Test
    void noRoleImportsAnotherRole() {
        for (Map.Entry<String, String> role : ROLES.entrySet()) {
            String[] others = ROLES.entrySet().stream().filter(e -> !e.getKey().equals(role.getKey()))
                    .map(Map.Entry::getValue).toArray(String[]::new);
            check(noClasses().that().resideInAPackage(role.getValue()).should().dependOnClassesThat()
                    .resideInAnyPackage(others).allowEmptyShould(true));
        }
    }

    @Test
    void heavyLibrariesLiveInOneModule() {
        check(noClasses().that().resideOutsideOfPackage("io.vivace.ingester..").should().dependOnClassesThat()
                .resideInAPackage("org.rocksdb.."));
        check(noClasses().that().resideOutsideOfPackage(STORAGE).should().dependOnClassesThat()
                .resideInAPackage("org.apache.arrow.."));
    }

    private static String[] layersAbove(String... alsoForbidden) {
        List<String> forbidden = new java.util.ArrayList<>(List.of(alsoForbidden));
        forbidden.addAll(ROLES.values());
        forbidden.add(APP);
        return forbidden.toArray(String[]::new);
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }
}
