package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The javadoc of every module builds (into {@code target/apidocs}) without a warning or an error: references that
 * resolve, well-formed HTML, {@code @param} names that exist (doclint's checks; a comment is not required on every
 * member). The one warning the JDK cannot be told to keep quiet, that the Vector API is an incubating module, is
 * left out.
 */
class JavadocTest {
    @Test
    void theJavadocOfEveryModuleBuildsWithoutAWarning() throws Exception {
        List<Path> sources = new ArrayList<>();
        for (String module : new String[] {"neuroinfer-core", "neuroinfer-learn", "neuroinfer-pipeline",
            "neuroinfer-cli"}) {
            try (Stream<Path> s = Files.walk(Path.of("..", module, "src/main/java"))) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        assertTrue(sources.size() > 150, sources.size() + " sources");
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        DiagnosticCollector<JavaFileObject> found = new DiagnosticCollector<>();
        Path out = Path.of("target/apidocs");
        Files.createDirectories(out);
        try (StandardJavaFileManager files = javadoc.getStandardFileManager(found, Locale.ROOT, null)) {
            List<String> options = List.of("-d", out.toString(), "-quiet", "-Xdoclint:all,-missing", "-public",
                    "--add-modules", "jdk.incubator.vector", "-classpath", System.getProperty("java.class.path"));
            Boolean ok = javadoc.getTask(null, files, found, null, options,
                    files.getJavaFileObjectsFromPaths(sources)).call();
            List<String> problems = found.getDiagnostics().stream()
                    .filter(d -> d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING
                            || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
                    .filter(d -> !d.getMessage(Locale.ROOT).contains("incubating"))
                    .map(d -> (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                            + d.getMessage(Locale.ROOT))
                    .toList();
            assertEquals(List.of(), problems, "javadoc problems");
            assertTrue(ok, "javadoc ran");
        }
        assertTrue(Files.exists(out.resolve("org/neuroinfer/pipeline/Simulation.html")));
    }
}
