package org.neuroinfer.numeric;

/**
 * The eigenpairs of a dense complex n × n matrix as this package's solvers return them: eigenvalues in no
 * particular order, eigenvectors normalised as LAPACK {@code zgeev} (unit norm, the first entry of largest modulus
 * real and positive), complex numbers stored split. The arrays are the solver's own and change with the next
 * decomposition.
 */
public abstract sealed class ComplexEigenpairs permits ComplexEigen, ComplexSymmetricEigen {
    static final double EPS = Math.ulp(1.0);
    static final double SAFE_MIN = Double.MIN_NORMAL / EPS;
    final int n;
    final double[] valRe;
    final double[] valIm;
    final double[] vecRe;
    final double[] vecIm;

    ComplexEigenpairs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("matrix size n = " + n + "; valid: >= 1");
        }
        this.n = n;
        valRe = new double[n];
        valIm = new double[n];
        vecRe = new double[n * n];
        vecIm = new double[n * n];
    }

    /** Matrix size. */
    public int size() {
        return n;
    }

    /** Real parts of the eigenvalues. */
    public double[] valuesRe() {
        return valRe;
    }

    /** Imaginary parts of the eigenvalues. */
    public double[] valuesIm() {
        return valIm;
    }

    /** Real parts of the eigenvectors: entry j of eigenvector k at {@code [k * n + j]}. */
    public double[] vectorsRe() {
        return vecRe;
    }

    /** Imaginary parts of the eigenvectors, laid out as {@link #vectorsRe()}. */
    public double[] vectorsIm() {
        return vecIm;
    }

    /**
     * Inverse iteration's start vector number {@code attempt} (of size {@code eps3}) into eigenvector row
     * {@code out}: flat first, then each later one with a different entry pulled down (LAPACK {@code zlaein}).
     */
    void startVector(int out, int attempt, double eps3) {
        double rootn = Math.sqrt(n);
        if (attempt == 0) {
            java.util.Arrays.fill(vecRe, out, out + n, eps3);
        } else {
            java.util.Arrays.fill(vecRe, out, out + n, eps3 / (rootn + 1));
            vecRe[out] = eps3;
            vecRe[out + n - attempt] -= eps3 * rootn;
        }
        java.util.Arrays.fill(vecIm, out, out + n, 0);
    }

    // |re| + |im|, LAPACK's cabs1: the cheap modulus the pivoting and convergence tests use
    static double cabs1(double re, double im) {
        return Math.abs(re) + Math.abs(im);
    }

    /** Whether the last decomposition left its preferred path for a more robust one. */
    public abstract boolean fellBack();
}
