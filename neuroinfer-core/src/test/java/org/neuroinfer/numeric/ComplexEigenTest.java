package org.neuroinfer.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Residuals, the zgeev normalisation and special matrices for the complex eigensolver. */
class ComplexEigenTest {

    static double[][] random(int n, long seed) {
        Random r = new Random(seed);
        double[] re = new double[n * n];
        double[] im = new double[n * n];
        for (int k = 0; k < n * n; k++) {
            re[k] = r.nextGaussian();
            im[k] = r.nextGaussian();
        }
        return new double[][] {re, im};
    }

    /** max_k ‖A u_k − λ_k u_k‖ / ‖A‖_max. */
    static double residual(ComplexEigen e, double[] ar, double[] ai) {
        return residual(e.valuesRe(), e.valuesIm(), e.vectorsRe(), e.vectorsIm(), ar, ai);
    }

    /** max_k ‖A u_k − λ_k u_k‖ / ‖A‖_max for eigenpairs laid out as {@link ComplexEigen}'s. */
    static double residual(double[] valRe, double[] valIm, double[] vecRe, double[] vecIm, double[] ar, double[] ai) {
        int n = valRe.length;
        double norm = 0;
        for (int k = 0; k < n * n; k++) {
            norm = Math.max(norm, Math.hypot(ar[k], ai[k]));
        }
        double worst = 0;
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                double sr = 0;
                double si = 0;
                for (int j = 0; j < n; j++) {
                    double vr = vecRe[k * n + j];
                    double vi = vecIm[k * n + j];
                    sr += ar[i * n + j] * vr - ai[i * n + j] * vi;
                    si += ar[i * n + j] * vi + ai[i * n + j] * vr;
                }
                double lr = valRe[k];
                double li = valIm[k];
                double vr = vecRe[k * n + i];
                double vi = vecIm[k * n + i];
                sr -= lr * vr - li * vi;
                si -= lr * vi + li * vr;
                worst = Math.max(worst, Math.hypot(sr, si));
            }
        }
        return worst / norm;
    }

    @ParameterizedTest
    @EnumSource(ComplexEigen.Path.class)
    void randomMatricesHaveSmallResidualsAndTheLapackNormalisation(ComplexEigen.Path path) {
        for (int n : new int[] {1, 2, 3, 17, 86}) {
            double[][] a = random(n, n);
            ComplexEigen e = new ComplexEigen(n, path);
            e.decompose(a[0], a[1]);
            assertTrue(residual(e, a[0], a[1]) < 1e-13 * n, "n = " + n + ": residual " + residual(e, a[0], a[1]));
            double trace = 0;
            double sum = 0;
            for (int k = 0; k < n; k++) {
                trace += a[0][k * n + k];
                sum += e.valuesRe()[k];
                double norm2 = 0;
                double best = -1;
                int pivot = -1;
                for (int j = 0; j < n; j++) {
                    double vr = e.vectorsRe()[k * n + j];
                    double vi = e.vectorsIm()[k * n + j];
                    norm2 += vr * vr + vi * vi;
                    if (vr * vr + vi * vi > best) {
                        best = vr * vr + vi * vi;
                        pivot = j;
                    }
                }
                assertEquals(1, norm2, 1e-14, "unit norm");
                assertEquals(0, e.vectorsIm()[k * n + pivot], 0, "largest entry real");
                assertTrue(e.vectorsRe()[k * n + pivot] > 0, "largest entry positive");
            }
            assertEquals(trace, sum, 1e-12 * n, "trace = sum of eigenvalues");
            assertTrue(!e.fellBack(), "inverse iteration converged");
        }
    }

    @ParameterizedTest
    @EnumSource(ComplexEigen.Path.class)
    void triangularAndDiagonalMatricesKeepTheirDiagonal(ComplexEigen.Path path) {
        int n = 6;
        double[] re = new double[n * n];
        double[] im = new double[n * n];
        for (int i = 0; i < n; i++) {
            re[i * n + i] = i + 1;
            im[i * n + i] = -i;
            for (int j = i + 1; j < n; j++) {
                re[i * n + j] = 0.5;
            }
        }
        ComplexEigen e = new ComplexEigen(n, path);
        e.decompose(re, im);
        for (int i = 0; i < n; i++) {
            assertEquals(i + 1, e.valuesRe()[i], 1e-14);
            assertEquals(-i, e.valuesIm()[i], 1e-14);
        }
        assertTrue(residual(e, re, im) < 1e-14);
        // a repeated eigenvalue (the identity): unit vectors
        double[] id = new double[n * n];
        for (int i = 0; i < n; i++) {
            id[i * n + i] = 1;
        }
        e.decompose(id, new double[n * n]);
        for (int k = 0; k < n; k++) {
            assertEquals(1, e.valuesRe()[k], 0);
            assertEquals(1, e.vectorsRe()[k * n + k], 0);
        }
    }

    @ParameterizedTest
    @EnumSource(ComplexEigen.Path.class)
    void aKnownNonNormalMatrix(ComplexEigen.Path path) {
        // [[2, 1], [0, 3]]: eigenvalues 2 and 3, eigenvectors e1 and (1, 1)/√2
        ComplexEigen e = new ComplexEigen(2, path);
        e.decompose(new double[] {2, 1, 0, 3}, new double[4]);
        int three = e.valuesRe()[0] > 2.5 ? 0 : 1;
        assertEquals(3, e.valuesRe()[three], 1e-15);
        assertEquals(Math.sqrt(0.5), e.vectorsRe()[three * 2], 1e-15);
        assertEquals(Math.sqrt(0.5), e.vectorsRe()[three * 2 + 1], 1e-15);
    }

    @Test
    void nonFiniteEntriesAreRejected() {
        ComplexEigen e = new ComplexEigen(2);
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
                () -> e.decompose(new double[] {1, Double.NaN, 0, 1}, new double[4]));
        assertTrue(x.getMessage().contains("(0, 1)"), x.getMessage());
    }
}
