package org.neuroinfer.random;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Independent, reproducible random streams: stream {@code i} of seed {@code s} is the same whatever the batching
 * or the number of threads, so results depend only on the seed.
 */
public final class RandomStreams {
    private RandomStreams() {
    }

    /** The integers 0 .. n − 1 in an order drawn from {@code rng} ({@link #shuffle}). */
    public static int[] permutation(int n, UniformRandomProvider rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, rng);
        return p;
    }

    /** Shuffles {@code a} in place: Fisher-Yates from the last element down, one {@code nextInt} per element. */
    public static void shuffle(int[] a, UniformRandomProvider rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Purpose of the prior draws of simulation {@code index}. */
    public static final long PRIOR = 0;
    /** Purpose of the intrinsic-noise increments of simulation {@code index}. */
    public static final long NOISE = 1;
    /** Purpose of the sensor noise of recording {@code index}. */
    public static final long EEG_NOISE = 2;
    /** Purpose of the background EEG of recording {@code index}. */
    public static final long BACKGROUND = 7;
    /** Purpose of a network's initial weights (index: the parameter's position). */
    public static final long WEIGHTS = 9;
    /** Purpose of the order of training examples (index: the epoch). */
    public static final long SHUFFLE = 10;
    /** Purpose of a flow's fixed permutations (index: the transform). */
    public static final long PERMUTATION = 11;
    /** Purpose of posterior draws (index: the observation). */
    public static final long POSTERIOR = 12;
    /** Purpose: the OU inputs of a network node (index: variable × nodes + node). */
    public static final long NETWORK_NOISE = 13;
    /** Purpose: a network's random initial state. */
    public static final long NETWORK_INIT = 14;
    /** Purpose: the speed of one stratum of an SGM spectra data set. */
    public static final long SGM_SPEED = 15;
    /** Purpose: the other parameters of one SGM spectrum. */
    public static final long SGM_PARAMS = 16;
    /** Purpose: measurement noise on one SGM spectrum. */
    public static final long SGM_NOISE = 17;

    /** The generator of stream {@code index} under {@code seed} (purpose {@link #PRIOR}). */
    public static UniformRandomProvider stream(long seed, long index) {
        return stream(seed, index, PRIOR);
    }

    /** The generator of stream {@code index} under {@code seed} for {@code purpose}; purposes never share bits. */
    public static UniformRandomProvider stream(long seed, long index, long purpose) {
        long a = mix(seed ^ 0x6a09e667f3bcc909L ^ mix(purpose * 0x9e3779b97f4a7c15L));
        long b = mix(a + mix(index + 0x3c6ef372fe94f82bL));
        long c = mix(b ^ 0xbb67ae8584caa73bL);
        long d = mix(c + 0xa54ff53a5f1d36f1L);
        return RandomSource.XO_SHI_RO_256_PP.create(new long[] {a, b, c, d == 0 ? 1 : d});
    }

    /** The SplitMix64 finaliser (Steele et al. 2014). */
    private static long mix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
