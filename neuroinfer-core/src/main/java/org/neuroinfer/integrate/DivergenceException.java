package org.neuroinfer.integrate;

import java.util.Arrays;

/** A simulation produced a non-finite state: the step is too large or the parameters make the model unstable. */
public class DivergenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int simulation;
    private final int sample;

    public DivergenceException(int simulation, int sample, long step, double time, String[] names, double[] params,
                               double dt) {
        super(String.format(java.util.Locale.ROOT, "integration diverged: non-finite state at output sample %d "
                        + "(integration step %d, t = %.4f s) of simulation %d with %s; reduce the step (--dt, now %s s),"
                        + " check the parameters, or pass --on-divergence nan to mark it and go on",
                sample, step, time, simulation, describe(names, params), dt));
        this.simulation = simulation;
        this.sample = sample;
    }

    private static String describe(String[] names, double[] params) {
        if (names.length != params.length) {
            return Arrays.toString(params);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i]).append('=').append(params[i]);
        }
        return sb.toString();
    }

    /** Index of the diverging simulation. */
    public int simulation() {
        return simulation;
    }

    /** Output sample at which the state was first seen non-finite. */
    public int sample() {
        return sample;
    }
}
