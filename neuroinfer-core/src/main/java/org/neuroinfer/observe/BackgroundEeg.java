package org.neuroinfer.observe;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.neuroinfer.observe.head.Montage;
import org.neuroinfer.observe.head.SphericalHead;
import org.neuroinfer.random.RandomStreams;

/**
 * Realistic background EEG: K latent cortical sources (radial dipoles at random places in the brain, fixed by the
 * seed) seen through the head's lead field, so its spatial correlation is the head's; each source's activity is
 * a 1/f^beta process (a sum of Lorentzians with log-spaced corners, variances weighted as f_j^(1 - beta) so that
 * the spectrum falls as f^-beta between them) plus an alpha rhythm (an AR(2) resonator). The whole is scaled so
 * that the channels' mean variance is rms^2.
 *
 * @param mixing        [channels][K] average-referenced lead field of the latent sources, scaled to the rms
 * @param beta          spectral exponent
 * @param alphaFraction fraction of each source's variance in the alpha rhythm
 * @param alphaHz       alpha peak frequency
 * @param alphaWidthHz  alpha peak width (the pole radius is exp(-pi width dt))
 * @param sfreq         sampling rate
 */
public record BackgroundEeg(double[][] mixing, double beta, double alphaFraction, double alphaHz, double alphaWidthHz,
                            double sfreq) {
    /** Corner frequencies of the 1/f components (Hz). */
    static final double[] CORNERS = {0.25, 1, 4, 16, 64, 256};
    private static final long PLACES = 6;

    /**
     * K sources through the built-in head and {@code montage}, with channel-mean RMS {@code rms} (V).
     */
    public static BackgroundEeg of(Montage montage, int sources, double rms, double beta, double alphaFraction,
                                   long seed) {
        if (sources < 1 || !(rms >= 0) || !(beta > 0 && beta < 2) || !(alphaFraction >= 0 && alphaFraction <= 1)) {
            throw new IllegalArgumentException("background EEG needs sources >= 1, rms >= 0, 0 < beta < 2 and an "
                    + "alpha fraction in [0, 1]");
        }
        SphericalHead head = SphericalHead.fourShell();
        UniformRandomProvider rng = RandomStreams.stream(seed, 0, PLACES);
        double[][] pos = new double[sources][];
        double rmax = 0.9 * head.innerRadius();
        for (int k = 0; k < sources; k++) {
            double x;
            double y;
            double z;
            do {
                x = rng.nextDouble(-1, 1);
                y = rng.nextDouble(-1, 1);
                z = rng.nextDouble(0, 1); // the upper half, where the cortex under the cap is
            } while (x * x + y * y + z * z > 1 || x * x + y * y + z * z < 0.25);
            pos[k] = new double[] {head.centre()[0] + rmax * x, head.centre()[1] + rmax * y,
                head.centre()[2] + rmax * z};
        }
        LeadField lf = LeadField.fixed(head, montage, pos, LeadField.radial(head, pos)).averageReferenced();
        int ch = lf.channels().length;
        double[][] m = new double[ch][sources];
        double power = 0;
        for (int c = 0; c < ch; c++) {
            for (int k = 0; k < sources; k++) {
                m[c][k] = lf.matrix()[c * sources + k];
                power += m[c][k] * m[c][k] / ch; // each source has unit variance
            }
        }
        double scale = power == 0 ? 0 : rms / Math.sqrt(power);
        for (double[] row : m) {
            for (int k = 0; k < sources; k++) {
                row[k] *= scale;
            }
        }
        return new BackgroundEeg(m, beta, alphaFraction, 10, 2, 1000);
    }

    /** Number of channels. */
    public int channels() {
        return mixing.length;
    }

    /** Mean variance over channels (V^2). */
    public double power() {
        double p = 0;
        for (double[] row : mixing) {
            for (double v : row) {
                p += v * v;
            }
        }
        return p / mixing.length;
    }

    /**
     * One source's unit-variance activity over {@code n} samples, passed sample by sample to {@code sink}.
     */
    void source(int n, NormalizedGaussianSampler g, java.util.function.DoubleConsumer sink) {
        double dt = 1 / sfreq;
        int nc = CORNERS.length;
        double[] phi = new double[nc];
        double[] gain = new double[nc];
        double wsum = 0;
        for (int j = 0; j < nc; j++) {
            wsum += Math.pow(CORNERS[j], 1 - beta);
        }
        for (int j = 0; j < nc; j++) {
            phi[j] = Math.exp(-2 * Math.PI * CORNERS[j] * dt);
            double var = (1 - alphaFraction) * Math.pow(CORNERS[j], 1 - beta) / wsum;
            gain[j] = Math.sqrt(var * (1 - phi[j] * phi[j]));
        }
        double r = Math.exp(-Math.PI * alphaWidthHz * dt);
        double w = 2 * Math.PI * alphaHz * dt;
        double a1 = 2 * r * Math.cos(w);
        double a2 = -r * r;
        // stationary variance of x_t = a1 x_(t-1) + a2 x_(t-2) + e_t per unit innovation variance
        double arVar = (1 - a2) / ((1 + a2) * ((1 - a2) * (1 - a2) - a1 * a1));
        double alphaGain = Math.sqrt(alphaFraction / arVar);
        double[] x = new double[nc];
        for (int j = 0; j < nc; j++) {
            x[j] = Math.sqrt((1 - alphaFraction) * Math.pow(CORNERS[j], 1 - beta) / wsum) * g.sample();
        }
        // start the resonator from its stationary state (approximately: a burn-in of 2 s)
        double p1 = 0;
        double p2 = 0;
        for (int t = 0; t < 2 * sfreq; t++) {
            double next = a1 * p1 + a2 * p2 + g.sample();
            p2 = p1;
            p1 = next;
        }
        for (int t = 0; t < n; t++) {
            double v = 0;
            for (int j = 0; j < nc; j++) {
                x[j] = phi[j] * x[j] + gain[j] * g.sample();
                v += x[j];
            }
            double next = a1 * p1 + a2 * p2 + g.sample();
            p2 = p1;
            p1 = next;
            sink.accept(v + alphaGain * next);
        }
    }

    /** Adds a continuous background realisation to {@code x} [channels x n], row-major. */
    public void addContinuous(double[] x, int n, UniformRandomProvider rng) {
        NormalizedGaussianSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
        int k = mixing[0].length;
        double[] s = new double[n];
        for (int src = 0; src < k; src++) {
            int[] t = {0};
            source(n, g, v -> s[t[0]++] = v);
            for (int c = 0; c < mixing.length; c++) {
                double m = mixing[c][src];
                for (int i = 0; i < n; i++) {
                    x[c * n + i] += m * s[i];
                }
            }
        }
    }

    /**
     * Adds the epoch-averaged background of a recording of {@code nSamples} samples to {@code evoked} [channels x
     * window length]: each source runs through the whole protocol and is epoched and averaged like the signal.
     */
    public void addEvoked(double[] evoked, int[] onsets, int nSamples, EpochWindow window,
                          UniformRandomProvider rng) {
        NormalizedGaussianSampler g = ZigguratSampler.NormalizedGaussian.of(rng);
        int k = mixing[0].length;
        int len = window.length();
        for (int src = 0; src < k; src++) {
            double[] s = new double[nSamples];
            int[] t = {0};
            source(nSamples, g, v -> s[t[0]++] = v);
            double[] e = EvokedRecorder.of(s, onsets, window);
            for (int c = 0; c < mixing.length; c++) {
                double m = mixing[c][src];
                for (int j = 0; j < len; j++) {
                    evoked[c * len + j] += m * e[j];
                }
            }
        }
    }
}
