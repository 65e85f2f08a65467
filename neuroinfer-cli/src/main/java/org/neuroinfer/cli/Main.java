package org.neuroinfer.cli;

import java.io.PrintWriter;
import org.neuroinfer.integrate.DivergenceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code neuroinfer} command: simulate brain models and infer their parameters. */
@Command(name = "neuroinfer", mixinStandardHelpOptions = true, version = "neuroinfer 0.1.0",
        description = "Simulation-based parameter inference of brain models.%n"
                + "Exit codes: 0 success, 2 usage error (bad option or value), 1 failure.",
        subcommands = {DemoCommand.class, ParamsCommand.class, SimulateCommand.class, LeadFieldCommand.class,
                GenerateCommand.class, InspectCommand.class, SensitivityCommand.class,
                BenchCommand.class, TrainCommand.class, EvaluateCommand.class, InferCommand.class,
                BenchInferCommand.class, PosteriorCommand.class, CalibrateCommand.class, SnpeCommand.class,
                BenchmarkCommand.class, NetworkCommand.class, SgmCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit code of a usage error (a bad option, value or file name). */
    public static final int USAGE = 2;
    /** Exit code of a failure while running (a diverging integration, an I/O error). */
    public static final int FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line, also used by tests. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
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
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            err.println("neuroinfer: failed: " + msg);
            if (System.getenv("NEUROINFER_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return FAILURE;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int code = commandLine().execute(args);
        System.exit(code);
    }
}
