package org.neuroinfer.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.neuroinfer.integrate.BatchSimulator;
import org.neuroinfer.integrate.Precision;
import org.neuroinfer.integrate.Scheme;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.observe.EvokedRecorder;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.stimulus.Protocol;

/**
 * The Jansen-Rit generation benchmark: full 61-s protocol, forward Euler at 1 ms (deepjr), each recording reduced
 * to its 59-epoch evoked average, parameters uniform over the seed's ranges; and its numpy peer on the same
 * workload.
 */
public final class JansenRitBench {
    /** Name of the peer script, a resource beside this class and a file in the repository. */
    public static final String PEER = "/org/neuroinfer/cli/peer/jr_numpy_peer.py";

    /** One measured run. */
    public record Result(String who, int sims, long steps, double seconds) {
        /** Integration steps per second. */
        public double stepsPerSecond() {
            return steps / seconds;
        }

        /** Full-protocol recordings per second. */
        public double recordingsPerSecond() {
            return sims / seconds;
        }
    }

    private JansenRitBench() {
    }

    /** Uniform draws over the seed's box, as the peer draws them. */
    static double[][] draws(ParameterSpace space, int n) {
        ParameterSpace u = space.withPrior(Prior.UNIFORM);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = u.sample(RandomStreams.stream(0, i));
        }
        return p;
    }

    /**
     * Times the Java engine: warm-up runs (at least 3 and 2 s, until the JIT has compiled the block loop), then
     * the best of {@code repeats} runs of {@code sims}.
     */
    public static Result java(int sims, int threads, int repeats, Precision precision) {
        JansenRit m = new JansenRit(Convention.DEEPJR);
        Protocol protocol = Protocol.benchmark();
        double[][] params = draws(m.parameterSpace(), sims);
        BatchSimulator sim = new BatchSimulator(m, Scheme.EULER, protocol, protocol.dt(), threads, 0)
                .inPrecision(precision);
        double[][] warm = Arrays.copyOf(params, Math.min(sims, 256 * threads));
        long warmStart = System.nanoTime();
        for (int w = 0; w < 3 || System.nanoTime() - warmStart < 2_000_000_000L; w++) {
            sim.run(warm, new EvokedRecorder(m, protocol, EpochWindow.benchmark(), warm.length));
        }
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
            EvokedRecorder ev = new EvokedRecorder(m, protocol, EpochWindow.benchmark(), sims);
            long t0 = System.nanoTime();
            sim.run(params, ev);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return new Result("neuroinfer (" + precision.label() + ", " + threads + " threads)", sims, (long) sims * (protocol.nSamples() - 1),
                best);
    }

    /**
     * {@link #java} in a fresh JVM (this one's executable, options and class path), so that one arithmetic's
     * measurement does not inherit the JIT state another left: on JDK 17, a float32 run after a float64 run in the
     * same JVM could lose its vector code (0.3-0.5x of its speed in a fresh JVM).
     */
    public static Result javaInFreshJvm(int sims, int threads, int repeats, Precision precision) throws IOException,
            InterruptedException {
        Path json = Files.createTempFile("neuroinfer-bench", ".json");
        try {
            List<String> cmd = new java.util.ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.neuroinfer.cli.Main", "bench",
                    "jansen-rit", "--sims", Integer.toString(sims), "--threads", Integer.toString(threads),
                    "--repeats", Integer.toString(repeats), "--precision", precision.label(), "--no-peer", "--json",
                    json.toString(), "--force"));
            PeerScript.output(cmd, java.util.Map.of(), "the " + precision.label() + " run in a fresh JVM");
            JsonNode r = new ObjectMapper().readTree(json.toFile()).path("run").get("results").get(0);
            return new Result(r.get("who").asText(), r.get("sims").asInt(),
                    (long) r.get("sims").asInt() * (Protocol.benchmark().nSamples() - 1), r.get("seconds").asDouble());
        } finally {
            Files.deleteIfExists(json);
        }
    }

    /** Runs the numpy peer script with {@code python} on {@code sims} simulations in the given form. */
    public static Result peer(String python, int sims, String form) throws IOException, InterruptedException {
        JsonNode j = PeerScript.run(python, PEER, Integer.toString(sims), "0", form);
        return new Result("numpy " + j.get("numpy").asText() + " (" + form + ", 1 thread)", j.get("sims").asInt(),
                j.get("steps").asLong(), j.get("seconds").asDouble());
    }

    /**
     * Runs the numba peer of the shared folder ({@code peers/jr_numba_peer.py}: the same deepjr Euler model,
     * {@code njit(parallel, fastmath)}, blocks of 64 recordings per thread, the evoked average accumulated while
     * stepping; compile and warm-up excluded) with {@code python} on {@code threads} threads.
     */
    public static Result numba(String python, Path script, int sims, int threads) throws IOException,
            InterruptedException {
        if (!Files.isRegularFile(script)) {
            throw new IOException("numba peer " + script + " not found");
        }
        String text = PeerScript.output(List.of(python, script.toString(), Integer.toString(sims),
                Integer.toString(threads)), java.util.Map.of(), "numba peer (" + python + ")");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9.eE+-]+) steps/s .*N=(\\d+), ([0-9.]+) s")
                .matcher(text);
        if (!m.find()) {
            throw new IOException("numba peer printed no speed: " + text.strip());
        }
        int n = Integer.parseInt(m.group(2));
        double seconds = Double.parseDouble(m.group(3));
        long steps = Math.round(Double.parseDouble(m.group(1)) * seconds);
        return new Result("numba (" + threads + " threads)", n, steps, seconds);
    }
}
