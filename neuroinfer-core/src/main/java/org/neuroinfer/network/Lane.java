package org.neuroinfer.network;

/**
 * One lane's outcome of networks integrated side by side ({@link NetworkSimulator#runLanes}, {@link AlnLanes}): its
 * run, or why it diverged. A lane that diverged does not disturb the others.
 *
 * @param result     the run, or null if it diverged
 * @param divergence the divergence, or null
 * @param <T>        what a run gives
 */
public record Lane<T>(T result, ArithmeticException divergence) {
    /** The result, or the divergence thrown. */
    public T orThrow() {
        if (divergence != null) {
            throw divergence;
        }
        return result;
    }
}
