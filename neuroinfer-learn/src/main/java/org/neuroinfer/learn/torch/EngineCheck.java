package org.neuroinfer.learn.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The engine's self-check: tiny fixed computations of every block kind the project uses, each done by libtorch and
 * in double precision in Java, compared element by element. A native kernel that computes wrong numbers on the
 * machine at hand (as oneDNN's AVX-512 LSTM inference kernel did for some widths) is caught before any training or
 * inference; a known remedy is applied and the check repeated, and if it still fails the process stops with a
 * message naming the block, the CPU and what to set.
 */
public final class EngineCheck {
    /**
     * The largest accepted deviation |engine − reference| / (1 + |reference|). float32 rounding of these tiny
     * computations stays below 1e-6; the faults seen are 1e-3 to 1e-1.
     */
    public static final double TOLERANCE = 1e-5;

    private EngineCheck() {
    }

    /** A fixed computation done by the engine beside its evaluation in double precision. */
    public interface Probe {
        /** The block kind it exercises, e.g. {@code lstm (inference)}. */
        String name();

        /** Runs it: {engine's values, double-precision reference}, of equal length. */
        double[][] run(NDManager manager);
    }

    /**
     * A setting applied in-process that may make failing probes right.
     *
     * @param name   what it does, as the report and the error message say it
     * @param target the probes it concerns: those whose name starts with this
     * @param apply  applies it
     */
    public record Remedy(String name, String target, Runnable apply) {
        boolean concerns(String probe) {
            return probe.startsWith(target);
        }
    }

    /**
     * What a check found.
     *
     * @param deviations the largest relative deviation of each probe, in the order run (after any remedy)
     * @param remedies   the remedies applied, in order
     * @param millis     wall time of the whole check
     */
    public record Report(Map<String, Double> deviations, List<String> remedies, double millis) {
        /** One line, e.g. {@code 8 probes, worst 2.1e-07 (attention), no remedy, 41 ms}. */
        public String summary() {
            Map.Entry<String, Double> worst = deviations.entrySet().stream().max(Map.Entry.comparingByValue())
                    .orElse(Map.entry("none", 0.0));
            return String.format(Locale.ROOT, "%d probes, worst %.1e (%s), %s, %.0f ms", deviations.size(),
                    worst.getValue(), worst.getKey(), remedies.isEmpty() ? "no remedy"
                            : "remedies: " + String.join(", ", remedies), millis);
        }
    }

    /** A probe's worst element. */
    private record Deviation(String probe, int index, double engine, double reference, double relative) {
        String describe() {
            return String.format(Locale.ROOT, "%s: element %d is %.9g where double precision gives %.9g "
                    + "(relative deviation %.2e)", probe, index, engine, reference, relative);
        }
    }

    /**
     * Runs {@code probes} on {@code engine}; while some fail, applies the first unused remedy concerning one of
     * them and runs them all again.
     *
     * @throws IllegalStateException naming every failing probe, the CPU, the remedies tried and what to set, if
     *                               the probes still fail when no remedy is left
     */
    public static Report run(Engine engine, List<Probe> probes, List<Remedy> remedies) {
        long start = System.nanoTime();
        List<Remedy> left = new ArrayList<>(remedies);
        List<String> applied = new ArrayList<>();
        while (true) {
            Map<String, Double> worst = new LinkedHashMap<>();
            List<Deviation> failed = new ArrayList<>();
            try (NDManager m = engine.newBaseManager()) {
                for (Probe p : probes) {
                    Deviation d = deviation(p, m);
                    worst.put(p.name(), d.relative());
                    if (!(d.relative() <= TOLERANCE)) {
                        failed.add(d);
                    }
                }
            }
            if (failed.isEmpty()) {
                return new Report(worst, List.copyOf(applied), (System.nanoTime() - start) / 1e6);
            }
            Remedy next = left.stream().filter(r -> failed.stream().anyMatch(d -> r.concerns(d.probe())))
                    .findFirst().orElse(null);
            if (next == null) {
                throw new IllegalStateException(message(failed, applied));
            }
            next.apply().run();
            left.remove(next);
            applied.add(next.name());
        }
    }

    private static Deviation deviation(Probe p, NDManager m) {
        double[][] r;
        try (NDManager sub = m.newSubManager()) {
            r = p.run(sub);
        }
        if (r[0].length != r[1].length) {
            return new Deviation(p.name(), -1, r[0].length, r[1].length, Double.POSITIVE_INFINITY);
        }
        int i = worst(r[0], r[1]);
        return i < 0 ? new Deviation(p.name(), 0, 0, 0, 0)
                : new Deviation(p.name(), i, r[0][i], r[1][i], relative(r[0][i], r[1][i]));
    }

    /** The deviation the check and saved models' fingerprints measure: |got − want| / (1 + |want|), NaN as ∞. */
    public static double relative(double got, double want) {
        double d = Math.abs(got - want) / (1 + Math.abs(want));
        return Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
    }

    /** The index of the largest {@link #relative} deviation of {@code got} from {@code want}; -1 if empty. */
    public static int worst(double[] got, double[] want) {
        int at = -1;
        double dev = -1;
        for (int i = 0; i < got.length; i++) {
            double d = relative(got[i], want[i]);
            if (d > dev) {
                dev = d;
                at = i;
            }
        }
        return at;
    }

    private static String message(List<Deviation> failed, List<String> applied) {
        String isa = System.getenv("DNNL_MAX_CPU_ISA");
        String set = isa == null || !isa.equalsIgnoreCase("AVX2") ? "DNNL_MAX_CPU_ISA=AVX2"
                : "DNNL_MAX_CPU_ISA=SSE41";
        return "the PyTorch engine computes wrong numbers on this machine (tolerance " + TOLERANCE + "):\n  "
                + failed.stream().map(Deviation::describe).collect(Collectors.joining("\n  ")) + "\n"
                + (applied.isEmpty() ? "No in-process remedy is known for this." : "Tried: "
                + String.join(", ", applied) + ".") + "\nCPU: " + cpu() + "; DNNL_MAX_CPU_ISA is "
                + (isa == null ? "unset" : isa) + ".\nSet " + set + " in the environment (it keeps libtorch's oneDNN "
                + "kernels to an older instruction set) and run again; if this check still fails, report this "
                + "message.";
    }

    /**
     * The CPU as Linux describes it: model name, family and model, and its widest vector extensions; the
     * architecture alone elsewhere.
     */
    public static String cpu() {
        return Cpu.NAME;
    }

    /** The CPU's description, read once. */
    private static final class Cpu {
        static final String NAME = describe();
    }

    private static String describe() {
        String arch = System.getProperty("os.arch");
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String name = field(lines, "model name");
            String family = field(lines, "cpu family");
            String model = field(lines, "model");
            String flags = field(lines, "flags");
            String vector = flags == null ? "" : List.of(flags.split(" ")).stream()
                    .filter(f -> f.startsWith("avx512") || f.equals("avx2") || f.startsWith("avx_vnni")
                            || f.startsWith("amx")).sorted().collect(Collectors.joining(" "));
            return (name == null ? arch : name) + (family == null ? "" : " (family " + family + ", model " + model
                    + ")") + (vector.isEmpty() ? "" : ", " + vector);
        } catch (IOException | RuntimeException e) {
            return arch;
        }
    }

    private static String field(List<String> lines, String key) {
        for (String l : lines) {
            int c = l.indexOf(':');
            if (c > 0 && l.substring(0, c).trim().equals(key)) {
                return l.substring(c + 1).trim();
            }
        }
        return null;
    }
}
