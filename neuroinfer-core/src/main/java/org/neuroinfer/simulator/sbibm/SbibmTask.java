package org.neuroinfer.simulator.sbibm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.param.Parameter;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.param.Prior;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.simulator.Simulator;

/**
 * One task of sbibm (Lueckmann et al. 2021, AISTATS, PMLR 130:343): a prior and a simulator as the reference's
 * README defines them, on the {@link Simulator} contract the brain models use, so every estimator and diagnostic
 * works on it unchanged. Prior draw j comes from stream (seed, first + j, prior), simulation k from stream
 * (seed, first + k, simulation): a batch equals its rows made one at a time, on any number of threads. The task's
 * folder of the reference ({@code reference/sbibm/TASK}) holds its observations and reference posteriors and, for
 * some tasks, fixed arrays the simulator reads (design matrix, distractor mixture, permutation, times).
 */
public abstract class SbibmTask implements Simulator {
    /** The random stream of a simulation's draws (the prior's is {@link RandomStreams#PRIOR}). */
    public static final long SIMULATION = 101;

    private final String name;
    private final Path folder;
    private final long seed;
    private final ParameterSpace parameters;
    private final int dimData;

    SbibmTask(String name, Path folder, long seed, ParameterSpace parameters, int dimData) {
        this.name = name;
        this.folder = folder;
        this.seed = seed;
        this.parameters = parameters;
        this.dimData = dimData;
    }

    /** The task's sbibm name. */
    public String name() {
        return name;
    }

    @Override
    public String id() {
        return "sbibm:" + name + ":seed=" + seed;
    }

    @Override
    public ParameterSpace parameters() {
        return parameters;
    }

    @Override
    public int[] shape() {
        return new int[] {dimData};
    }

    @Override
    public double[][] drawPrior(int n, long first) {
        double[][] theta = new double[n][];
        for (int j = 0; j < n; j++) {
            theta[j] = prior(RandomStreams.stream(seed, first + j, RandomStreams.PRIOR));
        }
        return theta;
    }

    @Override
    public float[][] simulate(double[][] theta, long first) {
        float[][] x = new float[theta.length][];
        IntStream.range(0, theta.length).parallel().forEach(k -> {
            if (theta[k].length != parameters.size()) {
                throw new IllegalArgumentException(name + ": a parameter set has " + parameters.size()
                        + " values, got " + theta[k].length);
            }
            double[] v = simulate(theta[k], RandomStreams.stream(seed, first + k, SIMULATION));
            float[] row = new float[dimData];
            for (int i = 0; i < dimData; i++) {
                row[i] = (float) v[i];
            }
            x[k] = row;
        });
        return x;
    }

    /** One draw from the prior. */
    abstract double[] prior(UniformRandomProvider rng);

    /** One simulation at {@code theta}; NaN where the simulator failed (an ODE that could not be solved). */
    abstract double[] simulate(double[] theta, UniformRandomProvider rng);

    /** Observation {@code k} (1-based, as sbibm numbers them), as sbibm's float32 values. */
    public float[] observation(int k) throws IOException {
        return floats(file("observation_" + k + ".npy"));
    }

    /** An observation file's values as float32, as sbibm reads them. */
    public static float[] floats(Path file) throws IOException {
        double[] v = Npy.load(file).data();
        float[] x = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = (float) v[i];
        }
        return x;
    }

    /** The parameters that generated observation {@code k}. */
    public double[] trueParameters(int k) throws IOException {
        return Npy.load(file("true_parameters_" + k + ".npy")).data();
    }

    /** The 10,000 reference posterior samples of observation {@code k} [10000][dim θ]. */
    public double[][] referencePosterior(int k) throws IOException {
        return Npy.load(file("reference_posterior_" + k + ".npy")).rows();
    }

    /** A file of the task's folder, refused naming it when it is missing. */
    Path file(String f) {
        Path p = folder.resolve(f);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(name + ": " + p + " is missing (the sbibm reference folder, "
                    + "reference/sbibm/" + name + ")");
        }
        return p;
    }

    /** An array of the task's folder. */
    NpyArray array(String f) {
        try {
            return Npy.load(file(f));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Parameters named {@code prefix}1..d (or {@code names}) with one prior family and bounds each. */
    static ParameterSpace space(List<String> names, String unit, double[] lower, double[] upper, Prior prior) {
        List<Parameter> ps = new ArrayList<>();
        for (int j = 0; j < names.size(); j++) {
            double mid = prior == Prior.LOG_NORMAL ? Math.sqrt(lower[j] * upper[j]) : 0.5 * (lower[j] + upper[j]);
            ps.add(new Parameter(names.get(j), unit, mid, lower[j], upper[j], prior, "sbibm parameter "
                    + names.get(j)));
        }
        return new ParameterSpace(ps);
    }

    /** theta_1 .. theta_d. */
    static List<String> numbered(int d) {
        List<String> n = new ArrayList<>();
        for (int j = 1; j <= d; j++) {
            n.add("theta_" + j);
        }
        return n;
    }

    /** {@code d} copies of {@code v}. */
    static double[] filled(int d, double v) {
        double[] a = new double[d];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
