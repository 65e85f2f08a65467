package org.neuroinfer.model.sgm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.neuroinfer.io.Csv;
import org.neuroinfer.model.Connectome;

/**
 * The connectome as the spectral graph model uses it: reading spectrome's raw HCP files, the preparation of
 * README §3 (reorder, bi-symmetrise, clip at 7 × the mean positive weight) and the Laplacian's row normalisers
 * (README §5). The data are never bundled: users point at their own copy (spectrome ships it under the MIT
 * licence; acknowledge the Human Connectome Project when publishing).
 */
public final class SgmConnectome {
    /** spectrome's raw fibre-count file: a line of 86 region names, then 86 rows of counts. */
    public static final String RAW_COUNTS = "mean80_fibercount.csv";
    /** spectrome's raw mean fibre lengths in mm, 86 rows, no header. */
    public static final String RAW_LENGTHS = "mean80_fiberlength.csv";

    private static final int HCP_REGIONS = 86;
    private static final int SUBCORTICAL = 18;
    private static final int CORTICAL_PER_SIDE = 34;
    private static final int SUBCORTICAL_PER_SIDE = 9;
    private static final double CLIP_FACTOR = 7;

    private SgmConnectome() {
    }

    /**
     * Reads a connectome for the SGM: a folder with spectrome's two raw files is read and prepared (README §3);
     * anything else {@link Connectome#read} accepts is taken as already prepared. Either way the weights and
     * lengths must be symmetric.
     */
    public static Connectome read(Path named) throws IOException {
        Path dir = org.neuroinfer.io.InputFiles.local(named);
        Connectome c;
        if (Files.isDirectory(dir) && Files.exists(dir.resolve(RAW_COUNTS))) {
            c = prepareHcp86(readRaw(dir));
        } else if (Files.exists(dir)) {
            c = Connectome.read(dir);
        } else {
            throw new IllegalArgumentException("connectome " + named + " does not exist; expected a folder with "
                    + RAW_COUNTS + " and " + RAW_LENGTHS + " (spectrome's HCP connectome) or a prepared connectome");
        }
        requireSymmetric(c, named.toString());
        return c;
    }

    /** spectrome's two raw CSV files, in their own (FreeSurfer LUT) region order, unprepared. */
    public static Connectome readRaw(Path dir) throws IOException {
        Path counts = dir.resolve(RAW_COUNTS);
        Path lengths = dir.resolve(RAW_LENGTHS);
        if (!Files.exists(lengths)) {
            throw new IllegalArgumentException(dir + ": " + RAW_COUNTS + " is there but " + RAW_LENGTHS + " is not");
        }
        Csv.Labelled w = Csv.readLabelledMatrix(counts);
        double[][] l = Csv.readMatrix(lengths);
        if (w.names().size() != w.rows().length) {
            throw new IllegalArgumentException(counts + ": " + w.names().size() + " region names in the header but "
                    + w.rows().length + " rows");
        }
        if (l.length != w.rows().length) {
            throw new IllegalArgumentException(lengths + ": " + l.length + " rows but " + counts + " has "
                    + w.rows().length + " (weights and lengths must have the same regions)");
        }
        return new Connectome(w.rows(), l, w.names());
    }

    /**
     * The preparation of spectrome's HCP 86-region connectome (README §3): regions reordered to 34 left cortical,
     * 34 right cortical, 9 left and 9 right subcortical; weights bi-symmetrised (homologous blocks replaced by
     * their element-wise maximum) and clipped at 7 × the mean positive weight; lengths only reordered.
     */
    public static Connectome prepareHcp86(Connectome raw) {
        int n = raw.size();
        if (n != HCP_REGIONS) {
            throw new IllegalArgumentException("the HCP preparation needs " + HCP_REGIONS + " regions in spectrome's "
                    + "raw order (18 subcortical, 34 ctx-lh, 34 ctx-rh); this connectome has " + n);
        }
        for (int i = SUBCORTICAL; i < n; i++) {
            String name = raw.names().get(i);
            String side = i < SUBCORTICAL + CORTICAL_PER_SIDE ? "ctx-lh-" : "ctx-rh-";
            if (!name.startsWith(side) && !name.startsWith("region ")) {
                throw new IllegalArgumentException("raw connectome region " + i + " is '" + name + "', expected a "
                        + side + "* cortical region: the raw files must be in spectrome's order");
            }
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = (i + SUBCORTICAL) % n;
        }
        double[][] c1 = permute(raw.weights(), p);
        double[][] d = permute(raw.lengths(), p);
        List<String> names = new ArrayList<>();
        for (int i : p) {
            names.add(raw.names().get(i));
        }
        int half = CORTICAL_PER_SIDE + SUBCORTICAL_PER_SIDE;
        int[] left = new int[half];
        int[] right = new int[half];
        for (int i = 0; i < half; i++) {
            left[i] = i < CORTICAL_PER_SIDE ? i : 2 * CORTICAL_PER_SIDE + (i - CORTICAL_PER_SIDE);
            right[i] = i < CORTICAL_PER_SIDE ? CORTICAL_PER_SIDE + i
                    : 2 * CORTICAL_PER_SIDE + SUBCORTICAL_PER_SIDE + (i - CORTICAL_PER_SIDE);
        }
        double[][] c2 = new double[n][n];
        for (int a = 0; a < half; a++) {
            for (int b = 0; b < half; b++) {
                double same = Math.max(c1[left[a]][left[b]], c1[right[a]][right[b]]);
                double cross = Math.max(c1[left[a]][right[b]], c1[right[a]][left[b]]);
                c2[left[a]][left[b]] = same;
                c2[right[a]][right[b]] = same;
                c2[left[a]][right[b]] = cross;
                c2[right[a]][left[b]] = cross;
            }
        }
        double threshold = CLIP_FACTOR * meanPositive(c2);
        for (double[] row : c2) {
            for (int j = 0; j < n; j++) {
                row[j] = Math.min(row[j], threshold);
            }
        }
        return new Connectome(c2, d, names);
    }

