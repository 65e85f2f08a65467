package org.neuroinfer.numeric;

import java.util.Arrays;
import java.util.Comparator;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.EigenDecompositionSymmetric;
import org.hipparchus.random.Well19937c;

/**
 * CMA-ES with rank-μ and rank-one updates, active (negative) weights and cumulative step-size adaptation (Hansen,
 * "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772, 2016; equation numbers below are the tutorial's), asked for a whole generation at a
 * time: {@link #ask()} draws the λ candidates, the caller scores them however it likes (side by side on threads,
 * as lanes of one simulation, on a cluster) and {@link #tell} takes the scores. The search maximises; it depends
 * only on the seed and the scores, never on the order or place the candidates were evaluated in.
 */
public final class Cmaes {
    private final int n;
    private final int lambda;
    private final int mu;
    private final double[] weights;
    private final double muEff;
    private final double sumWeights;
    private final double cSigma;
    private final double dSigma;
    private final double cC;
    private final double c1;
    private final double cMu;
    private final double chiN;
    private final Well19937c random;
    private final double[] mean;
    private double sigma;
    private final double[] pSigma;
    private final double[] pC;
    private double[][] c;
    private double[][] b;
    private double[] d;
    private double[][] asked;
    private double[][] steps;
    private int generation;

    /**
     * A search from {@code start} with step {@code sigma} and {@code lambda} candidates a generation (at least 2;
     * the tutorial's default is {@link #defaultLambda}).
     */
    public Cmaes(double[] start, double sigma, int lambda, long seed) {
        if (start.length < 1 || !(sigma > 0) || lambda < 2) {
            throw new IllegalArgumentException("CMA-ES needs >= 1 dimension, a step > 0 and >= 2 candidates per "
                    + "generation; got " + start.length + ", " + sigma + ", " + lambda);
        }
        n = start.length;
        this.lambda = lambda;
        mu = lambda / 2;
        // (49)-(53): positive weights for the best mu, negative ones for the rest (active CMA: the worst candidates
        // shrink the covariance along their steps)
        double[] raw = new double[lambda];
        double sumPos = 0;
        double sqPos = 0;
        double sumNeg = 0;
        double sqNeg = 0;
        for (int i = 0; i < lambda; i++) {
            raw[i] = Math.log((lambda + 1) / 2.0) - Math.log(i + 1);
            if (raw[i] > 0) {
                sumPos += raw[i];
                sqPos += raw[i] * raw[i];
            } else {
                sumNeg -= raw[i];
                sqNeg += raw[i] * raw[i];
            }
        }
        muEff = sumPos * sumPos / sqPos;
        cSigma = (muEff + 2) / (n + muEff + 5); // (55)
        dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
        cC = (4 + muEff / n) / (n + 4 + 2 * muEff / n); // (56)
        c1 = 2 / ((n + 1.3) * (n + 1.3) + muEff); // (57)
        cMu = Math.min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + muEff)); // (58)
        double negScale = 0;
        if (sumNeg > 0) {
            double muEffNeg = sumNeg * sumNeg / sqNeg;
            negScale = Math.min(Math.min(1 + c1 / cMu, 1 + 2 * muEffNeg / (muEff + 2)),
                    (1 - c1 - cMu) / (n * cMu)) / sumNeg;
        }
        weights = new double[lambda];
        double all = 0;
        for (int i = 0; i < lambda; i++) {
            weights[i] = raw[i] > 0 ? raw[i] / sumPos : raw[i] * negScale;
            all += weights[i];
        }
        sumWeights = all;
        chiN = Math.sqrt(n) * (1 - 1.0 / (4 * n) + 1.0 / (21.0 * n * n));
        random = new Well19937c(seed);
        mean = start.clone();
        this.sigma = sigma;
        pSigma = new double[n];
        pC = new double[n];
        c = new double[n][n];
        b = new double[n][n];
        d = new double[n];
        for (int i = 0; i < n; i++) {
            c[i][i] = 1;
            b[i][i] = 1;
            d[i] = 1;
        }
    }

    /** The tutorial's population size for {@code n} dimensions: 4 + ⌊3 ln n⌋ (48). */
    public static int defaultLambda(int n) {
        return 4 + (int) Math.floor(3 * Math.log(n));
    }

    /** Candidates per generation. */
    public int lambda() {
        return lambda;
    }

    /** Generations told so far. */
    public int generation() {
        return generation;
    }

    /** The current mean. */
    public double[] mean() {
        return mean.clone();
    }

    /** The current step size. */
    public double sigma() {
        return sigma;
    }

    /** The next generation's λ candidates, x = m + σ B D z with z ~ N(0, I) (38–40); asked again, the same ones. */
    public double[][] ask() {
        if (asked == null) {
            asked = new double[lambda][n];
            steps = new double[lambda][n];
            double[] z = new double[n];
            for (int k = 0; k < lambda; k++) {
                for (int i = 0; i < n; i++) {
                    z[i] = random.nextGaussian();
                }
                for (int i = 0; i < n; i++) {
                    double y = 0;
                    for (int j = 0; j < n; j++) {
                        y += b[i][j] * d[j] * z[j];
                    }
                    steps[k][i] = y;
                    asked[k][i] = mean[i] + sigma * y;
                }
            }
        }
        return Arrays.stream(asked).map(double[]::clone).toArray(double[][]::new);
    }

    /**
     * Takes the scores of the candidates of {@link #ask()}, in its order, and moves the search (41–47).
     *
     * @throws IllegalStateException when nothing was asked
     * @throws IllegalArgumentException for a wrong count or a NaN score
     */
    public void tell(double[] scores) {
        if (asked == null) {
            throw new IllegalStateException("tell without ask");
        }
        if (scores.length != lambda) {
            throw new IllegalArgumentException("expected " + lambda + " scores, got " + scores.length);
        }
        for (double s : scores) {
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException("a score is NaN; give a finite (or -infinite) score");
            }
        }
        Integer[] order = new Integer[lambda];
        for (int k = 0; k < lambda; k++) {
            order[k] = k;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer k) -> -scores[k]).thenComparingInt(k -> k));
        double[] yw = new double[n];
        for (int i = 0; i < mu; i++) {
            double[] y = steps[order[i]];
            for (int j = 0; j < n; j++) {
                yw[j] += weights[i] * y[j];
            }
        }
        for (int j = 0; j < n; j++) {
            mean[j] += sigma * yw[j]; // (41), c_m = 1
        }
        // C^(-1/2) y_w = B D^-1 B^T y_w
        double[] bty = whitened(yw);
        double norm = 0;
        double ks = Math.sqrt(cSigma * (2 - cSigma) * muEff);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += b[i][j] * bty[j];
            }
            pSigma[i] = (1 - cSigma) * pSigma[i] + ks * s; // (43)
            norm += pSigma[i] * pSigma[i];
        }
        norm = Math.sqrt(norm);
        boolean hSigma = norm / Math.sqrt(1 - Math.pow(1 - cSigma, 2.0 * (generation + 1)))
                < (1.4 + 2 / (n + 1.0)) * chiN;
        double kc = Math.sqrt(cC * (2 - cC) * muEff);
        for (int i = 0; i < n; i++) {
            pC[i] = (1 - cC) * pC[i] + (hSigma ? kc * yw[i] : 0); // (45)
        }
        double lost = hSigma ? 0 : c1 * cC * (2 - cC);
        // (46): a negative weight is scaled by n / |C^(-1/2) y|^2, so a long bad step cannot wreck C
        double[] w = new double[lambda];
        for (int k = 0; k < lambda; k++) {
            w[k] = weights[k];
            if (w[k] < 0) {
                double norm2 = 0;
                for (double t : whitened(steps[order[k]])) { // |C^(-1/2) y| = |D^-1 B^T y|
                    norm2 += t * t;
                }
                w[k] *= norm2 > 0 ? n / norm2 : 0;
            }
        }
        double[][] next = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double rankMu = 0;
                for (int k = 0; k < lambda; k++) {
                    double[] y = steps[order[k]];
                    rankMu += w[k] * y[i] * y[j];
                }
                double v = (1 - c1 - cMu * sumWeights + lost) * c[i][j] + c1 * pC[i] * pC[j] + cMu * rankMu; // (47)
                next[i][j] = v;
                next[j][i] = v;
            }
        }
        c = next;
        sigma *= Math.exp(cSigma / dSigma * (norm / chiN - 1)); // (44)
        decompose();
        asked = null;
        steps = null;
        generation++;
    }

    /** D^-1 B^T y: {@code y} in the eigenbasis of C, each coordinate divided by its standard deviation. */
    private double[] whitened(double[] y) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += b[j][i] * y[j];
            }
            t[i] = s / d[i];
        }
        return t;
    }

    /** B and D of C = B D² B^T. */
    private void decompose() {
        EigenDecompositionSymmetric e = new EigenDecompositionSymmetric(new Array2DRowRealMatrix(c, false));
        double[] ev = e.getEigenvalues();
        for (int i = 0; i < n; i++) {
            d[i] = Math.sqrt(Math.max(ev[i], 1e-20));
            for (int j = 0; j < n; j++) {
                b[j][i] = e.getEigenvector(i).getEntry(j);
            }
        }
    }
}
