package org.neuroinfer.observe.head;

/**
 * A multi-shell spherical head evaluated with the Berg-Scherg approximation: the potential of the layered sphere
 * as a weighted sum of homogeneous-sphere potentials of dipoles at scaled positions (Berg &amp; Scherg 1994,
 * Electroencephalogr. Clin. Neurophysiol. 90:58; as implemented by MNE-Python's sphere model, Zhang 1995 for the
 * homogeneous-sphere term).
 *
 * @param centre      sphere centre (x, y, z), metres, head frame
 * @param radius      outer (scalp) radius in metres
 * @param relRadii    shell radii relative to {@code radius}, inner to outer (brain, CSF, skull, scalp)
 * @param sigmas      shell conductivities in S/m
 * @param bergMu      position scalings mu_k of the Berg fit
 * @param bergLambda  weights lambda_k of the Berg fit
 */
public record SphericalHead(double[] centre, double radius, double[] relRadii, double[] sigmas, double[] bergMu,
                            double[] bergLambda) {

    /**
     * The default four-shell head: radius 0.095 m, shells 0.90 / 0.92 / 0.97 / 1.00 R (brain, CSF, skull, scalp)
     * with 0.33, 1.0, 0.004, 0.33 S/m, and MNE's three-term Berg fit of that model (mu, lambda).
     */
    public static SphericalHead fourShell() {
        return new SphericalHead(Montage.HEAD_CENTRE.clone(), Montage.HEAD_RADIUS,
                new double[] {0.90, 0.92, 0.97, 1.00}, new double[] {0.33, 1.0, 0.004, 0.33},
                new double[] {0.9473765611075856, 0.6729894650343431, -0.6877746555290951},
                new double[] {0.39640869636756926, 2.072335507504524, -0.013078741241133125});
    }

    /** Radius of the innermost shell, inside which dipoles must lie. */
    public double innerRadius() {
        return relRadii[0] * radius;
    }

    /**
     * The potential at {@code electrode} of a unit dipole at {@code dipole} per moment component: out[0..2] in V
     * per A·m for moments along x, y and z. Positions in metres, head frame.
     *
     * @throws IllegalArgumentException if the dipole is not strictly inside the innermost shell or at the centre
     */
    public void potential(double[] electrode, double[] dipole, double[] out) {
        double ex = electrode[0] - centre[0];
        double ey = electrode[1] - centre[1];
        double ez = electrode[2] - centre[2];
        double rx = dipole[0] - centre[0];
        double ry = dipole[1] - centre[1];
        double rz = dipole[2] - centre[2];
        double rn = Math.sqrt(rx * rx + ry * ry + rz * rz);
        if (!(rn < innerRadius()) || rn == 0) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "dipole at (%.4f, %.4f, %.4f) m "
                            + "is %.4f m from the head centre; it must lie inside the brain shell (0 < r < %.4f m)",
                    dipole[0], dipole[1], dipole[2], rn, innerRadius()));
        }
        double re2 = ex * ex + ey * ey + ez * ez;
        double re = Math.sqrt(re2);
        double vx = 0;
        double vy = 0;
        double vz = 0;
        for (int k = 0; k < bergMu.length; k++) {
            double mu = bergMu[k];
            double dx = mu * rx;
            double dy = mu * ry;
            double dz = mu * rz;
            double ax = ex - dx;
            double ay = ey - dy;
            double az = ez - dz;
            double a = Math.sqrt(ax * ax + ay * ay + az * az);
            double a3 = a * a * a;
            double erd = ex * dx + ey * dy + ez * dz;
            double rd2 = dx * dx + dy * dy + dz * dz;
            double f = a * (re * a + re2 - erd);
            double c1 = 2 * (erd - rd2) / a3 + 1 / a - 1 / re;
            double c2 = 2 / a3 + (a + re) / (re * f);
            double w = bergLambda[k] / rd2;
            double cr = c1 - c2 * erd;
            double ce = c2 * rd2;
            vx += w * (cr * dx + ce * ex);
            vy += w * (cr * dy + ce * ey);
            vz += w * (cr * dz + ce * ez);
        }
        double s = 1 / (4 * Math.PI);
        out[0] = vx * s;
        out[1] = vy * s;
        out[2] = vz * s;
    }
}
