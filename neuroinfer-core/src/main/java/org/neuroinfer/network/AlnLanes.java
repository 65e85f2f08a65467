package org.neuroinfer.network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.neuroinfer.model.bold.BalloonWindkessel;
import org.neuroinfer.model.bold.BoldSeries;
import org.neuroinfer.numeric.StepTeam;

/**
 * Many ALN networks on one connectome integrated side by side as lanes of one loop, a vector of lanes at a time: the
 * equations of {@link AlnNetwork} with every parameter held per lane, the same operations in the same order (no
 * fused multiply-add), so each lane has the bits of its run alone. The delayed rates of all lanes of a node sit next
 * to each other, so each edge of a step is one vector load for all lanes; the transfer-function tables are read
 * lane by lane with the scalar lookup. The lanes are padded to whole vectors with copies of the last lane.
 */
public final class AlnLanes {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int NV = AlnNetwork.STATES.size();
    private final AlnNetwork[] lanes;
    private final int width;
    private final AlnNetwork first;
    // per lane (padded to width): the products the scalar loop forms, in its association order
    private final double[] jee;
    private final double[] jei;
    private final double[] jie;
    private final double[] jii;
    private final double[] extExc;
    private final double[] extInh;
    /** The coefficients of z1 (ee, ee from the network, ee external, ei, ie, ie external, ii): see {@code inputs}. */
    private final double[][] z1;
    /** The same for z2. */
    private final double[][] z2;
    private final double[] twoJeeJee;
    private final double[] twoJeiJei;
    private final double[] twoJieJie;
    private final double[] twoJiiJii;
    private final double[] tauSe;
    private final double[] tauSi;
    private final double[] taum;
    private final double[] sigE2;
    private final double[] sigI2;
    private final double[] twoTauSe;
    private final double[] twoTauSi;
    private final double[] tauSe2;
    private final double[] tauSi2;
    private final double[] capacitance;
    private final double[] adaptA;
    private final double[] ea;
    private final double[] tauA;
    private final double[] tauAb;
    private final double[] mueMean;
    private final double[] muiMean;
    private final double[] tauOu;
    private final double[] noiseScale;

    /**
     * The lanes' models: one table set, step and local delays (de, di) for all.
     *
     * @throws IllegalArgumentException for no lanes, or lanes that differ in tables, dt, de or di
     */
    public AlnLanes(AlnNetwork[] lanes) {
        if (lanes.length < 1) {
            throw new IllegalArgumentException("ALN lanes: none given");
        }
        first = lanes[0];
        for (AlnNetwork m : lanes) {
            if (m.tables != first.tables || m.dt != first.dt || m.deSteps != first.deSteps
                    || m.diSteps != first.diSteps) {
                throw new IllegalArgumentException("ALN lanes must share the tables, dt, de and di");
            }
        }
        this.lanes = lanes.clone();
        width = (lanes.length + SPECIES.length() - 1) / SPECIES.length() * SPECIES.length();
        AlnNetwork[] m = new AlnNetwork[width];
        for (int l = 0; l < width; l++) {
            m[l] = lanes[Math.min(l, lanes.length - 1)];
        }
        jee = per(m, x -> x.jee);
        jei = per(m, x -> x.jei);
        jie = per(m, x -> x.jie);
        jii = per(m, x -> x.jii);
        extExc = per(m, x -> x.extExcCurrent);
        extInh = per(m, x -> x.extInhCurrent);
        z1 = new double[][] {per(m, x -> cee(x) * x.ke),
            per(m, x -> cgl(x) * x.keGl),
            per(m, x -> cgl(x) * x.keGl * x.extExcRate),
            per(m, x -> cei(x) * x.ki),
            per(m, x -> cie(x) * x.ke),
            per(m, x -> cgl(x) * x.keGl * x.extInhRate),
            per(m, x -> cii(x) * x.ki)};
        z2 = new double[][] {per(m, x -> cee(x) * cee(x) * x.ke),
            per(m, x -> cgl(x) * cgl(x) * x.keGl),
            per(m, x -> cgl(x) * cgl(x) * x.keGl * x.extExcRate),
            per(m, x -> cei(x) * cei(x) * x.ki),
            per(m, x -> cie(x) * cie(x) * x.ke),
            per(m, x -> cgl(x) * cgl(x) * x.keGl * x.extInhRate),
            per(m, x -> cii(x) * cii(x) * x.ki)};
        twoJeeJee = per(m, x -> 2 * x.jee * x.jee);
        twoJeiJei = per(m, x -> 2 * x.jei * x.jei);
        twoJieJie = per(m, x -> 2 * x.jie * x.jie);
        twoJiiJii = per(m, x -> 2 * x.jii * x.jii);
        tauSe = per(m, x -> x.tauSe);
        tauSi = per(m, x -> x.tauSi);
        taum = per(m, x -> x.taum);
        sigE2 = per(m, x -> x.sigmaeExt * x.sigmaeExt);
        sigI2 = per(m, x -> x.sigmaiExt * x.sigmaiExt);
        twoTauSe = per(m, x -> 2 * x.tauSe);
        twoTauSi = per(m, x -> 2 * x.tauSi);
        tauSe2 = per(m, x -> x.tauSe * x.tauSe);
        tauSi2 = per(m, x -> x.tauSi * x.tauSi);
        capacitance = per(m, x -> x.capacitance);
        adaptA = per(m, x -> x.a);
        ea = per(m, x -> x.ea);
        tauA = per(m, x -> x.tauA);
        tauAb = per(m, x -> x.tauA * x.b);
        mueMean = per(m, x -> x.mueMean);
        muiMean = per(m, x -> x.muiMean);
        tauOu = per(m, x -> x.tauOu);
        noiseScale = per(m, x -> x.sigmaOu * Math.sqrt(x.dt));
    }

