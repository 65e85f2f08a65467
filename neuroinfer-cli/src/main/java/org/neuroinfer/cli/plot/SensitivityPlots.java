package org.neuroinfer.cli.plot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.pipeline.SensitivityStudy;
import org.neuroinfer.sensitivity.OneAtATime;
import org.neuroinfer.stimulus.Protocol;

/**
 * The figures of a sensitivity study: per parameter of a one-at-a-time study the ERP, its error against the default
 * ERP and its gradient over the swept values (the benchmark's figures 2 and 3); for Morris or Sobol the indices of
 * the ERP's RMS and their course over the ERP.
 */
public final class SensitivityPlots {
    private SensitivityPlots() {
    }

    /** Draws the figures of {@code r} into {@code out}; the names of the files drawn. */
    public static String draw(SensitivityStudy.Result r, Path out) throws IOException {
        if (r.oat() != null) {
            double[] time = EpochWindow.benchmark().times(Protocol.benchmark().sfreq());
            for (OneAtATime.Sweep s : r.oat().sweeps()) {
                Plots.save(out.resolve("oat_" + s.parameter().name() + ".png"), sweep(s, time, r.unit(), r.what()),
                        3, true);
            }
            return "oat_<parameter>.png";
        }
        SensitivityStudy.Global g = r.global();
        boolean sobol = g.sobol();
        String a = sobol ? "S" : "mu*";
        String b = sobol ? "ST" : "sigma";
        List<String> names = r.names();
        int k = names.size();
        int rms = g.rms();
        int outputs = g.outputs().size();
        double[] rt = g.times();
        Map<String, double[]> bars = new LinkedHashMap<>();
        bars.put(a, g.first()[rms]);
        bars.put(b, g.second()[rms]);
        XYChart overTime = Plots.chart((sobol ? "total Sobol index ST" : "Morris mu*") + " over the ERP",
                "time from stimulus (s)", sobol ? "ST" : "mu* (" + r.unit() + ")");
        overTime.getStyler().setLegendVisible(true);
        for (int j = 0; j < k; j++) {
            double[] yv = new double[rt.length];
            for (int m = 0; m < rt.length; m++) {
                double v = g.second()[outputs + m][j];
                yv[m] = sobol ? (Double.isFinite(v) ? v : 0) : g.first()[outputs + m][j];
            }
            Plots.line(overTime, names.get(j), rt, yv, Plots.ramp(j / (double) Math.max(1, k - 1)));
        }
        List<org.knowm.xchart.internal.chartpart.Chart<?, ?>> charts = new ArrayList<>();
        charts.add(Plots.bars((sobol ? "Sobol indices" : "Morris screening") + " of the ERP's RMS", a + ", " + b,
                names, bars));
        charts.add(overTime);
        String base = sobol ? "sobol" : "morris";
        Plots.save(out.resolve(base + ".png"), charts, 1, true);
        return base + ".png";
    }

    private static List<XYChart> sweep(OneAtATime.Sweep s, double[] time, String unit, String what) {
        String p = s.parameter().name();
        String u = "1".equals(s.parameter().unit()) ? "" : " " + s.parameter().unit();
        XYChart erp = Plots.chart(p + ": " + what + " (blue low .. red high, " + fmt(s.values()[0]) + " .. "
                + fmt(s.values()[s.values().length - 1]) + u + ")", "time from stimulus (s)", unit);
        XYChart err = Plots.chart(p + ": |ERP - default ERP|", "time from stimulus (s)", unit);
        XYChart grad = Plots.chart(p + ": dERP/d" + p, "time from stimulus (s)", unit + " per" + (u.isEmpty()
                ? " unit" : u));
        int n = s.values().length;
        int step = Math.max(1, n / 40);
        for (int i = 0; i < n; i += step) {
            java.awt.Color col = Plots.ramp(i / (double) (n - 1));
            Plots.line(erp, "v" + i, time, s.erp()[i], col);
            Plots.line(err, "v" + i, time, s.absError()[i], col);
            Plots.line(grad, "v" + i, time, s.gradient()[i], col);
        }
        return List.of(erp, err, grad);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
