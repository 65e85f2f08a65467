package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neuroinfer.cli.plot.SensitivityPlots;
import org.neuroinfer.pipeline.SensitivityStudy;
import org.neuroinfer.sensitivity.SensitivityConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs a sensitivity analysis of the Jansen-Rit ERP from a YAML file. */
@Command(name = "sensitivity", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sensitivity of the Jansen-Rit ERP: the benchmark's one-at-a-time sweeps (its figures 2, 3).",
                "",
                "Each parameter alone over n evenly spaced values, the others at their defaults; per value the ERP "
                + "(a channel of the EEG evoked response, the global field power, or the source signal), its "
                + "error against the default ERP and its gradient. Writes summary.txt (the ranking and flags), "
                + "oat_summary.csv, oat.npz and a three-panel figure per parameter."})
final class SensitivityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "Analysis file (see examples/).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Override
    public Integer call() throws IOException {
        SensitivityConfig c = SensitivityConfig.read(config);
        SensitivityStudy.Result r;
        try (Progress p = Progress.start(spec.commandLine().getErr(), SensitivityStudy.activity(c),
                SensitivityStudy.total(c))) {
            r = SensitivityStudy.run(c, out, threads.get(), p::advance, SensitivityPlots::draw);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.print(r.text());
        o.flush();
        return 0;
    }
}