    private static double cee(AlnNetwork x) {
        return x.cee * x.tauSe / x.jee;
    }

    private static double cie(AlnNetwork x) {
        return x.cie * x.tauSe / x.jie;
    }

    private static double cei(AlnNetwork x) {
        return x.cei * x.tauSi / Math.abs(x.jei);
    }

    private static double cii(AlnNetwork x) {
        return x.cii * x.tauSi / Math.abs(x.jii);
    }

    private static double cgl(AlnNetwork x) {
        return x.cGl * x.tauSe / x.jee;
    }

    private static double[] per(AlnNetwork[] m, java.util.function.ToDoubleFunction<AlnNetwork> f) {
        double[] a = new double[m.length];
        for (int l = 0; l < m.length; l++) {
            a[l] = f.applyAsDouble(m[l]);
        }
        return a;
    }

    /**
     * Runs every lane; arguments as {@link AlnNetwork#run}, one initial state and noise per lane. A lane that
     * diverges is reported in its {@link Lane} and does not disturb the others.
     */
    public List<Lane<AlnNetwork.Run>> run(double[][] weights, int[][] delays, List<Map<String, double[]>> inits,
                      NetworkSimulator.Noise[] noises, int steps, int sampleEvery, int headSteps, boolean bold,
                      int threads) {
        int nl = lanes.length;
        int wl = width;
        int n = weights.length;
        if (inits.size() != nl || noises.length != nl) {
            throw new IllegalArgumentException("one initial state and noise per lane (" + nl + ")");
        }
        for (int l = 0; l < nl; l++) {
            if (lanes[l].sigmaOu > 0 && noises[l] == null) {
                throw new IllegalArgumentException("sigma_ou > 0 needs a noise source (lane " + l + ")");
            }
        }
        int start = first.startind(delays);
        int ring = start + 1;
        // lane l of node j's delayed rate at column c: h[(j ring + c) wl + l]
        double[] hE = new double[n * ring * wl];
        double[] hI = new double[n * ring * wl];
        double[][] st = new double[NV][n * wl];
        double[] ia = new double[n * wl];
        double[] mueOu = new double[n * wl];
        double[] muiOu = new double[n * wl];
        for (int l = 0; l < wl; l++) {
            Map<String, double[]> init = inits.get(Math.min(l, nl - 1));
            double[] rE0 = AlnNetwork.get(init, "rates_exc", n);
            double[] rI0 = AlnNetwork.get(init, "rates_inh", n);
            double[] ia0 = AlnNetwork.get(init, "IA", n);
            double[] mo = AlnNetwork.get(init, "mue_ou", n);
            double[] mi = AlnNetwork.get(init, "mui_ou", n);
            double[][] s0 = new double[NV][];
            for (int v = 0; v < NV; v++) {
                s0[v] = AlnNetwork.get(init, AlnNetwork.STATES.get(v), n);
            }
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < ring; c++) {
                    hE[(i * ring + c) * wl + l] = rE0[i];
                    hI[(i * ring + c) * wl + l] = rI0[i];
                }
                for (int v = 0; v < NV; v++) {
                    st[v][i * wl + l] = s0[v][i];
                }
                ia[i * wl + l] = ia0[i];
                mueOu[i * wl + l] = mo[i];
                muiOu[i * wl + l] = mi[i];
            }
        }
        double[] w = new double[n * n];
        double[] w2 = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w[i * n + j] = i == j ? 0 : weights[i][j];
                w2[i * n + j] = w[i * n + j] * w[i * n + j];
            }
        }
        double dt = first.dt;
        int di = first.diSteps;
        int samples = (steps + sampleEvery - 1) / sampleEvery;
        int hs = Math.min(headSteps, steps);
        double[][][][] out = new double[nl][3][n][samples];
        double[][][][] head = new double[nl][3][n][hs];
        double[] time = new double[samples];
        for (int m = 0; m < samples; m++) {
            time[m] = (1 + (double) m * sampleEvery) * dt;
        }
        BalloonWindkessel bw = bold ? new BalloonWindkessel(n * wl, dt) : null;
        BoldSeries[] boldOut = new BoldSeries[nl];
        for (int l = 0; l < nl; l++) {
            boldOut[l] = new BoldSeries(n, steps, dt);
        }
        double[] bv = new double[n * wl];
        double[] rENew = new double[n * wl];
        double[] rINew = new double[n * wl];
        double[][] scratch = new double[n][SLOTS * VL]; // per node, so threads never share them
        double[][] looks = new double[n][3];
        boolean noisy = java.util.Arrays.stream(noiseScale).anyMatch(x -> x != 0);
        Step step = new Step(n, ring, delays, w, w2, hE, hI, st, ia, mueOu, muiOu, rENew, rINew, noises, dt, di);
        int[] current = new int[1];
        StepTeam.Range work = (lo, hi) -> {
            int k = current[0];
            for (int i = lo; i < hi; i++) {
                double[] sc = scratch[i];
                for (int l0 = 0; l0 < wl; l0 += VL) {
                    step.couple(i, l0, k, sc);
                    step.synaptic(l0, sc);
                    step.tableInputs(i, l0, sc);
                    for (int l = 0; l < VL; l++) {
                        first.tables.lookup(sc[MU_E * VL + l], sc[SIGMA_E * VL + l], true, looks[i]);
                        sc[R_E * VL + l] = looks[i][0];
                        sc[V_E * VL + l] = looks[i][1];
                        sc[TAU_E * VL + l] = looks[i][2];
                        first.tables.lookup(sc[MU_I * VL + l], sc[SIGMA_I * VL + l], false, looks[i]);
                        sc[R_I * VL + l] = looks[i][0];
                        sc[TAU_I * VL + l] = looks[i][2];
                    }
                    step.variances(i, l0, sc);
                    step.means(i, l0, sc);
                    step.rates(i, l0, k, sc, noisy);
                }
            }
            if (bold) {
                bw.step(rENew, bv, lo * wl, hi * wl);
            }
        };
        ArithmeticException[] diverged = LaneSteps.run(steps, n, threads, nl, current, work, (k, l, alive) -> {
            ArithmeticException d = null;
            if (k % sampleEvery == 0 || k < hs) {
                for (int i = 0; i < n; i++) {
                    int x = i * wl + l;
                    double[] vals = {rENew[x], rINew[x], ia[x]};
                    for (int v = 0; v < 3; v++) {
                        if (alive && d == null && !Double.isFinite(vals[v])) {
                            d = AlnNetwork.divergence(v, i, vals[v], k, dt);
                        }
                        if (k % sampleEvery == 0) {
                            out[l][v][i][k / sampleEvery] = vals[v];
                        }
                        if (k < hs) {
                            head[l][v][i][k] = vals[v];
                        }
                    }
                }
            }
            if (bold) {
                boldOut[l].offer(k, bv, l, wl);
            }
            return d;
        });
        List<Lane<AlnNetwork.Run>> result = new java.util.ArrayList<>();
        for (int l = 0; l < nl; l++) {
            if (diverged[l] != null) {
                result.add(new Lane<>(null, diverged[l]));
                continue;
            }
            Map<String, double[]> finals = new LinkedHashMap<>();
            for (int v = 0; v < NV; v++) {
                finals.put(AlnNetwork.STATES.get(v), column(st[v], l, wl, n));
            }
            finals.put("rates_exc", column(rENew, l, wl, n));
            finals.put("mue_ou", column(mueOu, l, wl, n));
            finals.put("mui_ou", column(muiOu, l, wl, n));
            result.add(new Lane<>(new AlnNetwork.Run(time, out[l], head[l], finals,
                    bold ? boldOut[l].values() : null, bold ? boldOut[l].times() : null), null));
        }
        return result;
    }

    // scratch slots of one vector of lanes of one node, VL values each
    private static final int VL = SPECIES.length();
    private static final int MU_E = 0;
    private static final int SIGMA_E = 1;
    private static final int MU_I = 2;
    private static final int SIGMA_I = 3;
    private static final int R_E = 4;
    private static final int V_E = 5;
    private static final int TAU_E = 6;
    private static final int R_I = 7;
    private static final int TAU_I = 8;
    private static final int ROWSUM = 9;
    private static final int ROWSUMSQ = 10;
    private static final int RD_LOCAL = 11;
    private static final int RD_INH = 12;
    private static final int Z1 = 13; // z1ee, z1ei, z1ie, z1ii
    private static final int Z2 = 17; // z2ee, z2ei, z2ie, z2ii
    private static final int SLOTS = 21;

    /**
     * One step of one vector of lanes of one node, in three parts that the JIT compiles apart (one method holding
     * all of it is too large for it to keep the vectors in registers): the coupling, the inputs of the table
     * lookups, and the Euler update; they pass values through the node's scratch slots.
     */
    private final class Step {
        private final int n;
        private final int ring;
        private final int[][] delays;
        private final double[] w;
        private final double[] w2;
        private final double[] hE;
        private final double[] hI;
        private final double[][] st;
        private final double[] ia;
        private final double[] mueOu;
        private final double[] muiOu;
        private final double[] rENew;
        private final double[] rINew;
        private final NetworkSimulator.Noise[] noises;
        private final double dt;
        private final int di;
        private final int start;

        Step(int n, int ring, int[][] delays, double[] w, double[] w2, double[] hE, double[] hI, double[][] st,
             double[] ia, double[] mueOu, double[] muiOu, double[] rENew, double[] rINew,
             NetworkSimulator.Noise[] noises, double dt, int di) {
            this.n = n;
            this.ring = ring;
            this.delays = delays;
            this.w = w;
            this.w2 = w2;
            this.hE = hE;
            this.hI = hI;
            this.st = st;
            this.ia = ia;
            this.mueOu = mueOu;
            this.muiOu = muiOu;
            this.rENew = rENew;
            this.rINew = rINew;
            this.noises = noises;
            this.dt = dt;
            this.di = di;
            this.start = ring - 1;
        }

        /** The delayed input sums of node i (the scalar loop's j order) and its local delayed rates. */
        void couple(int i, int l0, int k, double[] sc) {
            int prev = (start + k - 1) % ring;
            int row = i * n;
            int[] d = delays[i];
            DoubleVector milli = DoubleVector.broadcast(SPECIES, 1e-3);
            DoubleVector rowsum = DoubleVector.zero(SPECIES);
            DoubleVector rowsumsq = DoubleVector.zero(SPECIES);
            for (int j = 0; j < n; j++) {
                DoubleVector rd = DoubleVector.fromArray(SPECIES, hE,
                        (j * ring + LaneSteps.column(prev - d[j], ring)) * width + l0).mul(milli);
                rowsum = rowsum.add(rd.mul(w[row + j]));
                rowsumsq = rowsumsq.add(rd.mul(w2[row + j]));
            }
            rowsum.intoArray(sc, ROWSUM * VL);
            rowsumsq.intoArray(sc, ROWSUMSQ * VL);
            DoubleVector.fromArray(SPECIES, hE, at(i, prev - d[i], ring, width) + l0).mul(milli)
                    .intoArray(sc, RD_LOCAL * VL);
            DoubleVector.fromArray(SPECIES, hI, at(i, prev - di, ring, width) + l0).mul(milli)
                    .intoArray(sc, RD_INH * VL);
        }

        /** The synaptic inputs z1 and z2 of both populations from both sources. */
        void synaptic(int l0, double[] sc) {
            inputs(z1, DoubleVector.fromArray(SPECIES, sc, ROWSUM * VL), Z1, l0, sc);
            inputs(z2, DoubleVector.fromArray(SPECIES, sc, ROWSUMSQ * VL), Z2, l0, sc);
        }

        /**
         * One moment of the inputs into slots {@code slot .. slot + 3} (ee, ei, ie, ii): {@code c[0] rdLocal + c[1]
         * sum + c[2]}, {@code c[3] rdInh}, {@code c[4] rdLocal + c[5]}, {@code c[6] rdInh}, with {@code sum} the
         * delayed input from the other nodes (weighted by Cmat for z1, by Cmat squared for z2).
         */
        private void inputs(double[][] c, DoubleVector sum, int slot, int l0, double[] sc) {
            DoubleVector rdLocal = DoubleVector.fromArray(SPECIES, sc, RD_LOCAL * VL);
            DoubleVector rdInh = DoubleVector.fromArray(SPECIES, sc, RD_INH * VL);
            DoubleVector.fromArray(SPECIES, c[0], l0).mul(rdLocal).add(DoubleVector.fromArray(SPECIES, c[1], l0)
                    .mul(sum)).add(DoubleVector.fromArray(SPECIES, c[2], l0)).intoArray(sc, slot * VL);
            DoubleVector.fromArray(SPECIES, c[3], l0).mul(rdInh).intoArray(sc, (slot + 1) * VL);
            DoubleVector.fromArray(SPECIES, c[4], l0).mul(rdLocal).add(DoubleVector.fromArray(SPECIES, c[5], l0))
                    .intoArray(sc, (slot + 2) * VL);
            DoubleVector.fromArray(SPECIES, c[6], l0).mul(rdInh).intoArray(sc, (slot + 3) * VL);
        }

        /** Where the tables are read: (mu, sigma) of both populations. */
        void tableInputs(int i, int l0, double[] sc) {
            int x = i * width + l0;
            DoubleVector tse = DoubleVector.fromArray(SPECIES, tauSe, l0);
            DoubleVector tsi = DoubleVector.fromArray(SPECIES, tauSi, l0);
            DoubleVector tm = DoubleVector.fromArray(SPECIES, taum, l0);
            variance(twoJeeJee, l0, st[6], x, tse, tm, sc, Z1)
                    .add(variance(twoJeiJei, l0, st[7], x, tsi, tm, sc, Z1 + 1))
                    .add(DoubleVector.fromArray(SPECIES, sigE2, l0)).sqrt().intoArray(sc, SIGMA_E * VL);
            variance(twoJieJie, l0, st[8], x, tse, tm, sc, Z1 + 2)
                    .add(variance(twoJiiJii, l0, st[9], x, tsi, tm, sc, Z1 + 3))
                    .add(DoubleVector.fromArray(SPECIES, sigI2, l0)).sqrt().intoArray(sc, SIGMA_I * VL);
            DoubleVector.fromArray(SPECIES, st[0], x).sub(DoubleVector.fromArray(SPECIES, ia, x)
                    .div(DoubleVector.fromArray(SPECIES, capacitance, l0))).intoArray(sc, MU_E * VL);
            DoubleVector.fromArray(SPECIES, st[1], x).intoArray(sc, MU_I * VL);
        }

        /** The Euler step of the synaptic variances (before the means they read change), floored at 0. */
        void variances(int i, int l0, double[] sc) {
            int x = i * width + l0;
            varianceStep(x, 6, 2, Z1, twoTauSe, tauSe2, l0, sc);
            varianceStep(x, 7, 3, Z1 + 1, twoTauSi, tauSi2, l0, sc);
            varianceStep(x, 8, 4, Z1 + 2, twoTauSe, tauSe2, l0, sc);
            varianceStep(x, 9, 5, Z1 + 3, twoTauSi, tauSi2, l0, sc);
        }

        /**
         * {@code sv += dt ((1 - s)(1 - s) z2 + (z2 - 2 tau (z1 + 1)) sv) / (tau tau)}, floored at 0, for the variance
         * {@code st[v]} of the mean {@code st[m]} whose inputs sit in slots {@code z1} and {@code z1 + 4}.
         */
        private void varianceStep(int x, int v, int m, int z1Slot, double[] twoTau, double[] tau2, int l0,
                                  double[] sc) {
            DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
            DoubleVector oneMinus = one.sub(DoubleVector.fromArray(SPECIES, st[m], x));
            DoubleVector z1 = DoubleVector.fromArray(SPECIES, sc, z1Slot * VL);
            DoubleVector z2 = DoubleVector.fromArray(SPECIES, sc, (z1Slot + 4) * VL);
            DoubleVector sv = DoubleVector.fromArray(SPECIES, st[v], x);
            DoubleVector d = oneMinus.mul(oneMinus).mul(z2)
                    .add(z2.sub(DoubleVector.fromArray(SPECIES, twoTau, l0).mul(z1.add(one))).mul(sv))
                    .div(DoubleVector.fromArray(SPECIES, tau2, l0));
            DoubleVector next = sv.add(d.mul(DoubleVector.broadcast(SPECIES, dt)));
            DoubleVector zero = DoubleVector.zero(SPECIES);
            next.blend(zero, next.compare(VectorOperators.LT, zero)).intoArray(st[v], x);
        }

        /** The Euler step of the filtered mean inputs and the synaptic means. */
        void means(int i, int l0, double[] sc) {
            int x = i * width + l0;
            DoubleVector h = DoubleVector.broadcast(SPECIES, dt);
            DoubleVector seem = DoubleVector.fromArray(SPECIES, st[2], x);
            DoubleVector seim = DoubleVector.fromArray(SPECIES, st[3], x);
            DoubleVector siem = DoubleVector.fromArray(SPECIES, st[4], x);
            DoubleVector siim = DoubleVector.fromArray(SPECIES, st[5], x);
            DoubleVector mue = DoubleVector.fromArray(SPECIES, jee, l0).mul(seem)
                    .add(DoubleVector.fromArray(SPECIES, jei, l0).mul(seim))
                    .add(DoubleVector.fromArray(SPECIES, mueOu, x)).add(DoubleVector.fromArray(SPECIES, extExc, l0));
            DoubleVector mui = DoubleVector.fromArray(SPECIES, jie, l0).mul(siem)
                    .add(DoubleVector.fromArray(SPECIES, jii, l0).mul(siim))
                    .add(DoubleVector.fromArray(SPECIES, muiOu, x)).add(DoubleVector.fromArray(SPECIES, extInh, l0));
            DoubleVector mufe = DoubleVector.fromArray(SPECIES, st[0], x);
            DoubleVector mufi = DoubleVector.fromArray(SPECIES, st[1], x);
            mufe.add(mue.sub(mufe).div(DoubleVector.fromArray(SPECIES, sc, TAU_E * VL)).mul(h)).intoArray(st[0], x);
            mufi.add(mui.sub(mufi).div(DoubleVector.fromArray(SPECIES, sc, TAU_I * VL)).mul(h)).intoArray(st[1], x);
            meanStep(x, 2, Z1, tauSe, l0, sc);
            meanStep(x, 3, Z1 + 1, tauSi, l0, sc);
            meanStep(x, 4, Z1 + 2, tauSe, l0, sc);
            meanStep(x, 5, Z1 + 3, tauSi, l0, sc);
        }

        /** {@code s += dt ((1 - s) z1 - s) / tau} for the synaptic mean {@code st[v]}. */
        private void meanStep(int x, int v, int z1Slot, double[] tau, int l0, double[] sc) {
            DoubleVector s = DoubleVector.fromArray(SPECIES, st[v], x);
            DoubleVector d = DoubleVector.broadcast(SPECIES, 1.0).sub(s).mul(DoubleVector.fromArray(SPECIES, sc,
                    z1Slot * VL)).sub(s).div(DoubleVector.fromArray(SPECIES, tau, l0));
            s.add(d.mul(DoubleVector.broadcast(SPECIES, dt))).intoArray(st[v], x);
        }

        /** The adaptation current, the new rates (into the rings) and the OU inputs. */
        void rates(int i, int l0, int k, double[] sc, boolean noisy) {
            int x = i * width + l0;
            int col = (start + k) % ring;
            int prev = (start + k - 1) % ring;
            DoubleVector h = DoubleVector.broadcast(SPECIES, dt);
            DoubleVector rEPrev = DoubleVector.fromArray(SPECIES, hE, at(i, prev, ring, width) + l0);
            DoubleVector iaV = DoubleVector.fromArray(SPECIES, ia, x);
            DoubleVector vE = DoubleVector.fromArray(SPECIES, sc, V_E * VL);
            DoubleVector adapt = DoubleVector.fromArray(SPECIES, adaptA, l0)
                    .mul(vE.sub(DoubleVector.fromArray(SPECIES, ea, l0))).sub(iaV)
                    .add(DoubleVector.fromArray(SPECIES, tauAb, l0).mul(rEPrev)
                            .mul(DoubleVector.broadcast(SPECIES, 1e-3)))
                    .div(DoubleVector.fromArray(SPECIES, tauA, l0));
            iaV.add(adapt.mul(h)).intoArray(ia, x);
            DoubleVector kilo = DoubleVector.broadcast(SPECIES, 1e3);
            DoubleVector rEn = DoubleVector.fromArray(SPECIES, sc, R_E * VL).mul(kilo);
            DoubleVector rIn = DoubleVector.fromArray(SPECIES, sc, R_I * VL).mul(kilo);
            rEn.intoArray(rENew, x);
            rIn.intoArray(rINew, x);
            rEn.intoArray(hE, at(i, col, ring, width) + l0);
            rIn.intoArray(hI, at(i, col, ring, width) + l0);
            // the noise terms reuse the slots of mu_e and sigma_e, read before
            if (noisy) {
                for (int l = 0; l < VL; l++) {
                    int lane = l0 + l;
                    double s = lane < lanes.length ? noiseScale[lane] : 0; // a padding lane has no noise
                    sc[MU_E * VL + l] = s == 0 ? 0 : s * noises[lane].draw(0, i, k);
                    sc[SIGMA_E * VL + l] = s == 0 ? 0 : s * noises[lane].draw(1, i, k);
                }
            } else {
                java.util.Arrays.fill(sc, MU_E * VL, (SIGMA_E + 1) * VL, 0.0);
            }
            DoubleVector tou = DoubleVector.fromArray(SPECIES, tauOu, l0);
            DoubleVector o = DoubleVector.fromArray(SPECIES, mueOu, x);
            o.add(DoubleVector.fromArray(SPECIES, mueMean, l0).sub(o).mul(h).div(tou))
                    .add(DoubleVector.fromArray(SPECIES, sc, MU_E * VL)).intoArray(mueOu, x);
            DoubleVector p = DoubleVector.fromArray(SPECIES, muiOu, x);
            p.add(DoubleVector.fromArray(SPECIES, muiMean, l0).sub(p).mul(h).div(tou))
                    .add(DoubleVector.fromArray(SPECIES, sc, SIGMA_E * VL)).intoArray(muiOu, x);
        }

        /** {@code twoJJ s tau taum / ((1 + z1) taum + tau)}, one term of a population's input variance. */
        private DoubleVector variance(double[] twoJJ, int l0, double[] s, int x, DoubleVector tau, DoubleVector tm,
                                      double[] sc, int z1Slot) {
            DoubleVector z1 = DoubleVector.fromArray(SPECIES, sc, z1Slot * VL);
            return DoubleVector.fromArray(SPECIES, twoJJ, l0).mul(DoubleVector.fromArray(SPECIES, s, x)).mul(tau)
                    .mul(tm).div(z1.add(DoubleVector.broadcast(SPECIES, 1.0)).mul(tm).add(tau));
        }
    }

    /** The offset of column {@code c mod ring} of node i's ring (c > -ring). */
    private static int at(int i, int c, int ring, int wl) {
        return (i * ring + LaneSteps.column(c, ring)) * wl;
    }

    private static double[] column(double[] a, int l, int wl, int n) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = a[i * wl + l];
        }
        return c;
    }
}
