package org.neuroinfer.learn.npe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bounds transform: inverse of itself, its Jacobian against finite differences, and reject as identity. */
class BoundsTransformTest {
    static final PosteriorCard.Support SUPPORT = PosteriorCard.Support.box(
            new double[]{2, 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
            new double[]{4, Double.POSITIVE_INFINITY, 1, Double.POSITIVE_INFINITY});

    @Test
    void inverseUndoesForwardAndTheJacobianMatchesFiniteDifferences() {
        BoundsTransform t = BoundsTransform.of(SUPPORT, EstimatorSpec.TRANSFORM);
        double[] theta = {2.3, 0.7, -4.0, 12.5};
        double[] u = t.forward(theta);
        assertArrayEquals(theta, t.inverse(u.clone()), 1e-12);
        assertEquals(12.5, u[3], 0);
        assertEquals(org.neuroinfer.param.Prior.probit(0.15), u[0], 1e-12, "uniform: the probit of the box");
        double logDet = 0;
        for (int j = 0; j < theta.length; j++) {
            double h = 1e-6;
            double[] a = theta.clone();
            double[] b = theta.clone();
            a[j] -= h;
            b[j] += h;
            logDet += Math.log(Math.abs((t.forward(b)[j] - t.forward(a)[j]) / (2 * h)));
        }
        assertEquals(logDet, t.logAbsDetJacobian(theta), 1e-7);
        double[] far = t.inverse(new double[]{800, -800, 800, 0});
        assertTrue(far[0] <= 4 && far[1] >= 0 && far[2] <= 1, java.util.Arrays.toString(far));
    }

    @Test
    void aTruncatedNormalPriorBecomesStandardNormal() {
        PosteriorCard.Support s = PosteriorCard.Support.box(new double[]{10}, new double[]{30})
                .withPriors(java.util.List.of("truncated-normal"));
        BoundsTransform t = BoundsTransform.of(s, EstimatorSpec.TRANSFORM);
        assertEquals(0, t.forward(new double[]{20})[0], 1e-12);
        double a = org.neuroinfer.param.Prior.normalCdf(-2);
        double kept = org.neuroinfer.param.Prior.normalCdf(2) - a;
        assertEquals(org.neuroinfer.param.Prior.probit((org.neuroinfer.param.Prior.normalCdf(1) - a) / kept),
                t.forward(new double[]{25})[0], 1e-12, "u = Φ⁻¹(F(θ)), the prior's sd being (hi - lo) / 4 = 5");
        assertEquals(12.5, t.inverse(t.forward(new double[]{12.5}))[0], 1e-9);
        double h = 1e-6;
        double fd = (t.forward(new double[]{23 + h})[0] - t.forward(new double[]{23 - h})[0]) / (2 * h);
        assertEquals(Math.log(fd), t.logAbsDetJacobian(new double[]{23}), 1e-7);
    }

    @Test
    void outsideTheBoundsIsNanAndMinusInfinity() {
        BoundsTransform t = BoundsTransform.of(SUPPORT, EstimatorSpec.TRANSFORM);
        assertTrue(Double.isNaN(t.forward(new double[]{4.5, 1, 0, 0})[0]));
        assertTrue(Double.isNaN(t.forward(new double[]{3, -1, 0, 0})[1]));
        assertEquals(Double.NEGATIVE_INFINITY, t.logAbsDetJacobian(new double[]{3, 1, 2, 0}));
        assertTrue(Double.isFinite(t.forward(new double[]{2, 1, 0, 0})[0]), "a draw on a bound maps inside");
    }

    @Test
    void rejectLeavesEveryParameterAsItIs() {
        BoundsTransform t = BoundsTransform.of(SUPPORT, EstimatorSpec.REJECT);
        assertTrue(t.identity());
        double[] theta = {5, -2, 3, 1};
        assertArrayEquals(theta, t.forward(theta), 0);
        assertEquals(0, t.logAbsDetJacobian(theta), 0);
    }
}
