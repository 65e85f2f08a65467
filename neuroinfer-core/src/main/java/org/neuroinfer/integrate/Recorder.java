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

    /**
     * Whether this recorder reads nothing but the model's output ({@code BatchModel.output}): its blocks then also
     * take {@link Block#recordOutput}, which an engine that keeps its state in another form (single precision) calls
     * with the output computed from that form, never making the state rows current in double.
     */
    default boolean outputOnly() {
        return false;
    }

    /** The per-block part of a recorder. */
    interface Block {
        /** The state [dim x lanes] at output sample {@code sample} (t = sample / sfreq). */
        void record(int sample, double[] state);

        /**
         * The model's output [lanes] at output sample {@code sample}, the same numbers {@link #record} would have
         * computed from the state; called only on the blocks of an {@link #outputOnly} recorder.
         */
        default void recordOutput(int sample, double[] output) {
            throw new UnsupportedOperationException("this recorder reads the state, not only the output");
        }

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
        boolean outputOnly = a.outputOnly() && b.outputOnly();
        return new Recorder() {
            @Override
            public int[] rows() {
                return union == null ? null : union.clone();
            }

            @Override
            public boolean outputOnly() {
                return outputOnly;
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
            public void recordOutput(int sample, double[] output) {
                ba.recordOutput(sample, output);
                bb.recordOutput(sample, output);
            }

            @Override
            public void close() {
                ba.close();
                bb.close();
            }
        };
    }
}
