package org.neuroinfer.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.model.ParameterMap;
import org.neuroinfer.model.aln.AlnTables;
import org.neuroinfer.numeric.StepTeam;
import org.neuroinfer.model.bold.BalloonWindkessel;
import org.neuroinfer.model.bold.BoldSeries;

/**
 * The ALN network (adaptive linear-nonlinear cascade: a mean-field of adaptive exponential integrate-and-fire
 * neurons, Cakan &amp; Obermayer 2020, PLoS Comput. Biol. 16:e1007822; Augustin et al. 2017) exactly as neurolib's
 * {@code models/aln} integrates it: per node an excitatory and an inhibitory population with filtered mean
 * inputs, synaptic means and variances, an adaptation current, rates from the {@link AlnTables}; excitatory rates
 * reach the other nodes through the connectome's delays, and each population reads its own rate after the local
 * delays de and di. Forward Euler, every right-hand side from the previous step.
 */
public final class AlnNetwork {
    /**
     * A run's result.
     *
     * @param time     sample times in ms
     * @param outputs  [output][node][sample] in {@link #OUTPUTS} order
     * @param head     the same for the first steps kept whole
     * @param finals   final values by name: the {@link #STATES}, {@code rates_exc}, {@code mue_ou}, {@code mui_ou}
     * @param bold     BOLD [node][sample], or null when it was not run
     * @param boldTime BOLD sample times in ms, or null
     */
    public record Run(double[] time, double[][][] outputs, double[][][] head, Map<String, double[]> finals,
                      double[][] bold, double[] boldTime) {
        /** Every array under neurolib's names ({@code t}, {@code rates_exc_head}, {@code final_IA}, {@code BOLD}, …). */
        public Map<String, NpyArray> arrays() {
            Map<String, NpyArray> res = new LinkedHashMap<>();
            res.put("t", NpyArray.of(time));
            for (int v = 0; v < OUTPUTS.size(); v++) {
                res.put(OUTPUTS.get(v), NpyArray.of(outputs[v]));
                res.put(OUTPUTS.get(v) + "_head", NpyArray.of(head[v]));
            }
            finals.forEach((k, v) -> res.put("final_" + k, NpyArray.of(v)));
            if (bold != null) {
                res.put("BOLD", NpyArray.of(bold));
                res.put("t_BOLD", NpyArray.of(boldTime));
            }
            return res;
        }
    }

    /** State variables (besides the rates and IA, which carry a history). */
    public static final List<String> STATES = List.of("mufe", "mufi", "seem", "seim", "siem", "siim", "seev", "seiv",
            "siev", "siiv");
    /** Outputs, in order. */
    public static final List<String> OUTPUTS = List.of("rates_exc", "rates_inh", "IA");

    final AlnTables tables;
    final double dt;
    final double cGl;
    final double keGl;
    final double tauOu;
    final double sigmaOu;
    final double mueMean;
    final double muiMean;
    final double extExcRate;
    final double extInhRate;
    final double extExcCurrent;
    final double extInhCurrent;
    final double sigmaeExt;
    final double sigmaiExt;
    final double ke;
    final double ki;
    final int deSteps;
    final int diSteps;
    final double tauSe;
    final double tauSi;
    final double jee;
    final double jie;
    final double jei;
    final double jii;
    final double cee;
    final double cie;
    final double cei;
    final double cii;
    final double a;
    final double b;
    final double ea;
    final double tauA;
    final double capacitance;
    final double taum;

