package org.neuroinfer.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.fit.FcSimulations;
import org.neuroinfer.param.Parameter;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;

/**
 * A whole-brain network observed through its functional connectivity: θ the network parameters named in the
 * bounds, uniform over them; x the upper triangle of the FC (Pearson correlation of BOLD, or of the activity when
 * the network runs without BOLD) — the features of amortised network inference.
 */
public final class NetworkFc implements Simulator {
    private final NetworkConfig base;
    private final Connectome connectome;
    private final Map<String, double[]> bounds;
    private final List<String> names;
    private final long seed;
    private final int threads;

    /**
     * @param base       the network, every parameter not in {@code bounds} fixed at its value here
     * @param connectome the structural connectome it runs on
     * @param bounds     the inferred parameters and their uniform prior's [low, high]
     * @param seed       seed of the prior draws (the run noise follows {@code base.seed()})
     * @param threads    threads sharing the runs (the result does not depend on it)
     */
    public NetworkFc(NetworkConfig base, Connectome connectome, Map<String, double[]> bounds, long seed,
                     int threads) {
        if (bounds.isEmpty()) {
            throw new IllegalArgumentException("bounds: name at least one parameter to infer");
        }
        for (var e : bounds.entrySet()) {
            double[] b = e.getValue();
            if (b.length != 2 || !(b[0] < b[1]) || !Double.isFinite(b[0]) || !Double.isFinite(b[1])) {
                throw new IllegalArgumentException("bounds of " + e.getKey() + ": give finite [low, high] with "
                        + "low < high");
            }
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.base = base;
        this.connectome = connectome;
        this.bounds = bounds;
        this.names = new ArrayList<>(bounds.keySet());
        this.seed = seed;
        this.threads = threads;
    }

    @Override
    public String id() {
        StringBuilder b = new StringBuilder(base.toString()).append('\n').append(seed);
        bounds.forEach((k, v) -> b.append('\n').append(k).append(' ').append(v[0]).append(' ').append(v[1]));
        b.append('\n').append(Checksums.sha256(List.of(connectome.weights(), connectome.lengths())));
        return "network-fc:" + Checksums.sha256(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public ParameterSpace parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (String n : names) {
            double[] b = bounds.get(n);
            ps.add(new Parameter(n, "1", 0.5 * (b[0] + b[1]), b[0], b[1], Prior.UNIFORM, "network parameter " + n));
        }
        return new ParameterSpace(ps);
    }

    @Override
    public int[] shape() {
        int n = connectome.size();
        return new int[] {n * (n - 1) / 2};
    }

    @Override
    public double[][] drawPrior(int n, long first) {
        return FcSimulations.draw(bounds, n, first, seed);
    }

    @Override
    public float[][] simulate(double[][] theta, long first) {
        return simulate(theta, first, k -> { });
    }

    /** As {@link #simulate(double[][], long)}, telling {@code progress} each run finished. */
    public float[][] simulate(double[][] theta, long first, java.util.function.IntConsumer progress) {
        try {
            return FcSimulations.simulate(base, connectome, names, theta, first, threads, progress);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
