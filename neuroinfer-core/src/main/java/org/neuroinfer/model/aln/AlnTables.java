package org.neuroinfer.model.aln;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;

/**
 * The ALN model's precomputed transfer functions of the adaptive exponential integrate-and-fire population
 * (Augustin et al. 2017, PLoS Comput. Biol. 13:e1005545; Cakan &amp; Obermayer 2020, PLoS Comput. Biol.
 * 16:e1007822): steady-state rate (kHz), mean membrane potential (mV) and the time constant of the mean-input
 * filter (ms), on a grid of mean input mu (rows) × input standard deviation sigma (columns). They are neurolib's
 * data and are read from a folder ({@code mu_vals.npy}, {@code sigma_vals.npy}, {@code r_ss.npy},
 * {@code V_mean_ss.npy}, {@code tau_mu_exp.npy}), never shipped here. Bilinear interpolation as neurolib's
 * {@code fast_interp2_opt}, including its clamping outside the grid.
 */
public final class AlnTables {
    private final double mu0;
    private final double dmu;
    private final double muLast;
    private final double sigma0;
    private final double dsigma;
    private final double sigmaLast;
    private final int rows;
    private final int cols;
    private final double[] rate;
    private final double[] voltage;
    private final double[] tau;

    private AlnTables(double[] mu, double[] sigma, double[] rate, double[] voltage, double[] tau) {
        this.rows = mu.length;
        this.cols = sigma.length;
        this.mu0 = mu[0];
        this.dmu = mu[1] - mu[0];
        this.muLast = mu[rows - 1];
        this.sigma0 = sigma[0];
        this.dsigma = sigma[1] - sigma[0];
        this.sigmaLast = sigma[cols - 1];
        this.rate = rate;
        this.voltage = voltage;
        this.tau = tau;
    }

    /** Reads the tables from {@code dir}; the error names the folder and the missing or misshapen file. */
    public static AlnTables read(Path named) throws IOException {
        Path dir = org.neuroinfer.io.InputFiles.local(named);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("ALN tables: " + dir + " is not a folder (it needs mu_vals.npy, "
                    + "sigma_vals.npy, r_ss.npy, V_mean_ss.npy, tau_mu_exp.npy from neurolib's "
                    + "quantities_cascade.h5)");
        }
        double[] mu = load(dir, "mu_vals", -1, -1).data();
        double[] sigma = load(dir, "sigma_vals", -1, -1).data();
        if (mu.length < 2 || sigma.length < 2) {
            throw new IllegalArgumentException("ALN tables in " + dir + ": need at least 2 mu and 2 sigma values");
        }
        return new AlnTables(mu, sigma, load(dir, "r_ss", mu.length, sigma.length).data(),
                load(dir, "V_mean_ss", mu.length, sigma.length).data(),
                load(dir, "tau_mu_exp", mu.length, sigma.length).data());
    }

    private static NpyArray load(Path dir, String name, int rows, int cols) throws IOException {
        Path f = dir.resolve(name + ".npy");
        if (!Files.exists(f)) {
            throw new IllegalArgumentException("ALN tables: " + f + " is missing");
        }
        NpyArray a = Npy.load(f);
        if (rows > 0 && (a.shape().length != 2 || a.shape()[0] != rows || a.shape()[1] != cols)) {
            throw new IllegalArgumentException("ALN tables: " + f + " has shape " + java.util.Arrays.toString(
                    a.shape()) + ", expected [" + rows + ", " + cols + "] (mu × sigma)");
        }
        return a;
    }

    /**
     * Looks up (rate kHz, mean voltage mV, tau ms) at ({@code mu}, {@code sigma}) into {@code out}; with
     * {@code voltage} false the voltage is not computed.
     */
    public void lookup(double mu, double sigma, boolean withVoltage, double[] out) {
        int x1;
        double fx;
        if (sigma >= sigma0 && sigma < sigmaLast) {
            double xid = (sigma - sigma0) / dsigma;
            x1 = (int) Math.floor(xid);
            fx = xid - x1;
        } else {
            x1 = sigma < sigma0 ? 0 : cols - 1;
            fx = 0;
        }
        int y1;
        double fy;
        if (mu >= mu0 && mu < muLast) {
            double yid = (mu - mu0) / dmu;
            y1 = (int) Math.floor(yid);
            fy = yid - y1;
        } else {
            y1 = mu < mu0 ? 0 : rows - 1;
            fy = 0;
        }
        int x2 = x1 + 1 < cols ? x1 + 1 : 0;
        int y2 = y1 + 1 < rows ? y1 + 1 : 0;
        int a = y1 * cols + x1;
        int b = y1 * cols + x2;
        int c = y2 * cols + x1;
        int d = y2 * cols + x2;
        double wa = (1 - fx) * (1 - fy);
        double wb = fx * (1 - fy);
        double wc = (1 - fx) * fy;
        double wd = fx * fy;
        out[0] = rate[a] * wa + rate[b] * wb + rate[c] * wc + rate[d] * wd;
        out[1] = withVoltage ? voltage[a] * wa + voltage[b] * wb + voltage[c] * wc + voltage[d] * wd : 0;
        out[2] = tau[a] * wa + tau[b] * wb + tau[c] * wc + tau[d] * wd;
    }
}
