package org.neuroinfer.sensitivity;

import java.util.ArrayList;
import java.util.List;
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
 * The benchmark's one-at-a-time sensitivity sweep (Tilwani &amp; O'Reilly, arXiv 2406.05002, figures 2 and 3): each
 * parameter alone over n evenly spaced values, the others at their defaults; per value the ERP, its absolute and
 * log10 relative error against the default ERP, and its gradient with respect to the parameter (central
 * differences along the sweep, one-sided at the ends). All sweeps run as one batch.
 */
public final class OneAtATime {

    /**
     * The swept values of one parameter and what they do to the ERP.
     *
     * @param parameter     the swept parameter
     * @param values        its n values
     * @param erp           [n][times] the observed ERP at each value
     * @param absError      [n][times] |erp - default erp|
     * @param log10RelError [n][times] log10(|erp - default erp| / max|default erp|), -Inf where equal
     * @param gradient      [n][times] d erp / d parameter
     */
    public record Sweep(Parameter parameter, double[] values, double[][] erp, double[][] absError,
                        double[][] log10RelError, double[][] gradient) {

        /** Peak-to-peak of the ERP at each value. */
        public double[] amplitude() {
            return java.util.Arrays.stream(erp).mapToDouble(e -> org.neuroinfer.observe.Extremes.of(e).ptp())
                    .toArray();
        }

        /** RMS over values and times of the gradient times the swept range: the ERP change the range causes. */
        public double effect() {
            double range = values[values.length - 1] - values[0];
            double s = 0;
            int n = 0;
            for (double[] g : gradient) {
                for (double v : g) {
                    s += v * range * v * range;
                    n++;
                }
            }
            return Math.sqrt(s / n);
        }

        /** The gradient averaged over the sweep, a time course (for collinearity). */
        public double[] meanGradient() {
            double[] m = new double[gradient[0].length];
            for (double[] g : gradient) {
                for (int t = 0; t < m.length; t++) {
                    m[t] += g[t] / gradient.length;
                }
            }
            return m;
        }
    }

    /**
     * A finished analysis.
     *
     * @param defaultErp the ERP at the default parameters
     * @param sweeps     one sweep per parameter, in the order asked
     */
    public record Result(double[] defaultErp, List<Sweep> sweeps) {
    }

    /** Maps simulation {@code index}'s evoked source response to the analysed ERP. */
    @FunctionalInterface
    public interface Observer {
        double[] observe(int index, double[] sourceEvoked);
    }

    /** How the swept range is chosen. */
    public enum Range {
        /** default × (1 ± span), the benchmark's ±50 %. */
        RELATIVE,
        /** the prior range. */
        PRIOR
    }

    private OneAtATime() {
    }

    /** The n values of {@code p}: evenly spaced over its range. */
    public static double[] values(Parameter p, Range range, double span, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("a sweep needs n >= 2 values, got " + n);
        }
        double lo;
        double hi;
        if (range == Range.PRIOR) {
            lo = p.lower();
            hi = p.upper();
        } else {
            if (!(span > 0) || Double.isInfinite(span)) {
                throw new IllegalArgumentException("relative span must be a positive finite fraction, got " + span);
            }
            lo = p.defaultValue() * (1 - span);
            hi = p.defaultValue() * (1 + span);
        }
        if (!(hi > lo)) {
            throw new IllegalArgumentException("empty or inverted range [" + lo + ", " + hi + "] for " + p.name());
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * i / (n - 1);
        }
        return v;
    }

    /**
     * Runs the sweeps of {@code names} and observes each evoked source response through {@code observe}
     * (identity for the source signal, a channel or the global field power otherwise).
     *
     * @param observe maps a source evoked response to the analysed ERP (simulation 0 is the default set)
     */
    public static Result run(JansenRit model, List<String> names, Range range, double span, int n,
                                  Observer observe, int threads,
                                  IntConsumer progress) {
        ParameterSpace space = model.parameterSpace();
        double[] defaults = space.defaults();
        List<double[]> sets = new ArrayList<>();
        sets.add(defaults);
        List<double[]> swept = new ArrayList<>();
        for (String name : names) {
            int k = space.indexOf(name);
            double[] vals = values(space.get(k), range, span, n);
            swept.add(vals);
            for (double v : vals) {
                double[] s = defaults.clone();
                s[k] = v;
                sets.add(s);
            }
        }
        Protocol protocol = Protocol.benchmark();
        EvokedRecorder ev = new EvokedRecorder(model, protocol, EpochWindow.benchmark(), sets.size());
        new BatchSimulator(model, Scheme.EULER, protocol, protocol.dt(), threads, 0)
                .run(sets.toArray(double[][]::new), ev, progress);
        double[] base = observe.observe(0, ev.evoked()[0]);
        double scale = 0;
        for (double v : base) {
            scale = Math.max(scale, Math.abs(v));
        }
        List<Sweep> out = new ArrayList<>();
        for (int p = 0; p < names.size(); p++) {
            double[] vals = swept.get(p);
            double[][] erp = new double[n][];
            double[][] err = new double[n][];
            double[][] rel = new double[n][];
            for (int i = 0; i < n; i++) {
                erp[i] = observe.observe(1 + p * n + i, ev.evoked()[1 + p * n + i]);
                err[i] = new double[base.length];
                rel[i] = new double[base.length];
                for (int t = 0; t < base.length; t++) {
                    err[i][t] = Math.abs(erp[i][t] - base[t]);
                    // a flat default ERP has no scale: report NaN rather than divide by zero
                    rel[i][t] = scale == 0 ? Double.NaN : Math.log10(err[i][t] / scale);
                }
            }
            double[][] grad = new double[n][base.length];
            for (int i = 0; i < n; i++) {
                int a = Math.max(0, i - 1);
                int b = Math.min(n - 1, i + 1);
                for (int t = 0; t < base.length; t++) {
                    grad[i][t] = (erp[b][t] - erp[a][t]) / (vals[b] - vals[a]);
                }
            }
            out.add(new Sweep(model.parameterSpace().get(model.parameterSpace().indexOf(names.get(p))), vals, erp,
                    err, rel, grad));
        }
        return new Result(base, out);
    }
}
