package org.neuroinfer.integrate;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.neuroinfer.model.BatchModel;
import org.neuroinfer.model.SinglePrecisionEuler;
import org.neuroinfer.numeric.FloatVectorMath;
import org.neuroinfer.numeric.VectorMath;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.stimulus.Protocol;

/**
 * The batch engine: integrates many parameter sets of one model through a protocol, in blocks of lanes that advance
 * together (structure of arrays, SIMD inner loops), blocks spread over threads. Every simulation's result depends
 * only on its parameters, the scheme, the step and (for noise) the seed and its index, never on blocking or threads.
 */
public final class BatchSimulator {
    private static final VectorSpecies<Double> SP = VectorMath.SPECIES;
    private static final VectorSpecies<Float> FSP = FloatVectorMath.SPECIES;
    /** Largest number of lanes advanced together; small enough for the block to stay in L1/L2 cache. */
    public static final int MAX_BLOCK = 64;

    private final BatchModel model;
    private final Scheme scheme;
    private final Protocol protocol;
    private final int substeps;
    private final double h;
    private final int threads;
    private final long seed;
    private final boolean failOnDivergence;
    private final long firstIndex;
    private final Precision precision;

    /**
     * @param dt      integration step in seconds; the sampling interval must be a whole multiple of it
     * @param threads worker threads (results do not depend on it)
     * @param seed    seed of the noise streams (unused for deterministic models)
     */
    public BatchSimulator(BatchModel model, Scheme scheme, Protocol protocol, double dt, int threads, long seed) {
        this(model, scheme, protocol, dt, threads, seed, true, 0, Precision.FLOAT64);
    }

