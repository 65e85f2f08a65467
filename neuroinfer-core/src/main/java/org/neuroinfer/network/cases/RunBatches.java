package org.neuroinfer.network.cases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;

/**
 * Runs many network configurations (a grid exploration, simulations for posterior estimation) on a pool of
 * threads. When there are at least {@link #LANES} runs per thread, consecutive runs that can share a loop
 * ({@link ConfiguredRun#laneCompatible}) go as groups of {@link #LANES} lanes ({@link ConfiguredRun#lanes}), which
 * raises the runs per core; the others run alone. Every run gives the same bits either way.
 */
public final class RunBatches {
    /** Runs per shared loop: one 512-bit vector of doubles. */
    public static final int LANES = 8;

    private RunBatches() {
    }

    /** What is kept of a run: computed on the pool from the run's output (whose get() may throw its divergence). */
    public interface Each<T> {
        /** The value kept of run {@code index}. */
        T apply(int index, Supplier<ConfiguredRun.Output> output);
    }

    /** Told each run's value on the calling thread, in the order of the runs. */
    public interface Done<T> {
        /** Run {@code index} gave {@code value}. */
        void accept(int index, T value) throws IOException;
    }

    /**
     * Runs {@code configs} (their indices {@code index[k]}) on connectome {@code con}.
     *
     * @throws IOException for an unreadable input of a run, or when interrupted
     */
    public static <T> void run(List<NetworkConfig> configs, int[] index, Connectome con, int threads, Each<T> each,
                               Done<T> done) throws IOException {
        int pool = Math.max(1, threads);
        boolean share = configs.size() >= LANES * pool;
        List<int[]> groups = new ArrayList<>();
        for (int k = 0; k < configs.size(); ) {
            int end = k + 1;
            while (share && end < configs.size() && end - k < LANES
                    && ConfiguredRun.laneCompatible(configs.get(k), configs.get(end))) {
                end++;
            }
            if (end - k < LANES) { // a short group would run its lanes slower than alone
                end = k + 1;
            }
            int[] g = new int[end - k];
            for (int m = 0; m < g.length; m++) {
                g[m] = k + m;
            }
            groups.add(g);
            k = end;
        }
        ExecutorService exec = Executors.newFixedThreadPool(pool);
        try {
            List<Future<List<T>>> futures = new ArrayList<>();
            for (int[] g : groups) {
                futures.add(exec.submit(() -> {
                    List<T> out = new ArrayList<>();
                    if (g.length == 1) {
                        NetworkConfig c = configs.get(g[0]);
                        out.add(each.apply(index[g[0]], () -> {
                            try {
                                return ConfiguredRun.run(c, con);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }));
                        return out;
                    }
                    List<NetworkConfig> lane = new ArrayList<>();
                    for (int k : g) {
                        lane.add(configs.get(k));
                    }
                    List<Supplier<ConfiguredRun.Output>> outputs = ConfiguredRun.lanes(lane, con, 1);
                    for (int m = 0; m < g.length; m++) {
                        out.add(each.apply(index[g[m]], outputs.get(m)));
                    }
                    return out;
                }));
            }
            for (int q = 0; q < groups.size(); q++) {
                List<T> values = futures.get(q).get();
                for (int m = 0; m < values.size(); m++) {
                    done.accept(index[groups.get(q)[m]], values.get(m));
                }
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            exec.shutdownNow();
        }
    }
}