    /** The clip threshold of the preparation: 7 × the mean of the positive bi-symmetrised weights. */
    static double meanPositive(double[][] m) {
        int count = 0;
        for (double[] row : m) {
            for (double v : row) {
                if (v > 0) {
                    count++;
                }
            }
        }
        double[] positive = new double[count];
        int k = 0;
        for (double[] row : m) {
            for (double v : row) {
                if (v > 0) {
                    positive[k++] = v;
                }
            }
        }
        return PairwiseSum.of(positive, 0, count) / count;
    }

    private static double[][] permute(double[][] m, int[] p) {
        int n = p.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = m[p[i]][p[j]];
            }
        }
        return out;
    }

    /**
     * Fails unless weights and lengths are symmetric to a relative 1e-12 (the model's Laplacian assumes an
     * undirected graph, README §3).
     */
    public static void requireSymmetric(Connectome c, String source) {
        String[] what = {"weights", "lengths"};
        double[][][] ms = {c.weights(), c.lengths()};
        for (int k = 0; k < 2; k++) {
            double[][] m = ms[k];
            for (int i = 0; i < m.length; i++) {
                for (int j = i + 1; j < m.length; j++) {
                    double a = m[i][j];
                    double b = m[j][i];
                    if (Math.abs(a - b) > 1e-12 * Math.max(Math.abs(a), Math.abs(b))) {
                        throw new IllegalArgumentException("connectome " + source + ": " + what[k] + " are not "
                                + "symmetric: [" + i + "][" + j + "] = " + a + " but [" + j + "][" + i + "] = " + b
                                + "; the spectral graph model needs an undirected connectome");
                    }
                }
            }
        }
    }

    /**
     * The Laplacian row normaliser n of README §5 for L = I − α·diag(n)·C̃: 2020's 1/(√(r_j c_j) + ε), with
     * weakly connected regions (r_j + c_j &lt; 0.2·mean) switched off, or the percentile-regularised one of
     * {@code msgm2023_pct}, divided by ‖C‖_F so that it multiplies the un-normalised weights.
     */
    public static double[] rowNormaliser(Connectome c, boolean percentile) {
        int n = c.size();
        double[][] w = c.weights();
        double[] r = new double[n];
        double[] col = new double[n];
        double scale = 1;
        if (percentile) {
            double ss = 0;
            for (double[] row : w) {
                for (double v : row) {
                    ss += v * v;
                }
            }
            scale = Math.sqrt(ss);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                r[i] += w[i][j] / scale;
                col[j] += w[i][j] / scale;
            }
        }
        double[] out = new double[n];
        if (percentile) {
            double[] mean = new double[n];
            for (int i = 0; i < n; i++) {
                mean[i] = (r[i] + col[i]) / 2;
            }
            double delta = percentile(mean, 5);
            for (int i = 0; i < n; i++) {
                out[i] = 1 / (Math.sqrt(r[i] * col[i]) + delta) / scale;
            }
            return out;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += r[i] + col[i];
        }
        double cutoff = 0.2 * total / n;
        for (int i = 0; i < n; i++) {
            out[i] = r[i] + col[i] < cutoff ? 0 : 1 / (Math.sqrt(r[i] * col[i]) + Math.ulp(1.0));
        }
        return out;
    }

    /** The q-th percentile with linear interpolation between order statistics (numpy's default, type 7). */
    static double percentile(double[] values, double q) {
        double[] s = values.clone();
        java.util.Arrays.sort(s);
        double h = (s.length - 1) * q / 100;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }
}
