package org.neuroinfer.network.fit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.apache.commons.rng.UniformRandomProvider;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.cases.RunBatches;
import org.neuroinfer.observe.FunctionalConnectivity;
import org.neuroinfer.random.RandomStreams;

/**
 * Simulations for amortised inference on networks: parameters drawn uniformly within bounds, each run with its own
 * noise seed, reduced to the upper triangle of its FC. Run i depends only on (seed, i), so the set is the same on
 * any number of threads.
 *
 * @param names    the drawn parameters
 * @param theta    [simulation][parameter]
 * @param features [simulation][pair]: the FC's upper triangle (NaN where the run diverged)
 */
public record FcSimulations(List<String> names, double[][] theta, float[][] features) {

    /** Draws and runs {@code n} simulations on {@code threads} threads, telling {@code progress} each one. */
    public static FcSimulations run(NetworkConfig base, Connectome con, Map<String, double[]> bounds, int n, long seed,
                                    int threads, IntConsumer progress) throws IOException {
        List<String> names = new ArrayList<>(bounds.keySet());
        double[][] theta = draw(bounds, n, 0, seed);
        return new FcSimulations(names, theta, simulate(base, con, names, theta, 0, threads, progress));
    }

    /** {@code n} parameter sets uniform within {@code bounds}, set j from random stream {@code first + j}. */
    public static double[][] draw(Map<String, double[]> bounds, int n, long first, long seed) {
        List<String> names = new ArrayList<>(bounds.keySet());
        double[][] theta = new double[n][names.size()];
        for (int i = 0; i < n; i++) {
            UniformRandomProvider r = RandomStreams.stream(seed, first + i, RandomStreams.PRIOR);
            for (int j = 0; j < names.size(); j++) {
                double[] b = bounds.get(names.get(j));
                theta[i][j] = b[0] + r.nextDouble() * (b[1] - b[0]);
            }
        }
        return theta;
    }

    /**
     * The FC upper triangles of {@code base} with the parameters {@code names} set to the rows of {@code theta}, run
     * k with noise seed {@code base.seed() + 1 + first + k}; a run that diverged gives a row of NaN.
     */
    public static float[][] simulate(NetworkConfig base, Connectome con, List<String> names, double[][] theta,
                                     long first, int threads, IntConsumer progress) throws IOException {
        int n = theta.length;
        float[][] features = new float[n][];
        List<NetworkConfig> runs = new ArrayList<>();
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            Map<String, Double> v = new LinkedHashMap<>();
            for (int j = 0; j < names.size(); j++) {
                v.put(names.get(j), theta[i][j]);
            }
            runs.add(base.with(v).withSeed(base.seed() + 1 + first + i));
            index[i] = i;
        }
        int pairs = con.size() * (con.size() - 1) / 2;
        RunBatches.run(runs, index, con, threads, (k, run) -> {
            float[] f = new float[pairs];
            try {
                double[] u = FunctionalConnectivity.upperTriangle(run.get().fc());
                for (int p = 0; p < pairs; p++) {
                    f[p] = (float) u[p];
                }
            } catch (ArithmeticException e) { // diverged: dropped and counted by the training
                java.util.Arrays.fill(f, Float.NaN);
            }
            return f;
        }, (k, f) -> {
            features[k] = f;
            progress.accept(1);
        });
        return features;
    }
}
