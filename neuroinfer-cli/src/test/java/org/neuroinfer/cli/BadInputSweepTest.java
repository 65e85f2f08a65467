package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neuroinfer.cli.CliTest.Run;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every command with every kind of bad input its options and parameters can take, found from the command line's
 * own model (so a new command or option is swept without editing this test): a value of the wrong type, a file
 * that does not exist, and {@code --help}. Each must exit 2 (0 for help) with a short message naming the culprit
 * and no stack trace.
 */
class BadInputSweepTest {
    static final Set<Class<?>> NUMBERS = Set.of(int.class, Integer.class, long.class, Long.class, double.class,
            Double.class);

    @TempDir
    Path dir;

    /** Every runnable command by its words, e.g. "network explore". */
    static Map<String, CommandSpec> commands() {
        Map<String, CommandSpec> all = new LinkedHashMap<>();
        walk(Main.commandLine(), "", all);
        return all;
    }

    private static void walk(CommandLine cl, String prefix, Map<String, CommandSpec> all) {
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            String words = (prefix + " " + e.getKey()).trim();
            if (e.getValue().getCommandSpec().userObject() instanceof Runnable
                    || e.getValue().getCommandSpec().userObject() instanceof java.util.concurrent.Callable) {
                all.put(words, e.getValue().getCommandSpec());
            }
            walk(e.getValue(), words, all);
        }
    }

    /** The words, positionals (missing files where they are paths) and required options of {@code spec}. */
    List<String> base(String words, CommandSpec spec) {
        List<String> args = new ArrayList<>(List.of(words.split(" ")));
        int k = 0;
        for (PositionalParamSpec p : spec.positionalParameters()) {
            args.add(p.type() == Path.class ? dir.resolve("missing-" + k++ + ".yaml").toString() : "quick");
        }
        for (OptionSpec o : spec.options().stream().filter(OptionSpec::required).toList()) {
            args.add(o.longestName());
            args.add(o.type() == Path.class ? dir.resolve("required-" + o.longestName().replace("-", "")).toString()
                    : "1");
        }
        return args;
    }

    static void shortAndClean(String what, Run r) {
        assertTrue(!r.err().contains("Exception") && !r.err().contains("\tat "), what + ": " + r.err());
        assertTrue(r.err().lines().count() <= 4, what + " prints " + r.err().lines().count() + " lines: " + r.err());
    }

    @Test
    void aValueOfTheWrongTypeIsNamedInAShortMessage() {
        int swept = 0;
        for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
            for (OptionSpec o : c.getValue().options()) {
                if (!NUMBERS.contains(o.type()) || o.arity().max() < 1) {
                    continue;
                }
                List<String> args = base(c.getKey(), c.getValue());
                args.add(o.longestName());
                args.add("lots");
                Run r = CliTest.run(args.toArray(String[]::new));
                String what = String.join(" ", args);
                assertEquals(2, r.code(), what + ": " + r.err());
                assertTrue(r.err().contains(o.longestName()) && r.err().contains("lots"), what + ": " + r.err());
                shortAndClean(what, r);
                swept++;
            }
        }
        assertTrue(swept > 40, swept + " numeric options swept");
    }

    /**
     * Runs every command that reads files with its file parameters missing ({@code content} null) or holding
     * {@code content}; each must exit 2 naming the file, briefly. Returns the runs made.
     */
    int sweepFiles(String content) throws java.io.IOException {
        int swept = 0;
        for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
            if (c.getValue().positionalParameters().stream().noneMatch(p -> p.type() == Path.class)) {
                continue;
            }
            List<String> args = base(c.getKey(), c.getValue());
            for (String a : args) {
                if (content != null && a.contains("missing-")) {
                    java.nio.file.Files.writeString(Path.of(a), content);
                }
            }
            Run r = CliTest.run(args.toArray(String[]::new));
            String what = String.join(" ", args) + (content == null ? "" : " holding '" + content + "'");
            assertEquals(2, r.code(), what + ": " + r.err());
            assertTrue(r.err().contains("missing-0.yaml") || r.err().contains("required-"), what + ": " + r.err());
            shortAndClean(what, r);
            swept++;
        }
        return swept;
    }

    @Test
    void aFileThatDoesNotExistIsNamed() throws java.io.IOException {
        assertTrue(sweepFiles(null) > 15, "commands with file parameters swept");
    }

    @Test
    void anEmptyOrGarbageFileIsNamed() throws java.io.IOException {
        assertTrue(sweepFiles("") + sweepFiles("\u0000\u0001garbage: [\n{{{\n") > 30, "runs on bad files");
    }

    @Test
    void everyCommandsHelpShowsItsOptionsWithoutWarnings() {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(raw, true)); // picocli's own warnings go to the process's stderr
        try {
            for (Map.Entry<String, CommandSpec> c : commands().entrySet()) {
                List<String> args = new ArrayList<>(List.of(c.getKey().split(" ")));
                args.add("--help");
                raw.reset();
                Run r = CliTest.run(args.toArray(String[]::new));
                assertEquals(0, r.code(), c.getKey() + ": " + r.err());
                assertTrue(r.err().isEmpty() && raw.size() == 0, c.getKey() + " --help warns: " + r.err() + raw);
                for (OptionSpec o : c.getValue().options()) {
                    String shown = o.negatable() ? "--[no-]" + o.longestName().substring(2) : o.longestName();
                    assertTrue(o.hidden() || r.out().contains(shown), c.getKey() + " --help does not show "
                            + shown + ": " + r.out());
                }
                for (PositionalParamSpec p : c.getValue().positionalParameters()) {
                    assertTrue(p.hidden() || r.out().contains(p.paramLabel()), c.getKey() + " --help does not show "
                            + p.paramLabel());
                }
                assertTrue(c.getValue().options().size() > 2 || c.getValue().positionalParameters().size() > 0
                        || !c.getValue().subcommands().isEmpty(), c.getKey() + " takes nothing but --help and --version");
            }
        } finally {
            System.setErr(stderr);
        }
    }
}
