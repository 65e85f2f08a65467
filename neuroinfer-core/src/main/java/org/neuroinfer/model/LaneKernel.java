package org.neuroinfer.model;

/**
 * One forward-Euler step of a node in many networks at once (lanes), a vector of lanes at a time. The arrays are
 * those of one node: variable v of lane l sits at {@code s[v L + l]} (L lanes). A kernel must give every lane the bits
 * that {@link NodeModel#derivatives}, the Euler update {@code s += dt ds}, {@link NodeModel#constrain},
 * {@link NodeModel#coupledValue} and {@link NodeModel#boldInput} give that lane's model alone (the same operations
 * in the same order, no fused multiply-add), so a run has the same bits in lanes and alone.
 */
public interface LaneKernel {
    /**
     * Steps lanes [0, to) of one node; {@code to} is a multiple of the vector length.
     *
     * @param s     the node's state, updated in place
     * @param ou    the node's OU inputs (their values before this step's update)
     * @param lanes L, the number of lanes
     * @param input coupling input per lane
     * @param dt    the step in ms
     * @param to    lanes to step
     * @param cv    receives each lane's new coupled value
     * @param z     receives each lane's BOLD input at {@code z[zBase + l]}
     * @param zBase the node's offset in {@code z}
     * @param work  scratch of at least {@code 4 lanes} values, the node's own (threads never share it)
     */
    void step(double[] s, double[] ou, int lanes, double[] input, double dt, int to, double[] cv, double[] z,
              int zBase, double[] work);
}
