package org.neuroinfer.dataset;

import java.lang.ref.SoftReference;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Shard-sized recording buffers ([recordings][channels][samples], 150 MB for a benchmark shard) kept in this JVM
 * between generations, so that the one-shard tasks of a Spark executor reuse them as one machine's run reuses its two
 * rather than allocating one per task (measured: a fresh buffer per task kept G1 marking and the kernel zeroing pages,
 * +45 % on one core). Held softly: the collector frees them when memory runs short.
 */
final class ShardBuffers {
    /** At most this many idle buffers are kept. */
    private static final int KEPT = 4;
    private static final ConcurrentLinkedDeque<SoftReference<float[][][]>> IDLE = new ConcurrentLinkedDeque<>();

    private ShardBuffers() {
    }

    /** An idle buffer of {@code n} x {@code ch} x {@code len}, or null when there is none (the caller allocates). */
    static float[][][] take(int n, int ch, int len) {
        for (SoftReference<float[][][]> r : IDLE) {
            float[][][] x = r.get();
            if (x == null) {
                IDLE.remove(r);
            } else if (x.length == n && x[0].length == ch && x[0][0].length == len && IDLE.remove(r)) {
                return x;
            }
        }
        return null;
    }

    /** Keeps {@code x} (no longer used by its caller) for a later generation; null is ignored. */
    static void give(float[][][] x) {
        if (x != null && x.length > 0 && x[0].length > 0 && IDLE.size() < KEPT) {
            IDLE.push(new SoftReference<>(x));
        }
    }
}
