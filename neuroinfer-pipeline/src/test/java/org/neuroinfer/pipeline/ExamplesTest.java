package org.neuroinfer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;

/**
 * The Java examples ({@code examples/java/}) compile against the library as it is and run to the end, on small
 * settings: a change of the API that breaks what users are shown fails here.
 */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("../examples/java");

    @TempDir
    static Path classes;

    @TempDir
    Path out;

    @BeforeAll
    static void compile() throws Exception {
        List<String> sources;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
        assertEquals(2, sources.size(), "the examples: " + sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), "-Xlint:all", "-Werror"));
        args.addAll(sources);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = javac.run(null, null, err, args.toArray(String[]::new));
        assertEquals(0, code, "the examples compile without warnings:\n" + err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code main} of example {@code name} with {@code args}; what it printed. */
    static String run(String name, String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ExamplesTest.class.getClassLoader())) {
            Method main = loader.loadClass(name).getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(saved);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void simulateAndInferRecoversAPosteriorPerParameter() throws Exception {
        String printed = run("SimulateAndInfer", out.toString(), "200", "3");
        assertTrue(printed.contains("simulated EEG evoked (59 epochs, 64 channels, noise factor 1.0)"), printed);
        // a line per inferred parameter: name, truth, mean, sd
        long rows = printed.lines().filter(l -> l.matches("\\S+( +-?[0-9.e+-]+){3}")).count();
        assertEquals(9, rows, printed);
        NpyArray samples = Npy.load(out.resolve("samples.npy"));
        assertEquals(2000, samples.shape()[0]);
        assertTrue(Files.readString(out.resolve("summary.csv")).startsWith("parameter,unit,mean"));
    }

    @Test
    void generateTrainPosteriorWritesThePosteriorsOfThreeRecordings() throws Exception {
        String printed = run("GenerateTrainPosterior", out.toString(), "200", "3");
        assertTrue(printed.contains("200 recordings in"), printed);
        assertEquals(3, printed.lines().filter(l -> l.startsWith("recording ")).count(), printed);
        NpyArray samples = Npy.load(out.resolve("posterior/samples.npy"));
        assertEquals(List.of(3, 2000, 9), List.of(samples.shape()[0], samples.shape()[1], samples.shape()[2]));
    }
}
