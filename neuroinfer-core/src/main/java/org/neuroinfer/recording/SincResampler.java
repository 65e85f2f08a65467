package org.neuroinfer.recording;

/**
 * Values of a sampled signal at any time by band-limited interpolation: a Kaiser-windowed sinc whose cutoff is the
 * lower of the two Nyquist frequencies, so going to a lower rate is low-pass filtered against aliasing (Smith,
 * "Digital Audio Resampling", ccrma.stanford.edu/~jos/resample; Kaiser window with beta = 8), weights normalised
 * to sum to one so a constant passes unchanged.
 */
public final class SincResampler {
    private static final double BETA = 8;
    private static final int ZERO_CROSSINGS = 16;
    private final double cutoff;
    private final int half;
    private final double i0Beta;

    /** A resampler from {@code fromRate} to {@code toRate} samples per second. */
    public SincResampler(double fromRate, double toRate) {
        this.cutoff = Math.min(1, toRate / fromRate);
        this.half = (int) Math.ceil(ZERO_CROSSINGS / cutoff);
        this.i0Beta = besselI0(BETA);
    }

    /** Input samples on each side of an output time that it reads. */
    public int halfWidth() {
        return half;
    }

    /**
     * The weights of input samples {@code first .. first + weights.length - 1} for the value at input position
     * {@code u} (in samples, fractional), normalised to sum to one; returns {@code first}.
     */
    public int weights(double u, double[] w) {
        int first = (int) Math.floor(u) - half + 1;
        double sum = 0;
        for (int j = 0; j < w.length; j++) {
            double x = u - (first + j);
            double r = x / half;
            double win = Math.abs(r) >= 1 ? 0 : besselI0(BETA * Math.sqrt(1 - r * r)) / i0Beta;
            double px = Math.PI * cutoff * x;
            w[j] = win * (x == 0 ? 1 : Math.sin(px) / px);
            sum += w[j];
        }
        for (int j = 0; j < w.length; j++) {
            w[j] /= sum;
        }
        return first;
    }

    /** Taps per output value. */
    public int taps() {
        return 2 * half;
    }

    /** The modified Bessel function of the first kind, order 0, by its power series. */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        return sum;
    }
}
