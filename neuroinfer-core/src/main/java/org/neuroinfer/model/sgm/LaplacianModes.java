package org.neuroinfer.model.sgm;

/**
 * Eigen-decompositions of K(ω) = diag(n)·(C ∘ exp(−iω·τ)) at every frequency of a grid, for one transmission speed:
 * the modes of the SGM's complex Laplacian L(ω) = I − α·K(ω) (Raj et al. 2020), whose eigenvalues are
 * λ_k = 1 − α·μ_k and whose eigenvectors are K's. They depend on the speed and the connectome only, so one
 * decomposition serves every value of α, the time constants and the gains.
 *
 * <p>Per frequency f: μ_k in
 * {@code muRe[f]} and {@code muIm[f]}; eigenvector k's entry j at {@code [k * n + j]} of
 * {@code vecRe[f]} / {@code vecIm[f]}, normalised as LAPACK {@code zgeev} (unit norm, largest entry real
 * positive, README §5).
 */
public final class LaplacianModes {
    private final double speed;
    private final double alpha;
    private final int regions;
    final double[][] muRe;
    final double[][] muIm;
    final double[][] vecRe;
    final double[][] vecIm;

    LaplacianModes(double speed, double alpha, int regions, int frequencies) {
        this.speed = speed;
        this.alpha = alpha;
        this.regions = regions;
        muRe = new double[frequencies][];
        muIm = new double[frequencies][];
        vecRe = new double[frequencies][];
        vecIm = new double[frequencies][];
    }

    /** The transmission speed (m/s) the modes were computed for. */
    public double speed() {
        return speed;
    }

    /**
     * NaN if every eigenvector is there; otherwise the coupling α these modes serve alone: the 2020 family's sum at
     * that α uses a subset of the modes (sorted by |1 − α·μ_k|), and the other eigenvectors are NaN.
     */
    public double alpha() {
        return alpha;
    }

    /** Regions (matrix size). */
    public int regions() {
        return regions;
    }

    /** Frequencies of the grid. */
    public int frequencies() {
        return muRe.length;
    }
}
