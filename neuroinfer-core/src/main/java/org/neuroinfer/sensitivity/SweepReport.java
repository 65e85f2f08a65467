package org.neuroinfer.sensitivity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.neuroinfer.numeric.Correlation;

/**
 * Ranks the parameters of a one-at-a-time analysis by their effect on the ERP and flags the candidates for
 * non-identifiability: an effect below 1 % of the largest, or a mean gradient time course collinear (|r| &gt; 0.99)
 * with another parameter's.
 */
public final class SweepReport {
    /** Below this fraction of the largest effect a parameter is flagged as near-zero. */
    public static final double NEAR_ZERO = 0.01;
    /** Above this |correlation| of mean gradients two parameters are flagged as collinear. */
    public static final double COLLINEAR = 0.99;

    private SweepReport() {
    }

    /** One parameter's line of the ranking. */
    public record Line(String name, double effect, double relative, List<String> flags) {
    }

    /** The parameters from the largest effect to the smallest, with flags. */
    public static List<Line> rank(OneAtATime.Result result) {
        List<OneAtATime.Sweep> s = result.sweeps();
        double max = s.stream().mapToDouble(OneAtATime.Sweep::effect).max().orElse(0);
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            List<String> flags = new ArrayList<>();
            double e = s.get(i).effect();
            if (max == 0 || e < NEAR_ZERO * max) {
                flags.add("near-zero effect");
            }
            for (int j = 0; j < s.size(); j++) {
                if (j != i) {
                    double r = Correlation.pearson(s.get(i).meanGradient(), s.get(j).meanGradient());
                    if (Math.abs(r) > COLLINEAR) {
                        flags.add(String.format(Locale.ROOT, "collinear with %s (r = %.4f)",
                                s.get(j).parameter().name(), r));
                    }
                }
            }
            lines.add(new Line(s.get(i).parameter().name(), e, max == 0 ? 0 : e / max, flags));
        }
        lines.sort(Comparator.comparingDouble(Line::effect).reversed());
        return lines;
    }

    /** The ranking as text, in the unit of the ERP. */
    public static String text(OneAtATime.Result result, String unit) {
        StringBuilder sb = new StringBuilder("parameters ranked by effect (RMS of dERP/dtheta x swept range, "
                + unit + "):\n");
        int k = 1;
        for (Line l : rank(result)) {
            sb.append(String.format(Locale.ROOT, "%2d. %-4s %11.4g  %6.1f %%  %s%n", k++, l.name(), l.effect(),
                    100 * l.relative(), String.join("; ", l.flags())));
        }
        return sb.toString();
    }
}