    private BatchSimulator(BatchModel model, Scheme scheme, Protocol protocol, double dt, int threads, long seed,
                           boolean failOnDivergence, long firstIndex, Precision precision) {
        if (!(dt > 0) || Double.isInfinite(dt)) {
            throw new IllegalArgumentException("integration step dt must be a positive finite number of seconds, got "
                    + dt);
        }
        double ratio = protocol.dt() / dt;
        long m = Math.round(ratio);
        if (m < 1 || Math.abs(ratio - m) > 1e-9 * ratio) {
            throw new IllegalArgumentException("integration step dt = " + dt + " s must divide the sampling interval "
                    + protocol.dt() + " s into a whole number of steps (valid: " + protocol.dt() + " / n, n >= 1)");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.model = model;
        this.scheme = scheme;
        this.protocol = protocol;
        this.substeps = (int) m;
        this.h = protocol.dt() / m;
        this.threads = threads;
        this.seed = seed;
        this.failOnDivergence = failOnDivergence;
        this.firstIndex = firstIndex;
        this.precision = precision;
    }

    /**
     * The same simulator, but a simulation whose state becomes non-finite no longer stops the run: it is reported
     * by {@link #run} and the others go on (for data sets drawn from priors with unstable corners).
     */
    public BatchSimulator continuingOnDivergence() {
        return new BatchSimulator(model, scheme, protocol, h, threads, seed, false, firstIndex, precision);
    }

    /**
     * The same simulator with row i of the parameters taking the noise stream of simulation {@code first + i}, so a
     * large run split into pieces draws the same noise as in one piece.
     */
    public BatchSimulator indexedFrom(long first) {
        return new BatchSimulator(model, scheme, protocol, h, threads, seed, failOnDivergence, first, precision);
    }

    /**
     * The same simulator in the given arithmetic. Single precision keeps the state in {@code float} between steps
     * and hands recorders its values widened to {@code double}; a recording still depends only on its own
     * parameters (and noise stream), never on blocking or threads.
     *
     * @throws IllegalArgumentException if single precision is asked of a scheme other than Euler or of a model
     *                                  without a single-precision kernel
     */
    public BatchSimulator inPrecision(Precision p) {
        if (p == Precision.FLOAT32 && !(model instanceof SinglePrecisionEuler)) {
            throw new IllegalArgumentException("precision: float32 is available for jansen-rit only; valid for "
                    + model.name() + ": float64");
        }
        if (p == Precision.FLOAT32 && scheme.stages() != 1) {
            throw new IllegalArgumentException("precision: float32 integrates with euler only; method "
                    + scheme.name() + " needs float64");
        }
        return new BatchSimulator(model, scheme, protocol, h, threads, seed, failOnDivergence, firstIndex, p);
    }

    /** The arithmetic of the simulation. */
    public Precision precision() {
        return precision;
    }

    /** Lanes advanced together for {@code n} simulations: a whole number of the arithmetic's vectors. */
    private int pad(int n) {
        return precision == Precision.FLOAT32 ? FloatVectorMath.padToSpecies(n) : VectorMath.padToSpecies(n);
    }

    /** Integration steps per output sample. */
    public int substeps() {
        return substeps;
    }

    /** The integration step actually used (sampling interval / substeps). */
    public double step() {
        return h;
    }

    /** The model being integrated. */
    public BatchModel model() {
        return model;
    }

    /** The protocol being simulated. */
    public Protocol protocol() {
        return protocol;
    }

    /** Simulates every row of {@code params} and feeds the states to {@code recorder}; see below. */
    public int[] run(double[][] params, Recorder recorder) {
        return run(params, recorder, done -> { });
    }

    /**
     * Simulates every row of {@code params} (model parameter order) and feeds the states to {@code recorder}.
     *
     * @param progress called with the number of simulations of each finished block (from worker threads)
     * @return the indices of the simulations that diverged, ascending (always empty unless
     *         {@link #continuingOnDivergence()}); their recordings hold non-finite values
     * @throws DivergenceException for the lowest-indexed simulation that produced a non-finite state
     */
    public int[] run(double[][] params, Recorder recorder, IntConsumer progress) {
        int n = params.length;
        java.util.Set<Integer> diverged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        if (n == 0) {
            return new int[0];
        }
        int per = (n + threads - 1) / threads;
        int block = Math.min(MAX_BLOCK, pad(per));
        int nBlocks = (n + block - 1) / block;
        double[] input = protocol.input();
        if (threads == 1 || nBlocks == 1) {
            for (int b = 0; b < nBlocks; b++) {
                int first = b * block;
                int count = Math.min(block, n - first);
                runBlock(params, first, count, input, recorder, diverged);
                progress.accept(count);
            }
            return sorted(diverged);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, nBlocks), r -> {
            Thread t = new Thread(r, "neuroinfer-sim");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(nBlocks);
            for (int b = 0; b < nBlocks; b++) {
                int first = b * block;
                int count = Math.min(block, n - first);
                futures.add(pool.submit(() -> {
                    runBlock(params, first, count, input, recorder, diverged);
                    progress.accept(count);
                }));
            }
            RuntimeException firstError = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (firstError == null) {
                        Throwable c = e.getCause();
                        firstError = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                        for (Future<?> g : futures) {
                            g.cancel(true);
                        }
                    }
                } catch (java.util.concurrent.CancellationException ignored) {
                    // cancelled after an earlier block failed
                }
            }
            if (firstError != null) {
                throw firstError;
            }
            return sorted(diverged);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("simulation interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] sorted(java.util.Set<Integer> set) {
        return set.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private void runBlock(double[][] params, int first, int count, double[] input, Recorder recorder,
                          java.util.Set<Integer> diverged) {
        final int lanes = pad(count);
        final int dim = model.stateDimension();
        final double[] coeffs = new double[model.coefficientCount() * lanes];
        for (int l = 0; l < lanes; l++) {
            // padding lanes repeat the last simulation; lanes never interact
            model.coefficients(params[first + Math.min(l, count - 1)], coeffs, l, lanes);
        }
        final double[] y = new double[dim * lanes];
        final double[] g = new double[dim * lanes];
        final boolean noisy = model.diffusion(coeffs, g, lanes);
        if (noisy && !scheme.supportsNoise()) {
            throw new IllegalArgumentException("integration method " + scheme.name()
                    + " does not integrate noisy input; use euler (Euler-Maruyama) or heun (stochastic Heun)");
        }
        double[] noise = null;
        int[] noisyRows = new int[0];
        NormalizedGaussianSampler[] normals = null;
        if (noisy) {
            noise = new double[dim * lanes];
            noisyRows = noisyRows(g, dim, lanes);
            double sq = Math.sqrt(h);
            for (int i = 0; i < g.length; i++) {
                g[i] *= sq;
            }
            normals = new NormalizedGaussianSampler[lanes];
            for (int l = 0; l < lanes; l++) {
                normals[l] = ZigguratSampler.NormalizedGaussian.of(
                        RandomStreams.stream(seed, firstIndex + first + Math.min(l, count - 1), RandomStreams.NOISE));
            }
        }
        final Advance advance = precision == Precision.FLOAT32
                ? new SinglePrecisionAdvance((SinglePrecisionEuler) model, h, y, coeffs, lanes)
                : new DoublePrecisionAdvance(new BatchStepper(model, scheme, lanes), h, y, coeffs);
        final boolean[] dead = new boolean[lanes];
        Recorder.Block rec = recorder.open(first, count, lanes);
        final int[] rows = recorder.rows();
        final boolean outputOnly = recorder.outputOnly();
        final double[] out = outputOnly ? new double[lanes] : null;
        rec.record(0, y);
        final int nSamples = protocol.nSamples();
        final double sdt = protocol.dt();
        for (int k = 1; k < nSamples; k++) {
            if (Thread.interrupted()) {
                throw new IllegalStateException("simulation cancelled");
            }
            double u = input[k - 1];
            double t0 = (k - 1) * sdt;
            for (int s = 0; s < substeps; s++) {
                if (noisy) {
                    for (int row : noisyRows) {
                        int off = row * lanes;
                        for (int l = 0; l < lanes; l++) {
                            noise[off + l] = g[off + l] * normals[l].sample();
                        }
                    }
                }
                advance.step(t0 + s * h, u, noise);
            }
            boolean check = advance.mayHoldNonFinite();
            if (outputOnly && !check) { // the output straight from the engine's own state
                advance.output(out);
                rec.recordOutput(k, out);
                continue;
            }
            advance.publish(check ? null : rows);
            int bad;
            while (check && (bad = firstNonFinite(y, dim, lanes, count, dead)) >= 0) {
                if (failOnDivergence) {
                    throw new DivergenceException(first + bad, k, (long) k * substeps, protocol.time(k),
                            model.parameterSpace().names(), params[first + bad], h);
                }
                dead[bad] = true;
                diverged.add(first + bad);
            }
            rec.record(k, y);
        }
        rec.close();
    }

    /** One block's state advanced step by step in one arithmetic; {@link #publish} makes y current. */
    private interface Advance {
        void step(double t, double u, double[] noise);

        /** Makes rows {@code rows} of y current (null: all). */
        void publish(int[] rows);

        /** False only when every state is surely finite (a quick test in the arithmetic's own lanes). */
        boolean mayHoldNonFinite();

        /**
         * The model's output of every lane from the current state, without making y current; asked only when
         * {@link #mayHoldNonFinite} is false.
         */
        void output(double[] out);
    }

    /** Double precision: the stepper works on y itself. */
    private record DoublePrecisionAdvance(BatchStepper stepper, double h, double[] y, double[] coeffs)
            implements Advance {
        @Override
        public void step(double t, double u, double[] noise) {
            stepper.step(t, h, u, y, coeffs, noise);
        }

        @Override
        public void publish(int[] rows) {
        }

        @Override
        public boolean mayHoldNonFinite() {
            return true;
        }

        @Override
        public void output(double[] out) {
            // never asked: the state may always hold a non-finite value here, so the loop tests y and records it
            throw new UnsupportedOperationException("the double path records its state itself");
        }
    }

    /** Single precision: the state lives in floats, widened into y once per output sample. */
    private static final class SinglePrecisionAdvance implements Advance {
        private final SinglePrecisionEuler model;
        private final float h;
        private final double[] y;
        private final float[] state;
        private final float[] coeffs;
        private final float[] noise;
        private final int lanes;
        private boolean mayHoldNonFinite;

        SinglePrecisionAdvance(SinglePrecisionEuler model, double h, double[] y, double[] coeffs, int lanes) {
            this.model = model;
            this.h = (float) h;
            this.y = y;
            this.lanes = lanes;
            this.state = new float[y.length];
            for (int i = 0; i < y.length; i++) {
                state[i] = (float) y[i];
            }
            this.coeffs = new float[coeffs.length];
            for (int i = 0; i < coeffs.length; i++) {
                this.coeffs[i] = (float) coeffs[i];
            }
            this.noise = new float[y.length];
        }

        @Override
        public void step(double t, double u, double[] dW) {
            float[] nz = null;
            if (dW != null) {
                for (int i = 0; i < dW.length; i++) {
                    noise[i] = (float) dW[i];
                }
                nz = noise;
            }
            mayHoldNonFinite = model.eulerStep(h, state, coeffs, (float) u, nz, lanes);
        }

        @Override
        public void publish(int[] rows) {
            if (rows == null) {
                widen(0, state.length);
                return;
            }
            for (int r : rows) {
                widen(r * lanes, (r + 1) * lanes);
            }
        }

        private void widen(int from, int to) {
            // a vector of floats as wide in lanes as a vector of doubles, converted in one instruction (a scalar
            // loop here was 14 % of a float32 run: JDK 17 does not vectorise the conversion)
            // (a float species of the doubles' lane count, half as wide, took the Vector API's slow path on JDK 17)
            int len = FSP.length();
            int half = SP.length();
            int i = from;
            for (; i + len <= to && 2 * half == len; i += len) {
                FloatVector f = FloatVector.fromArray(FSP, state, i);
                ((DoubleVector) f.convertShape(VectorOperators.F2D, SP, 0)).intoArray(y, i);
                ((DoubleVector) f.convertShape(VectorOperators.F2D, SP, 1)).intoArray(y, i + half);
            }
            for (; i < to; i++) {
                y[i] = state[i];
            }
        }

        @Override
        public boolean mayHoldNonFinite() {
            return mayHoldNonFinite; // tested by the model while it wrote the state (the last step's)
        }

        @Override
        public void output(double[] out) {
            model.output(state, out, lanes);
        }
    }

    private static int[] noisyRows(double[] g, int dim, int lanes) {
        return java.util.stream.IntStream.range(0, dim).filter(i -> {
            for (int l = 0; l < lanes; l++) {
                if (g[i * lanes + l] != 0) {
                    return true;
                }
            }
            return false;
        }).toArray();
    }

    /** The first lane (below {@code count}, not yet {@code dead}) with a NaN or infinite state, or -1. */
    private static int firstNonFinite(double[] y, int dim, int lanes, int count, boolean[] dead) {
        final int len = SP.length();
        for (int l = 0; l < lanes; l += len) {
            DoubleVector acc = DoubleVector.fromArray(SP, y, l);
            for (int i = 1; i < dim; i++) {
                acc = acc.add(DoubleVector.fromArray(SP, y, i * lanes + l));
            }
            // x - x is 0 for finite x and NaN for NaN or infinity
            if (acc.sub(acc).compare(VectorOperators.NE, 0.0).anyTrue()) {
                for (int j = l; j < Math.min(l + len, count); j++) {
                    if (dead[j]) {
                        continue;
                    }
                    for (int i = 0; i < dim; i++) {
                        if (!Double.isFinite(y[i * lanes + j])) {
                            return j;
                        }
                    }
                }
            }
        }
        return -1;
    }
}
