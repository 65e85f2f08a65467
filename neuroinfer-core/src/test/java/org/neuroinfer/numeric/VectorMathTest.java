package org.neuroinfer.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorMathTest {

    @Test
    void expIsWithinTwoUlpOfTheCorrectlyRoundedValue() {
        SplittableRandom r = new SplittableRandom(1);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = -740 + 1449 * r.nextDouble();
            double ref = StrictMath.exp(x);
            double got = VectorMath.exp(x);
            double ulps = Math.abs(got - ref) / Math.ulp(ref);
            worst = Math.max(worst, ulps);
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
    }

    @Test
    void expSpecialValues() {
        assertEquals(1.0, VectorMath.exp(0.0));
        assertEquals(Double.POSITIVE_INFINITY, VectorMath.exp(710.0));
        assertEquals(Double.POSITIVE_INFINITY, VectorMath.exp(1e300));
        assertEquals(Double.POSITIVE_INFINITY, VectorMath.exp(Double.POSITIVE_INFINITY));
        assertEquals(0.0, VectorMath.exp(-746.0));
        assertEquals(0.0, VectorMath.exp(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(VectorMath.exp(Double.NaN)));
        assertEquals(Math.E, VectorMath.exp(1.0), Math.ulp(Math.E));
        // the sigmoid must be exactly 0 when exp overflows (classic_mV with a large C)
        assertEquals(0.0, 5.0 / (1 + VectorMath.exp(800.0)));
    }

    @Test
    void theScalarExpHasTheVectorBits() {
        // loops use the vector exp on whole vectors and the scalar one on their tails: a value's bits must not
        // depend on where it falls
        SplittableRandom r = new SplittableRandom(7);
        int len = VectorMath.SPECIES.length();
        double[] a = new double[len * 4096];
        double[] specials = {0.0, -0.0, 1e-300, -1e-300, 709.78, 709.79, 710.0, -745.1, -745.2, -746.0, 1e300,
            -1e300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -708.4};
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < a.length; i++) {
                a[i] = i < specials.length ? specials[i] : (r.nextDouble() - 0.5) * (round % 2 == 0 ? 1600 : 2);
            }
            double[] v = a.clone();
            VectorMath.expInPlace(v, 0, v.length);
            for (int i = 0; i < a.length; i++) {
                assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(VectorMath.exp(a[i])),
                        "exp(" + a[i] + ")");
            }
        }
    }

    @Test
    void everyPathGivesTheSameBitsWhateverItsNeighbours() {
        // a lane's result must not depend on which shortcut its vector took (batch == one at a time)
        int len = VectorMath.SPECIES.length();
        double[] probes = {0.0, -0.2, 0.3, 1e-9, -3.7, 12.5, -700.5, 709.5, -744.9, -0.0};
        double[] partners = {0.0, 5.0, -745.5, 709.9};
        for (double x : probes) {
            long alone = Double.doubleToRawLongBits(VectorMath.exp(x));
            for (double other : partners) {
                double[] lanes = new double[len];
                java.util.Arrays.fill(lanes, other);
                lanes[len - 1] = x;
                VectorMath.expInPlace(lanes, 0, len);
                double got = lanes[len - 1];
                assertEquals(alone, Double.doubleToRawLongBits(got), "exp(" + x + ") beside " + other);
            }
        }
    }

    @Test
    void theLogisticHasTheBitsOfTheScalarExpThenTheDivisionOnAnyNumberOfVectors() {
        // the loop takes two vectors at a time; an odd count ends with one, taken as both
        int len = VectorMath.SPECIES.length();
        SplittableRandom r = new SplittableRandom(11);
        double[] specials = {0.0, -0.0, 709.9, 710.0, 800.0, -745.5, -800.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, -708.4};
        for (int vectors : new int[] {1, 2, 3, 5, 8}) {
            double[] a = new double[vectors * len + 2];
            for (int i = 0; i < a.length; i++) {
                a[i] = i < specials.length ? specials[i] : (r.nextDouble() - 0.5) * 40;
            }
            double[] got = a.clone();
            VectorMath.logistic(got, 1, 1 + vectors * len, 5.0);
            for (int i = 0; i < a.length; i++) {
                double want = i < 1 || i > vectors * len ? a[i] : 5.0 / (1 + VectorMath.exp(a[i]));
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got[i]),
                        vectors + " vectors, logistic(" + a[i] + ")");
            }
        }
    }

    @Test
    void sameBitsBeforeAndAfterJitCompilation() {
        double[] xs = new double[64];
        double[] cold = new double[xs.length];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -30 + 60 * r.nextDouble();
            cold[i] = VectorMath.exp(xs[i]);
        }
        double sink = 0;
        for (int rep = 0; rep < 300_000; rep++) {
            sink += VectorMath.exp(xs[rep & 63]);
        }
        assertTrue(sink > 0);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Double.doubleToRawLongBits(cold[i]), Double.doubleToRawLongBits(VectorMath.exp(xs[i])));
        }
    }

    @org.junit.jupiter.api.Test
    void multiplyAddGivesTheBitsOfOneFusedMultiplyAddPerTermInOrder() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        // shapes with row and column remainders around the tile (4 rows, 1 and 2 vectors of any width)
        for (int[] shape : new int[][] {{1, 3, 5}, {4, 7, 16}, {6, 10, 20}, {9, 100, 100}, {13, 33, 37}, {8, 2, 1}}) {
            int rows = shape[0];
            int inner = shape[1];
            int n = shape[2];
            int lda = inner + 2;
            int ldw = n + 3;
            int ldz = n + 1;
            double[] a = new double[rows * lda];
            double[] w = new double[inner * ldw + 1];
            double[] z = new double[rows * ldz + 2];
            for (double[] x : new double[][] {a, w, z}) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = rng.nextDouble(-1, 1) * (rng.nextInt(4) == 0 ? 0 : 1);
                }
            }
            double[] want = z.clone();
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < n; k++) {
                    double s = want[1 + r * ldz + k];
                    for (int j = 0; j < inner; j++) {
                        s = Math.fma(a[r * lda + j], w[1 + j * ldw + k], s);
                    }
                    want[1 + r * ldz + k] = s;
                }
            }
            double[] got = z.clone();
            VectorMath.multiplyAdd(a, 0, lda, rows, inner, w, 1, ldw, got, 1, ldz, n);
            for (int i = 0; i < got.length; i++) {
                org.junit.jupiter.api.Assertions.assertEquals(Double.doubleToLongBits(want[i]),
                        Double.doubleToLongBits(got[i]), java.util.Arrays.toString(shape) + " at " + i);
            }
        }
    }

    @Test
    void compiledExpAllocatesNothing() throws Exception {
        // Once C2 has compiled the loop, every vector must live in registers: the library's Java fallback for an
        // op C2 could not intrinsify allocates several objects per vector (JDK 17 did so for the bit casts in
        // about half the runs, and then ran at half speed). Checked in a fresh JVM with the launcher's options, as
        // a command runs: this suite's JVM has compiled the vector library for many other loops first, and once in
        // about four full runs its C2 then kept the fallback here.
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules",
                "jdk.incubator.vector", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
                ExpAllocationProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        String last = out.strip().lines().reduce((x, y) -> y).orElse("");
        assertEquals("0", last, "bytes allocated by the fewest-allocating round of 20,000 calls: " + out);
    }
}
