package org.neuroinfer.sensitivity;

import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.neuroinfer.integrate.BatchSimulator;
import org.neuroinfer.integrate.Scheme;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.observe.EvokedRecorder;
import org.neuroinfer.param.Parameter;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.stimulus.Protocol;

/**
 * Runs the Jansen-Rit ERP as the model of a global sensitivity analysis: unit-cube rows become parameter sets (the
 * analysed parameters through their prior quantiles, or uniformly over default ± span; the others at their
 * defaults), simulated by the batch engine in chunks that bound memory, observed, and reduced to the scalar
 * {@link ErpFeatures} followed by the ERP at every {@code stride}-th time sample (for time-resolved indices).
 */
public final class GlobalAnalysis {
    /** Rows simulated per chunk. */
    static final int CHUNK = 4096;

    private GlobalAnalysis() {
    }

    /** Times (s) of the time-resolved outputs. */
    public static double[] resolvedTimes(int stride) {
        double[] all = EpochWindow.benchmark().times(Protocol.benchmark().sfreq());
        return java.util.stream.IntStream.iterate(0, i -> i < all.length, i -> i + stride).mapToDouble(i -> all[i])
                .toArray();
    }

    /** The model: rows [n][k] in the unit cube to outputs [features + times][n]. */
    public static Function<double[][], double[][]> model(JansenRit jr, List<String> names,
                                                         OneAtATime.Range range, double span,
                                                         OneAtATime.Observer observe, int stride, int threads,
                                                         IntConsumer progress) {
        ParameterSpace space = jr.parameterSpace();
        int[] index = names.stream().mapToInt(space::indexOf).toArray();
        Protocol protocol = Protocol.benchmark();
        EpochWindow w = EpochWindow.benchmark();
        double[] time = w.times(protocol.sfreq());
        int nf = ErpFeatures.NAMES.size();
        int nt = resolvedTimes(stride).length;
        return rows -> {
            double[][] out = new double[nf + nt][rows.length];
            BatchSimulator sim = new BatchSimulator(jr, Scheme.EULER, protocol, protocol.dt(), threads, 0);
            for (int c0 = 0; c0 < rows.length; c0 += CHUNK) {
                int c1 = Math.min(rows.length, c0 + CHUNK);
                double[][] params = new double[c1 - c0][];
                for (int i = c0; i < c1; i++) {
                    double[] p = space.defaults();
                    for (int j = 0; j < index.length; j++) {
                        Parameter q = space.get(index[j]);
                        double u = Math.min(Math.max(rows[i][j], 1e-12), 1 - 1e-12);
                        p[index[j]] = range == OneAtATime.Range.PRIOR ? q.prior().quantile(u, q.lower(), q.upper())
                                : q.defaultValue() * (1 - span + 2 * span * u);
                    }
                    params[i - c0] = p;
                }
                EvokedRecorder ev = new EvokedRecorder(jr, protocol, w, params.length);
                sim.run(params, ev, progress);
                final int base = c0;
                java.util.stream.IntStream.range(0, params.length).parallel().forEach(i -> {
                    double[] erp = observe.observe(base + i, ev.evoked()[i]);
                    double[] f = ErpFeatures.of(erp, time);
                    for (int m = 0; m < nf; m++) {
                        out[m][base + i] = f[m];
                    }
                    for (int m = 0; m < nt; m++) {
                        out[nf + m][base + i] = erp[m * stride];
                    }
                });
            }
            return out;
        };
    }
}
