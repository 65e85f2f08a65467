package org.neuroinfer.learn.nn;

/**
 * How an {@link Lstm} layer computes its recurrence. Both give the same function; the engine's self-check at start
 * picks the first one that matches a double-precision evaluation on the machine it runs on.
 */
public enum LstmKernel {
    /**
     * libtorch's fused LSTM (oneDNN's RNN primitive on x86), with the hidden width padded by inert units to a whole
     * number of {@link #BLOCK}-unit blocks. oneDNN 3.7.1's AVX-512 inference kernel ({@code brgemm:avx512_core},
     * libtorch 2.7.1) returns wrong states when the width leaves a partial block of 1–16 units (measured: H = 3 is
     * 14 % off at the first step, H = 64 is exact); with whole blocks it is right. A padded unit has zero weights and
     * biases, so its gates stay at σ(0) and its cell and output at 0: it neither sees nor changes the real units, and
     * its weights' gradients are 0.
     */
    FUSED,
    /**
     * The input projection of every step in one matrix product, then one product with W_hh and the gate
     * non-linearities per step, in elementary operations: no RNN primitive, about T times more native calls.
     */
    STEPWISE;

    /** The width, in units, of the blocks the fused kernel's weights are laid out in. */
    public static final int BLOCK = 32;

    /** {@code hidden} rounded up to a whole number of blocks. */
    public static int paddedWidth(int hidden) {
        return (hidden + BLOCK - 1) / BLOCK * BLOCK;
    }
}
