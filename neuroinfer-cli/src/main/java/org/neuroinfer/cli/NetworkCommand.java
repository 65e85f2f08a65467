package org.neuroinfer.cli;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import org.neuroinfer.cli.plot.HeatMap;
import org.neuroinfer.cli.plot.Plots;
import org.neuroinfer.data.Npy;
import org.neuroinfer.data.NpyArray;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.NetworkSimulator;
import org.neuroinfer.network.cases.ConfiguredRun;
import org.neuroinfer.network.cases.NeurolibCase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code neuroinfer network ...}: whole-brain networks of neural masses, as neurolib runs them. */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = "Whole-brain networks like neurolib: node models coupled on a connectome with delays, BOLD, FC.",
        subcommands = {NetworkCommand.Simulate.class})
final class NetworkCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code network simulate}: a case folder in neurolib's reference format, or a YAML run. */
    @Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Simulate a network: a case folder in the reference format (--case) or a YAML file.",
                    "",
                    "With --case DIR (params.json, init_*.npy, optional noise_*.npy and Cmat/Dmat): write every "
                    + "output as <name>.npy with the reference's shapes, so a neurolib run is reproduced.",
                    "With CONFIG.yaml: write network.h5 (each state variable [regions x samples], t, BOLD, t_BOLD, "
                    + "FC, region names) and timeseries.png, bold.png, fc.png."})
    static final class Simulate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG.yaml", description = "Network run file.")
        Path config;

        @Option(names = "--case", paramLabel = "DIR", description = "A case folder in the reference format.")
        Path caseDir;

        @Option(names = "--connectome", paramLabel = "DIR", description = "Folder with Cmat and Dmat (.npy or .csv);"
                + " for --case when the case has none, else overrides the file's.")
        Path connectome;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
        Path out;

        @Option(names = "--force", description = "Replace existing output files.")
        boolean force;

        @Override
        public Integer call() throws IOException {
            if ((config == null) == (caseDir == null)) {
                throw new IllegalArgumentException("give either CONFIG.yaml or --case DIR");
            }
            PrintWriter o = spec.commandLine().getOut();
            Files.createDirectories(out);
            if (caseDir != null) {
                long t0 = System.nanoTime();
                Map<String, NpyArray> res = NeurolibCase.run(caseDir, connectome);
                for (String name : res.keySet()) {
                    Path f = out.resolve(name + ".npy");
                    if (Files.exists(f) && !force) {
                        throw new IllegalArgumentException(f + " exists; use --force to replace it");
                    }
                }
                for (Map.Entry<String, NpyArray> e : res.entrySet()) {
                    Npy.save(out.resolve(e.getKey() + ".npy"), e.getValue(), true);
                }
                o.printf(Locale.ROOT, "ran %s in %.2f s; wrote %d arrays to %s: %s%n", caseDir,
                        (System.nanoTime() - t0) / 1e9, res.size(), out, String.join(", ", res.keySet()));
                o.flush();
                return 0;
            }
            NetworkConfig c = NetworkConfig.read(config);
            Path h5 = out.resolve("network.h5");
            if (Files.exists(h5) && !force) {
                throw new IllegalArgumentException(h5 + " exists; use --force to replace it");
            }
            ConfiguredRun.Output r = ConfiguredRun.run(c, connectome);
            write(h5, r);
            plots(r);
            NetworkSimulator.Result res = r.result();
            o.printf(Locale.ROOT, "%s network, %d regions, %.1f s simulated in %.2f s (%.1f simulated s per s)%n",
                    r.model(), r.connectome().size(), c.duration() / 1000, r.seconds(),
                    c.duration() / 1000 / r.seconds());
            double[] fcUpper = org.neuroinfer.observe.FunctionalConnectivity.upperTriangle(r.fc());
            o.printf(Locale.ROOT, "FC of %s: mean %.3f, range %.3f .. %.3f%n", r.fcSource(),
                    Arrays.stream(fcUpper).average().orElse(Double.NaN), Arrays.stream(fcUpper).min().orElse(0),
                    Arrays.stream(fcUpper).max().orElse(0));
            o.printf("wrote %s: network.h5, timeseries.png%s, fc.png%n", out, res.bold() != null ? ", bold.png" : "");
            o.flush();
            return 0;
        }

        private void write(Path file, ConfiguredRun.Output r) throws IOException {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
            NetworkSimulator.Result res = r.result();
            try (WritableHdfFile h = HdfFile.write(tmp)) {
                for (int v = 0; v < res.variables().size(); v++) {
                    h.putDataset(res.variables().get(v), res.outputs()[v]);
                }
                h.putDataset("t", res.time());
                if (res.bold() != null) {
                    h.putDataset("BOLD", res.bold());
                    h.putDataset("t_BOLD", res.boldTime());
                }
                h.putDataset("FC", r.fc());
                h.putDataset("region_names", r.connectome().names().toArray(String[]::new));
                h.putAttribute("model", r.model());
                h.putAttribute("fc_of", r.fcSource());
                h.putAttribute("time_unit", "ms");
                h.putAttribute("config", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                        r.config()));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        private void plots(ConfiguredRun.Output r) throws IOException {
            NetworkSimulator.Result res = r.result();
            int shown = Math.min(5, r.connectome().size());
            double[] t = res.time();
            int len = Math.min(t.length, (int) Math.ceil(2000 / (t.length > 1 ? t[1] - t[0] : 1)));
            List<XYChart> charts = new ArrayList<>();
            for (int v = 0; v < res.variables().size(); v++) {
                XYChart ch = Plots.chart(res.variables().get(v) + " of the first " + shown + " regions, first "
                        + Math.round(t[len - 1]) + " ms", "time (ms)", res.variables().get(v));
                ch.getStyler().setXAxisDecimalPattern("0");
                for (int i = 0; i < shown; i++) {
                    Plots.line(ch, r.connectome().names().get(i), Arrays.copyOf(t, len),
                            Arrays.copyOf(res.outputs()[v][i], len), Plots.ramp(i / (double) Math.max(1, shown - 1)));
                }
                charts.add(ch);
            }
            Plots.save(out.resolve("timeseries.png"), charts, 1, true);
            if (res.bold() != null && res.bold()[0].length > 1) {
                XYChart ch = Plots.chart("BOLD (0.5 Hz) of the first " + shown + " regions", "time (s)", "BOLD");
                ch.getStyler().setXAxisDecimalPattern("0");
                double[] tb = Arrays.stream(res.boldTime()).map(x -> x / 1000).toArray();
                for (int i = 0; i < shown; i++) {
                    Plots.line(ch, r.connectome().names().get(i), tb, res.bold()[i],
                            Plots.ramp(i / (double) Math.max(1, shown - 1)));
                }
                Plots.save(out.resolve("bold.png"), List.of(ch), 1, true);
            }
            HeatMap.matrix(out.resolve("fc.png"), "FC of " + r.fcSource() + " (" + r.connectome().size()
                    + " regions)", r.fc(), Math.max(3, 480 / r.connectome().size()), true);
        }
    }
}
