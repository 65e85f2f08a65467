package org.neuroinfer.learn.store;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.neuroinfer.learn.torch.EngineCheck;

/**
 * A saved model's numeric fingerprint: the network's raw outputs on a fixed probe input, recorded in
 * {@code model.json} when the model is saved and recomputed when it is loaded, so a model moved to a machine whose
 * native kernels compute differently says so instead of predicting quietly wrong numbers.
 *
 * @param probe     how the probe input is made ({@link #PROBE})
 * @param outputs   the network's raw outputs on it (standardised parameters, or log densities)
 * @param tolerance the largest accepted |now − recorded| / (1 + |recorded|)
 * @param cpu       the CPU it was recorded on
 */
public record Fingerprint(@JsonProperty("probe") String probe, @JsonProperty("outputs") double[] outputs,
                          @JsonProperty("tolerance") double tolerance, @JsonProperty("cpu") String cpu) {
    /** The probe input's name: {@code sin-v1}, x_k = sin(0.37 k + 0.2), k the flat index over all rows. */
    public static final String PROBE = "sin-v1";
    /** Rows of the probe input. */
    public static final int ROWS = 4;
    /**
     * The tolerance recorded in new fingerprints. The same model's outputs on AVX-512 and on AVX2 kernels, and on
     * 1 and 2 threads, differ by less than 1e-6 (measured, see docs/learning.md); the LSTM fault this guards
     * against moved them by 1e-3 and more.
     */
    public static final double TOLERANCE = 1e-4;

    /** The probe input: {@code n} standardised values. */
    public static float[] probeInput(int n) {
        float[] x = new float[n];
        for (int k = 0; k < n; k++) {
            x[k] = (float) Math.sin(0.37 * k + 0.2);
        }
        return x;
    }

    /** A fingerprint of a network's {@code outputs} on the probe input, on this machine. */
    public static Fingerprint of(float[] outputs) {
        return new Fingerprint(PROBE, widen(outputs), TOLERANCE, EngineCheck.cpu());
    }

    private static double[] widen(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /**
     * Compares the network's outputs on the probe input on this machine, {@code computed}, with the recorded ones.
     *
     * @throws IOException naming {@code file}, the worst output, the tolerance and both CPUs, if they differ
     */
    public void check(float[] computed, Path file) throws IOException {
        double[] now = widen(computed);
        if (!PROBE.equals(probe)) {
            throw new IOException(file + ": fingerprint probe '" + probe + "' is not one this neuroinfer knows ("
                    + PROBE + "); use a newer neuroinfer");
        }
        if (outputs == null || now.length != outputs.length) {
            throw new IOException(file + ": the fingerprint holds " + (outputs == null ? 0 : outputs.length)
                    + " outputs, the network gives " + now.length);
        }
        int worst = EngineCheck.worst(now, outputs);
        double dev = worst < 0 ? 0 : EngineCheck.relative(now[worst], outputs[worst]);
        if (dev > tolerance) {
            throw new IOException(String.format(Locale.ROOT, "%s: this machine computes the model differently from "
                    + "the one it was saved on: on the fingerprint's probe input output %d is %.9g here and was %.9g "
                    + "(relative deviation %.2e, tolerance %.0e), so its predictions here would not be the ones it "
                    + "was trained to give. Saved on: %s. Here: %s. See 'The engine on another CPU' in "
                    + "docs/learning.md (setting DNNL_MAX_CPU_ISA=AVX2 may help).", file, worst, now[worst],
                    outputs[worst],
                    dev, tolerance, cpu, EngineCheck.cpu()));
        }
    }
}
