package org.neuroinfer.integrate;

import org.neuroinfer.model.BatchModel;

/** Advances one block of lanes by one step of a {@link Scheme}; holds the stage buffers, allocates nothing per step. */
final class BatchStepper {
    private final BatchModel model;
    private final Scheme scheme;
    private final int lanes;
    private final int size;
    private final double[][] k;
    private final double[] stage;

    BatchStepper(BatchModel model, Scheme scheme, int lanes) {
        this.model = model;
        this.scheme = scheme;
        this.lanes = lanes;
        this.size = model.stateDimension() * lanes;
        this.k = new double[scheme.stages()][size];
        this.stage = new double[size];
    }

    /**
     * One step of size h from time t with the stimulus held at u.
     *
     * @param noise the increments g dW per state and lane for this step, or null for a deterministic step
     */
    void step(double t, double h, double u, double[] y, double[] coeffs, double[] noise) {
        int n = size;
        int stages = scheme.stages();
        if (stages == 1) {
            model.eulerStep(t, h, y, coeffs, u, noise, k[0], lanes);
            return;
        }
        model.derivatives(t, y, coeffs, u, k[0], lanes);
        double[][] a = scheme.a();
        double[] c = scheme.c();
        for (int s = 1; s < stages; s++) {
            double[] row = a[s];
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int j = 0; j < s; j++) {
                    sum += row[j] * k[j][i];
                }
                stage[i] = y[i] + h * sum;
            }
            if (noise != null && c[s] != 0) {
                double cs = c[s];
                for (int i = 0; i < n; i++) {
                    stage[i] += cs * noise[i];
                }
            }
            model.derivatives(t + c[s] * h, stage, coeffs, u, k[s], lanes);
        }
        double[] b = scheme.b();
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < stages; j++) {
                sum += b[j] * k[j][i];
            }
            y[i] = y[i] + h * sum;
        }
        if (noise != null) {
            for (int i = 0; i < n; i++) {
                y[i] += noise[i];
            }
        }
    }
}
