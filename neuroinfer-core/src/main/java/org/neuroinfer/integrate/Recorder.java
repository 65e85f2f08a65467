package org.neuroinfer.integrate;

/**
 * Receives the state of a block of simulations at every output sample. Blocks run concurrently; a recorder writes
 * only to the slots of the simulations of its block, so results do not depend on the number of threads.
 */
public interface Recorder {

    /** Starts recording simulations {@code first .. first+count-1}, held in lanes {@code 0 .. count-1}. */
    Block open(int first, int count, int lanes);

    /** The per-block part of a recorder. */
    interface Block {
        /** The state [dim x lanes] at output sample {@code sample} (t = sample / sfreq). */
        void record(int sample, double[] state);

        /** Called after the last sample of a block that finished without error. */
        default void close() {
        }
    }

    /** A recorder feeding both {@code a} and {@code b}. */
    static Recorder both(Recorder a, Recorder b) {
        return (first, count, lanes) -> {
            Block ba = a.open(first, count, lanes);
            Block bb = b.open(first, count, lanes);
            return new Block() {
                @Override
                public void record(int sample, double[] state) {
                    ba.record(sample, state);
                    bb.record(sample, state);
                }

                @Override
                public void close() {
                    ba.close();
                    bb.close();
                }
            };
        };
    }
}
