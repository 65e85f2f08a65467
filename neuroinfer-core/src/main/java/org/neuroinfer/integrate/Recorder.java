package org.neuroinfer.integrate;

/**
 * Receives the state of a block of simulations at every output sample. Blocks run concurrently; a recorder writes
 * only to the slots of the simulations of its block, so results do not depend on the number of threads.
 */
public interface Recorder {

    /** Starts recording simulations {@code first .. first+count-1}, held in lanes {@code 0 .. count-1}. */
    Block open(int first, int count, int lanes);

    /**
     * The state rows this recorder reads, or null for all (the default). An engine that keeps its state in another
     * form (single precision) converts only these rows for it.
     */
    default int[] rows() {
        return null;
    }

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
        int[] ra = a.rows();
        int[] rb = b.rows();
        int[] union = ra == null || rb == null ? null : java.util.stream.IntStream.concat(
                java.util.Arrays.stream(ra), java.util.Arrays.stream(rb)).distinct().sorted().toArray();
        return new Recorder() {
            @Override
            public int[] rows() {
                return union == null ? null : union.clone();
            }

            @Override
            public Block open(int first, int count, int lanes) {
                return pair(a.open(first, count, lanes), b.open(first, count, lanes));
            }
        };
    }

    private static Block pair(Block ba, Block bb) {
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
    }
}
