package org.neuroinfer.cli;

import java.io.PrintWriter;
import org.neuroinfer.integrate.DivergenceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code neuroinfer} command: simulate brain models and infer their parameters. */
@Command(name = "neuroinfer", mixinStandardHelpOptions = true, version = "neuroinfer 0.1.0",
        description = "Simulation-based parameter inference of brain models.%n"
                + "Exit codes: 0 success, 2 usage error (bad option or value), 1 failure, 5 a peer check "
                + "disagrees beyond its tolerance.",
        subcommands = {DemoCommand.class, ParamsCommand.class, SimulateCommand.class, LeadFieldCommand.class,
                GenerateCommand.class, InspectCommand.class, SensitivityCommand.class,
                BenchCommand.class, TrainCommand.class, EvaluateCommand.class, InferCommand.class,
                BenchInferCommand.class, EvokedCommand.class, PosteriorCommand.class, CalibrateCommand.class, SnpeCommand.class,
                BenchmarkCommand.class, NetworkCommand.class, SgmCommand.class, SchemaCommand.class, ReferenceCommand.class, SbibmCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code of a usage error (a bad option, value or file name). */
    public static final int USAGE = 2;
    /** Exit code of a failure while running (a diverging integration, an I/O error). */
    public static final int FAILURE = 1;
    /** Exit code: a check against a peer found a disagreement beyond its tolerance. */
    public static final int DISAGREES = 5;

    /** A comparison's tolerance, refused unless positive and finite. */
    static double tolerance(double t) {
        if (!(t > 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("--tolerance must be a positive number, got " + t);
        }
        return t;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * A file or folder given on the command line: a plain path, or a {@code file:} URI. Any other URI (hdfs://,
     * s3a://, ...) is refused naming it rather than taken for a folder called {@code hdfs:}: neuroinfer reads and
     * writes the machine's own file systems (and mounts), and data-set folders on a cluster's with --spark.
     */
    static java.nio.file.Path path(String s) {
        String scheme = remoteScheme(s);
        if (scheme == null && s.regionMatches(true, 0, "file:/", 0, 6)) {
            try {
                return java.nio.file.Path.of(java.net.URI.create(s));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + s + "' is not a file URI (" + e.getMessage()
                        + "); give a path or file:///absolute/path");
            }
        }
        if (scheme == null) {
            return java.nio.file.Path.of(s);
        }
        throw new CommandLine.TypeConversionException("'" + s + "': " + scheme + ":// is not a file system "
                + "neuroinfer can read or write here; give a local path, or a folder every worker mounts (with "
                + "--spark, the commands that run on a cluster read and write folders on a cluster's file system; "
                + "docs/scale.md)");
    }

    /**
     * The file or folder {@code s} that option {@code option} names on this machine.
     *
     * @param why what may be on a cluster's file system instead, and what to give here
     * @throws IllegalArgumentException for a URI of a cluster's file system, naming the option and {@code why}
     */
    static java.nio.file.Path local(String option, String s, String why) {
        if (remoteScheme(s) != null) {
            throw new IllegalArgumentException(option + " " + s + ": " + why);
        }
        return path(s);
    }

    /**
     * The folder that option {@code option} (given {@code s}) names on a cluster's file system, or null when
     * {@code s} is a local one.
     *
     * @throws IllegalArgumentException when it is such a folder and there is no cluster to reach it
     */
    static org.neuroinfer.pipeline.RemoteFolder remoteFolder(String option, String s,
                                                             org.neuroinfer.pipeline.Cluster cluster) {
        String scheme = remoteScheme(s);
        if (scheme == null) {
            return null;
        }
        if (cluster == null) {
            throw new IllegalArgumentException(option + " " + s + ": a folder on " + scheme + ":// is read and "
                    + "written by the executors of a Spark job: add --spark MASTER, or give a local one");
        }
        return cluster.folder(s);
    }

    /** A model folder on this machine: the one given, or a copy of one on a cluster's file system (deleted on close). */
    record ModelFolder(java.nio.file.Path path, boolean copy) implements AutoCloseable {
        @Override
        public void close() throws java.io.IOException {
            if (copy) {
                org.neuroinfer.io.AtomicFiles.deleteTree(path);
            }
        }
    }

    /**
     * The model folder that {@code option} names: {@code s} itself, or, when it is a folder on a cluster's file
     * system, a copy of it fetched to this machine (the tasks then receive it as every other input).
     */
    static ModelFolder model(String option, String s, org.neuroinfer.pipeline.Cluster cluster)
            throws java.io.IOException {
        org.neuroinfer.pipeline.RemoteFolder far = remoteFolder(option, s, cluster);
        if (far == null) {
            return new ModelFolder(path(s), false);
        }
        if (!far.exists("model.json")) {
            throw new IllegalArgumentException(option + " " + s + " is not a model folder (no model.json)");
        }
        java.nio.file.Path local = java.nio.file.Files.createTempDirectory("neuroinfer-model");
        try {
            far.getTree(local);
        } catch (java.io.IOException | RuntimeException e) {
            org.neuroinfer.io.AtomicFiles.deleteTree(local);
            throw e;
        }
        return new ModelFolder(local, true);
    }

    /** The scheme of {@code s} when it is a URI of a file system other than this machine's ({@code file:}), or null. */
    static String remoteScheme(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):/").matcher(s);
        return m.find() && !m.group(1).equalsIgnoreCase("file") ? m.group(1) : null;
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.registerConverter(java.nio.file.Path.class, Main::path);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("neuroinfer: error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help' for its options.");
            err.flush();
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof DivergenceException) {
                err.println("neuroinfer: failed: " + ex.getMessage());
                return FAILURE;
            }
            if (ex instanceof IllegalArgumentException) {
                err.println("neuroinfer: error: " + ex.getMessage());
                return USAGE;
            }
            Throwable io = ex instanceof java.io.UncheckedIOException u ? u.getCause() : ex;
            if (io instanceof java.io.IOException e && !machineFault(e)) {
                err.println("neuroinfer: error: " + describe(e));
                return USAGE;
            }
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            err.println("neuroinfer: failed: " + msg);
            if (System.getenv("NEUROINFER_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return FAILURE;
        });
        return cl;
    }

    /** A file-system failure of the machine (full, read-only, over quota) rather than a file the user gave. */
    static boolean machineFault(java.io.IOException e) {
        String m = String.valueOf(e instanceof java.nio.file.FileSystemException f ? f.getReason() : e.getMessage());
        return m.contains("No space left on device") || m.contains("Disk quota exceeded")
                || m.contains("Read-only file system") || m.contains("Input/output error");
    }

    /** An I/O error as a sentence naming the file, for the messages Java gives as a bare path. */
    static String describe(java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException f) {
            return f.getFile() + ": no such file or folder" + (String.valueOf(f.getFile()).contains("shared/reference")
                    ? " (the shared reference folder: see docs/shared.md; paths in a YAML file are relative to its "
                    + "folder)" : "");
        }
        if (e instanceof java.nio.file.AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (e instanceof java.nio.file.NotDirectoryException f) {
            return f.getFile() + ": not a folder";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + ": exists and is not a folder (a file is in the way of an output)";
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? f.getClass().getSimpleName() : f.getReason());
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * Why this JVM cannot run the program, or null: the simulators' SIMD kernels need the JDK's incubating Vector
     * API, which Java 17 loads only when asked ({@code --add-modules jdk.incubator.vector}, as ./neuroinfer does);
     * without it every command would end in a NoClassDefFoundError.
     */
    static String missingModule() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            return null;
        }
        return "neuroinfer: this JVM was started without the module jdk.incubator.vector, which the simulators need. "
                + "Start the program with ./neuroinfer, or as java --add-modules jdk.incubator.vector -jar "
                + "neuroinfer-cli.jar ...";
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        String missing = missingModule();
        if (missing != null) {
            System.err.println(missing);
            System.exit(FAILURE);
        }
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
