package org.neuroinfer.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture of DESIGN.md as rules over the compiled classes of every module: packages form no cycle, and
 * each layer uses only the layers below it — foundations (data, random, numeric, stimulus) → parameters → models
 * (equations) → integration (loops over one model) → observation (measurements) → networks → studies (data sets,
 * sensitivity, measured recordings) → learning → pipeline (stages) → command line.
 */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.neuroinfer");
    }

    static final ArchRule NO_CYCLES = slices().matching("org.neuroinfer.(**)").should().beFreeOfCycles()
            .because("each package can then be read, tested and moved on its own");

    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Foundations").definedBy("org.neuroinfer", "org.neuroinfer.io..", "org.neuroinfer.random..",
                    "org.neuroinfer.numeric..", "org.neuroinfer.stimulus..")
            .layer("Parameters").definedBy("org.neuroinfer.param..")
            .layer("Models").definedBy("org.neuroinfer.model..")
            .layer("Integration").definedBy("org.neuroinfer.integrate..")
            .layer("Observation").definedBy("org.neuroinfer.observe..")
            .layer("Networks").definedBy("org.neuroinfer.network..")
            .layer("Studies").definedBy("org.neuroinfer.dataset..", "org.neuroinfer.sensitivity..",
                    "org.neuroinfer.simulator..", "org.neuroinfer.recording..")
            .layer("Learning").definedBy("org.neuroinfer.learn..")
            .optionalLayer("Pipeline").definedBy("org.neuroinfer.pipeline..")
            .layer("CommandLine").definedBy("org.neuroinfer.cli..")
            .whereLayer("CommandLine").mayNotBeAccessedByAnyLayer()
            .whereLayer("Pipeline").mayOnlyBeAccessedByLayers("CommandLine")
            .whereLayer("Learning").mayOnlyBeAccessedByLayers("Pipeline", "CommandLine")
            .whereLayer("Studies").mayOnlyBeAccessedByLayers("Learning", "Pipeline", "CommandLine")
            .whereLayer("Networks").mayOnlyBeAccessedByLayers("Studies", "Learning", "Pipeline", "CommandLine")
            .whereLayer("Observation").mayOnlyBeAccessedByLayers("Networks", "Studies", "Learning", "Pipeline",
                    "CommandLine")
            .whereLayer("Integration").mayOnlyBeAccessedByLayers("Observation", "Networks", "Studies", "Learning",
                    "Pipeline", "CommandLine")
            .whereLayer("Models").mayOnlyBeAccessedByLayers("Integration", "Observation", "Networks", "Studies",
                    "Learning", "Pipeline", "CommandLine")
            .whereLayer("Parameters").mayOnlyBeAccessedByLayers("Models", "Integration", "Observation", "Networks",
                    "Studies", "Learning", "Pipeline", "CommandLine");

    static final ArchRule EQUATIONS_KNOW_NO_LOOP = noClasses().that().resideInAPackage("org.neuroinfer.model..")
            .should().dependOnClassesThat().resideInAnyPackage("org.neuroinfer.integrate..",
                    "org.neuroinfer.network..")
            .because("equations know no loop: a model states its right-hand side, a loop steps it");

    static final ArchRule LOOPS_KNOW_NO_MEASUREMENT = noClasses().that()
            .resideInAnyPackage("org.neuroinfer.integrate..", "org.neuroinfer.network")
            .should().dependOnClassesThat().resideInAPackage("org.neuroinfer.observe..")
            .because("a loop knows no measurement: recorders and observation models plug into it from above");

    static final ArchRule LIBRARY_KNOWS_NO_COMMAND_LINE = noClasses().that().resideOutsideOfPackage(
                    "org.neuroinfer.cli..")
            .should().dependOnClassesThat().resideInAPackage("picocli..")
            .because("the library is usable from Java without picocli");

    static final ArchRule FILES_WITHOUT_MACHINE = noClasses().that().resideOutsideOfPackage("org.neuroinfer.io")
            .should().callMethod(io.jhdf.HdfFile.class, "write", java.nio.file.Path.class)
            .because("HDF5 files are made by HdfFiles.write, whose bytes do not depend on the machine that wrote them");

    @Test
    void hdf5FilesAreMadeWithoutTheWritersStamp() {
        FILES_WITHOUT_MACHINE.check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        assertTrue(classes.size() > 250, classes.size() + " classes imported");
        NO_CYCLES.check(classes);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelow() {
        LAYERS.check(classes);
    }

    @Test
    void equationsKnowNoLoop() {
        EQUATIONS_KNOW_NO_LOOP.check(classes);
    }

    @Test
    void loopsKnowNoMeasurement() {
        LOOPS_KNOW_NO_MEASUREMENT.check(classes);
    }

    @Test
    void theLibraryKnowsNoCommandLine() {
        LIBRARY_KNOWS_NO_COMMAND_LINE.check(classes);
    }

    /** The rules can fail: the command line does use the library, which the reversed rule forbids. */
    @Test
    void aBrokenRuleIsReported() {
        ArchRule reversed = noClasses().that().resideInAPackage("org.neuroinfer.cli..").should()
                .dependOnClassesThat().resideInAPackage("org.neuroinfer.model..");
        assertThrows(AssertionError.class, () -> reversed.check(classes));
    }
}