    /** The model with neurolib's parameter names and defaults, integrated with step {@code dt} ms. */
    public AlnNetwork(AlnTables tables, ParameterMap p, double dt) {
        this.tables = tables;
        this.dt = dt;
        cGl = p.nonNegative("c_gl", 0.3);
        keGl = p.nonNegative("Ke_gl", 250);
        tauOu = p.positive("tau_ou", 5);
        sigmaOu = p.nonNegative("sigma_ou", 0);
        mueMean = p.get("mue_ext_mean", 0.4);
        muiMean = p.get("mui_ext_mean", 0.3);
        extExcRate = p.nonNegative("ext_exc_rate", 0);
        extInhRate = p.nonNegative("ext_inh_rate", 0);
        extExcCurrent = p.get("ext_exc_current", 0);
        extInhCurrent = p.get("ext_inh_current", 0);
        sigmaeExt = p.nonNegative("sigmae_ext", 1.5);
        sigmaiExt = p.nonNegative("sigmai_ext", 1.5);
        ke = p.nonNegative("Ke", 800);
        ki = p.nonNegative("Ki", 200);
        deSteps = (int) Math.rint(p.nonNegative("de", 4) / dt);
        diSteps = (int) Math.rint(p.nonNegative("di", 2) / dt);
        tauSe = p.positive("tau_se", 2);
        tauSi = p.positive("tau_si", 5);
        p.get("tau_de", 1);
        p.get("tau_di", 1);
        cee = p.nonNegative("cee", 0.3);
        cie = p.nonNegative("cie", 0.3);
        cei = p.nonNegative("cei", 0.5);
        cii = p.nonNegative("cii", 0.5);
        jee = p.get("Jee_max", 2.43);
        jie = p.get("Jie_max", 2.60);
        jei = p.get("Jei_max", -3.3);
        jii = p.get("Jii_max", -1.64);
        a = p.get("a", 0);
        b = p.get("b", 0);
        ea = p.get("EA", -80);
        tauA = p.positive("tauA", 200);
        capacitance = p.positive("C", 200);
        double gL = p.positive("gL", 10);
        taum = capacitance / gL;
        Map<String, Double> tableParams = Map.of("EL", -65.0, "DeltaT", 1.5, "VT", -50.0, "Vr", -70.0, "Vs", -40.0,
                "Tref", 1.5);
        for (Map.Entry<String, Double> e : tableParams.entrySet()) {
            double v = p.get(e.getKey(), e.getValue());
            if (v != e.getValue()) {
                throw new IllegalArgumentException("ALN parameter " + e.getKey() + " = " + v + ": the transfer-"
                        + "function tables were computed for " + e.getValue() + "; other values need new tables");
            }
        }
        if (p.get("distr_delay", 0) != 0 || p.get("filter_sigma", 0) != 0) {
            throw new IllegalArgumentException("ALN: distr_delay and filter_sigma must be 0 (the other branches are "
                    + "untested in neurolib and not implemented here)");
        }
        if (gL <= 0 || jee == 0 || jie == 0 || jei == 0 || jii == 0) {
            throw new IllegalArgumentException("ALN: gL and the J*_max couplings must be non-zero");
        }
        if (!(dt > 0)) {
            throw new IllegalArgumentException("dt = " + dt + "; valid: > 0");
        }
    }

    /** neurolib's {@code startind}: {@code max(max D, round(de/dt), round(di/dt)) + 1}. */
    public int startind(int[][] delays) {
        int m = Math.max(deSteps, diSteps);
        for (int[] row : delays) {
            for (int d : row) {
                m = Math.max(m, d);
            }
        }
        return m + 1;
    }

    /**
     * The delays with the diagonal set to the local excitatory delay {@code round(de/dt)}, as neurolib's ALN uses.
     */
    public int[][] withLocalDelay(int[][] delays) {
        int[][] d = new int[delays.length][];
        for (int i = 0; i < d.length; i++) {
            d[i] = delays[i].clone();
            d[i][i] = deSteps;
        }
        return d;
    }

