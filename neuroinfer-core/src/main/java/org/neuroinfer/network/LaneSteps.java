package org.neuroinfer.network;

import org.neuroinfer.numeric.StepTeam;

/**
 * The step loop that networks integrated as lanes share ({@link NetworkSimulator}, {@link AlnLanes}): each step's
 * node work on a {@link StepTeam}, then each lane's values recorded, the first divergence of each lane kept, and the
 * loop stopped early once every lane has diverged. Also the delayed reads' ring arithmetic.
 */
final class LaneSteps {
    /** What happens to one lane after a step. */
    interface AfterStep {
        /**
         * Records lane {@code lane}'s values after step {@code k}; returns its divergence, or null. {@code alive}
         * says whether the lane has not diverged yet (a diverged lane need not be checked again).
         */
        ArithmeticException record(int k, int lane, boolean alive);
    }

    private LaneSteps() {
    }

    /**
     * Runs {@code steps} steps of {@code work} over {@code nodes} nodes on {@code threads} threads; {@code current[0]}
     * holds the step the work is doing. Returns each lane's first divergence (null for a lane that stayed finite).
     */
    static ArithmeticException[] run(int steps, int nodes, int threads, int lanes, int[] current, StepTeam.Range work,
                                     AfterStep after) {
        ArithmeticException[] diverged = new ArithmeticException[lanes];
        int alive = lanes;
        try (StepTeam team = new StepTeam(threads, nodes)) {
            for (int k = 0; k < steps && alive > 0; k++) {
                current[0] = k;
                team.run(work);
                for (int l = 0; l < lanes; l++) {
                    ArithmeticException d = after.record(k, l, diverged[l] == null);
                    if (d != null && diverged[l] == null) {
                        diverged[l] = d;
                        alive--;
                    }
                }
            }
        }
        return diverged;
    }

    /** Column {@code c mod ring} of a ring, for {@code -ring < c < ring}: a delayed read without a division. */
    static int column(int c, int ring) {
        return c + ((c >> 31) & ring);
    }
}
