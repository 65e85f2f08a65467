package org.neuroinfer.numeric;

/**
 * The eigenpairs of a dense complex n × n matrix as this package's solvers return them: eigenvalues in no
 * particular order, eigenvectors normalised as LAPACK {@code zgeev} (unit norm, the first entry of largest modulus
 * real and positive), complex numbers stored split. The arrays are the solver's own and change with the next
 * decomposition.
 */
public abstract sealed class ComplexEigenpairs permits ComplexEigen, ComplexSymmetricEigen {
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

    /** Whether the last decomposition left its preferred path for a more robust one. */
    public abstract boolean fellBack();
}