    /**
     * Runs the network.
     *
     * @param weights     Cmat (diagonal ignored)
     * @param delays      delays in steps, diagonal = the local delay ({@link #withLocalDelay})
     * @param init        initial values by name: the {@link #STATES}, {@code rates_exc}, {@code rates_inh}, {@code IA}
     *                    (one per node) and {@code mue_ou}, {@code mui_ou}
     * @param noise       OU draws (variable 0: mue, 1: mui); may be null when sigma_ou is 0
     * @param steps       Euler steps
     * @param sampleEvery keep every this many steps
     * @param headSteps   also keep the first this many steps
     * @param bold        run BOLD alongside on the excitatory rate
     * @param threads     threads sharing each step's nodes (the result does not depend on it)
     * @return outputs, the first steps, final states and BOLD
     */
    public Run run(double[][] weights, int[][] delays, Map<String, double[]> init,
                                   NetworkSimulator.Noise noise, int steps, int sampleEvery, int headSteps,
                                   boolean bold, int threads) {
        int n = weights.length;
        int start = startind(delays);
        int ring = start + 1;
        double[] hE = new double[n * 2 * ring];
        double[] hI = new double[n * 2 * ring];
        double[] ia = get(init, "IA", n).clone();
        double[] rE0 = get(init, "rates_exc", n);
        double[] rI0 = get(init, "rates_inh", n);
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(hE, i * 2 * ring, (i + 1) * 2 * ring, rE0[i]);
            java.util.Arrays.fill(hI, i * 2 * ring, (i + 1) * 2 * ring, rI0[i]);
        }
        double[][] st = new double[STATES.size()][];
        for (int v = 0; v < st.length; v++) {
            st[v] = get(init, STATES.get(v), n).clone();
        }
        double[] mueOu = get(init, "mue_ou", n).clone();
        double[] muiOu = get(init, "mui_ou", n).clone();
        if (sigmaOu > 0 && noise == null) {
            throw new IllegalArgumentException("sigma_ou > 0 needs a noise source");
        }
        double[][] w = new double[n][n];
        double[][] w2 = new double[n][n];
        int[][] off = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w[i][j] = i == j ? 0 : weights[i][j];
                w2[i][j] = w[i][j] * w[i][j];
                off[i][j] = j * 2 * ring + ring - delays[i][j];
            }
        }
        double ceeP = cee * tauSe / jee;
        double cieP = cie * tauSe / jie;
        double ceiP = cei * tauSi / Math.abs(jei);
        double ciiP = cii * tauSi / Math.abs(jii);
        double cglP = cGl * tauSe / jee;
        double sqrtDt = Math.sqrt(dt);
        int samples = (steps + sampleEvery - 1) / sampleEvery;
        double[][][] out = new double[3][n][samples];
        int hs = Math.min(headSteps, steps);
        double[][][] head = new double[3][n][hs];
        double[] time = new double[samples];
        for (int m = 0; m < samples; m++) {
            time[m] = (1 + (double) m * sampleEvery) * dt;
        }
        BalloonWindkessel bw = bold ? new BalloonWindkessel(n, dt) : null;
        BoldSeries boldOut = new BoldSeries(n, steps, dt);
        double[] bv = new double[n];
        double[] rENew = new double[n];
        double[] rINew = new double[n];
        int[] current = new int[1];
        double[][] looks = new double[n][3]; // scratch per node, so threads never share it
        double[][] ds = new double[n][STATES.size()];
        StepTeam.Range work = (lo, hi) -> {
            int k = current[0];
            int prev = (start + k - 1) % ring;
            int col = (start + k) % ring;
            for (int i = lo; i < hi; i++) {
                double[] look = looks[i];
                double[] d = ds[i];
                double rowsum = 0;
                double rowsumsq = 0;
                int[] o = off[i];
                for (int j = 0; j < n; j++) {
                    double rd = hE[o[j] + prev] * 1e-3;
                    rowsum += w[i][j] * rd;
                    rowsumsq += w2[i][j] * rd;
                }
                double rdLocal = hE[o[i] + prev] * 1e-3;
                double rdInh = hI[i * 2 * ring + ring - diSteps + prev] * 1e-3;
                double rEPrev = hE[i * 2 * ring + ring + prev];
                double mufe = st[0][i];
                double mufi = st[1][i];
                double seem = st[2][i];
                double seim = st[3][i];
                double siem = st[4][i];
                double siim = st[5][i];
                double seev = st[6][i];
                double seiv = st[7][i];
                double siev = st[8][i];
                double siiv = st[9][i];
                double mue = jee * seem + jei * seim + mueOu[i] + extExcCurrent;
                double mui = jie * siem + jii * siim + muiOu[i] + extInhCurrent;
                double z1ee = ceeP * ke * rdLocal + cglP * keGl * rowsum + cglP * keGl * extExcRate;
                double z1ei = ceiP * ki * rdInh;
                double z1ie = cieP * ke * rdLocal + cglP * keGl * extInhRate;
                double z1ii = ciiP * ki * rdInh;
                double z2ee = ceeP * ceeP * ke * rdLocal + cglP * cglP * keGl * rowsumsq
                        + cglP * cglP * keGl * extExcRate;
                double z2ei = ceiP * ceiP * ki * rdInh;
                double z2ie = cieP * cieP * ke * rdLocal + cglP * cglP * keGl * extInhRate;
                double z2ii = ciiP * ciiP * ki * rdInh;
                double sigmae = Math.sqrt(2 * jee * jee * seev * tauSe * taum / ((1 + z1ee) * taum + tauSe)
                        + 2 * jei * jei * seiv * tauSi * taum / ((1 + z1ei) * taum + tauSi) + sigmaeExt * sigmaeExt);
                double sigmai = Math.sqrt(2 * jie * jie * siev * tauSe * taum / ((1 + z1ie) * taum + tauSe)
                        + 2 * jii * jii * siiv * tauSi * taum / ((1 + z1ii) * taum + tauSi) + sigmaiExt * sigmaiExt);
                tables.lookup(mufe - ia[i] / capacitance, sigmae, true, look);
                double rE = look[0];
                double vE = look[1];
                double tauE = look[2];
                tables.lookup(mufi, sigmai, false, look);
                double rI = look[0];
                double tauI = look[2];
                d[0] = (mue - mufe) / tauE;
                d[1] = (mui - mufi) / tauI;
                d[2] = ((1 - seem) * z1ee - seem) / tauSe;
                d[3] = ((1 - seim) * z1ei - seim) / tauSi;
                d[4] = ((1 - siem) * z1ie - siem) / tauSe;
                d[5] = ((1 - siim) * z1ii - siim) / tauSi;
                d[6] = ((1 - seem) * (1 - seem) * z2ee + (z2ee - 2 * tauSe * (z1ee + 1)) * seev) / (tauSe * tauSe);
                d[7] = ((1 - seim) * (1 - seim) * z2ei + (z2ei - 2 * tauSi * (z1ei + 1)) * seiv) / (tauSi * tauSi);
                d[8] = ((1 - siem) * (1 - siem) * z2ie + (z2ie - 2 * tauSe * (z1ie + 1)) * siev) / (tauSe * tauSe);
                d[9] = ((1 - siim) * (1 - siim) * z2ii + (z2ii - 2 * tauSi * (z1ii + 1)) * siiv) / (tauSi * tauSi);
                // node i's new values go to columns no node reads in this step, so nodes are independent
                for (int v = 0; v < st.length; v++) {
                    double x = st[v][i] + dt * d[v];
                    st[v][i] = v >= 6 && x < 0 ? 0 : x;
                }
                ia[i] = ia[i] + dt * ((a * (vE - ea) - ia[i] + tauA * b * rEPrev * 1e-3) / tauA);
                rENew[i] = rE * 1e3;
                rINew[i] = rI * 1e3;
                hE[i * 2 * ring + col] = rENew[i];
                hE[i * 2 * ring + col + ring] = rENew[i];
                hI[i * 2 * ring + col] = rINew[i];
                hI[i * 2 * ring + col + ring] = rINew[i];
                mueOu[i] = mueOu[i] + (mueMean - mueOu[i]) * dt / tauOu
                        + (sigmaOu == 0 ? 0 : sigmaOu * sqrtDt * noise.draw(0, i, k));
                muiOu[i] = muiOu[i] + (muiMean - muiOu[i]) * dt / tauOu
                        + (sigmaOu == 0 ? 0 : sigmaOu * sqrtDt * noise.draw(1, i, k));
            }
            if (bold) {
                bw.step(rENew, bv, lo, hi);
            }
        };
        try (StepTeam team = new StepTeam(threads, n)) {
            for (int k = 0; k < steps; k++) {
                current[0] = k;
                team.run(work);
                if (k % sampleEvery == 0 || k < hs) {
                    for (int i = 0; i < n; i++) {
                        double[] vals = {rENew[i], rINew[i], ia[i]};
                        for (int v = 0; v < 3; v++) {
                            if (!Double.isFinite(vals[v])) {
                                throw divergence(v, i, vals[v], k, dt);
                            }
                            if (k % sampleEvery == 0) {
                                out[v][i][k / sampleEvery] = vals[v];
                            }
                            if (k < hs) {
                                head[v][i][k] = vals[v];
                            }
                        }
                    }
                }
                if (bold) {
                    boldOut.offer(k, bv);
                }
            }
        }
        Map<String, double[]> finals = new LinkedHashMap<>();
        for (int v = 0; v < st.length; v++) {
            finals.put(STATES.get(v), st[v]);
        }
        finals.put("rates_exc", rENew.clone());
        finals.put("mue_ou", mueOu);
        finals.put("mui_ou", muiOu);
        return new Run(time, out, head, finals, bold ? boldOut.values() : null, bold ? boldOut.times() : null);
    }

    /** The divergence of output {@code v} of node {@code i}, value {@code value} after step {@code k}. */
    static ArithmeticException divergence(int v, int i, double value, int k, double dt) {
        return new ArithmeticException(String.format(java.util.Locale.ROOT, "ALN network diverged: %s of node %d is "
                + "%s at t = %.4g ms; dt = %s ms is too large or the coupling too strong: try a smaller dt or c_gl",
                OUTPUTS.get(v), i, value, (k + 1) * dt, dt));
    }

    static double[] get(Map<String, double[]> init, String name, int n) {
        double[] v = init.get(name);
        if (v == null || v.length != n) {
            throw new IllegalArgumentException("ALN initial state '" + name + "': " + (v == null ? "missing"
                    : v.length + " values for " + n + " nodes"));
        }
        return v;
    }
}
