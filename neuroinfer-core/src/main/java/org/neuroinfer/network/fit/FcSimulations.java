package org.neuroinfer.network.fit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import org.apache.commons.rng.UniformRandomProvider;
import org.neuroinfer.network.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.cases.ConfiguredRun;
import org.neuroinfer.observe.FunctionalConnectivity;
import org.neuroinfer.random.RandomStreams;

/**
 * Simulations for amortised inference on networks: parameters drawn uniformly within bounds, each run with its own
 * noise seed, reduced to the upper triangle of its FC; runs share simulations as lanes, several at a time. Run i
 * depends only on (seed, i), so the set is the same on any number of threads.
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
        double[][] theta = new double[n][names.size()];
        for (int i = 0; i < n; i++) {
            UniformRandomProvider r = RandomStreams.stream(seed, i, RandomStreams.PRIOR);
            for (int j = 0; j < names.size(); j++) {
                double[] b = bounds.get(names.get(j));
                theta[i][j] = b[0] + r.nextDouble() * (b[1] - b[0]);
            }
        }
        float[][] features = new float[n][];
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        int pairs = con.size() * (con.size() - 1) / 2;
        try {
            List<Future<List<ConfiguredRun.Attempt>>> fs = new ArrayList<>();
            for (int from = 0; from < n; from += ConfiguredRun.LANES) {
                List<NetworkConfig> group = new ArrayList<>();
                for (int k = from; k < Math.min(n, from + ConfiguredRun.LANES); k++) {
                    Map<String, Double> v = new LinkedHashMap<>();
                    for (int j = 0; j < names.size(); j++) {
                        v.put(names.get(j), theta[k][j]);
                    }
                    group.add(base.with(v).withSeed(base.seed() + 1 + k));
                }
                fs.add(pool.submit(() -> ConfiguredRun.runEach(group, con)));
            }
            int k = 0;
            for (Future<List<ConfiguredRun.Attempt>> f : fs) {
                for (ConfiguredRun.Attempt a : f.get()) {
                    float[] x = new float[pairs];
                    if (a.output() == null) { // diverged: dropped and counted by the training
                        java.util.Arrays.fill(x, Float.NaN);
                    } else {
                        double[] u = FunctionalConnectivity.upperTriangle(a.output().fc());
                        for (int p = 0; p < pairs; p++) {
                            x[p] = (float) u[p];
                        }
                    }
                    features[k++] = x;
                    progress.accept(1);
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        return new FcSimulations(names, theta, features);
    }
}
