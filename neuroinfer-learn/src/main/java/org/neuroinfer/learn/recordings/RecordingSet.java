package org.neuroinfer.learn.recordings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.neuroinfer.dataset.DatasetReader;
import org.neuroinfer.dataset.Manifest;
import org.neuroinfer.recording.RecordingLayout;
import org.neuroinfer.simulator.Simulator;

/**
 * Recordings and their parameters in memory, ready for a network: inputs [n][channels][times] as one float array
 * (after block-mean decimation), targets [n][P], the noise condition of each row and the data set's identity.
 *
 * @param x            inputs, row-major [n][channels][times]
 * @param y            parameters [n][P] in the data set's units
 * @param condition    index of each row's noise condition
 * @param noiseFactors noise factor (or target SNR) of each condition, by index
 * @param channels     channels per recording
 * @param times        samples per channel after decimation
 * @param rawTimes     samples per channel before decimation
 * @param paramNames   names of y's columns
 * @param paramUnits   their units
 * @param datasetSha256 the data set's configuration hash (its identity)
 * @param dropped      recordings left out because they diverged or held NaN/Inf
 * @param layout       channel names, rate, start and unit of the recordings before decimation, as far as known
 */
public record RecordingSet(float[] x, double[][] y, int[] condition, double[] noiseFactors, int channels, int times,
                           int rawTimes, List<String> paramNames, List<String> paramUnits, String datasetSha256, int dropped,
                           RecordingLayout layout) {

    /** A set whose recordings' layout is not known. */
    public RecordingSet(float[] x, double[][] y, int[] condition, double[] noiseFactors, int channels, int times,
                        int rawTimes, List<String> paramNames, List<String> paramUnits, String datasetSha256,
                        int dropped) {
        this(x, y, condition, noiseFactors, channels, times, rawTimes, paramNames, paramUnits, datasetSha256, dropped,
                RecordingLayout.UNKNOWN);
    }

    /** The same set with other parameters (e.g. transformed), everything else kept. */
    public RecordingSet withY(double[][] newY) {
        return new RecordingSet(x, newY, condition, noiseFactors, channels, times, rawTimes, paramNames, paramUnits,
                datasetSha256, dropped, layout);
    }

    /** Rows. */
    public int size() {
        return y.length;
    }

    /** Floats per row. */
    public int rowLength() {
        return channels * times;
    }

    /**
     * Loads the rows of {@code conditions} (noise factors; null or empty for all) from a generated data set,
     * decimating each channel by {@code decimate} (mean of consecutive blocks; a trailing partial block is dropped).
     * Diverged recordings and recordings with NaN or Inf are dropped and counted.
     *
     * @param progress told the number of each shard read, may be null
     */
    public static RecordingSet load(Path dir, List<Double> conditions, int decimate, IntConsumer progress)
            throws IOException {
        DatasetReader reader = new DatasetReader(dir);
        return read(reader, shardsOf(reader.manifest(), conditions, dir.toString()), decimate, progress);
    }

    /**
     * The rows of shard {@code shard} of a data set that {@link #load} keeps (the same rows, in the same order, as
     * its part of a loaded set), decimated by {@code decimate}.
     */
    public static RecordingSet loadShard(DatasetReader reader, int shard, int decimate) throws IOException {
        return read(reader, List.of(shard), decimate, null);
    }

    /** The kept rows of {@code shards}, in order; {@code progress} (may be null) told the count of shards read. */
    private static RecordingSet read(DatasetReader reader, List<Integer> shards, int decimate, IntConsumer progress)
            throws IOException {
        Manifest man = reader.manifest();
        int ch = Integer.parseInt(man.xShape().get(1));
        int t = decimatedTimes(man, decimate);
        int total = shards.stream().mapToInt(i -> man.shards().get(i).count()).sum();
        float[] x = new float[Math.multiplyExact(total, ch * t)];
        double[][] y = new double[total][];
        int[] cond = new int[total];
        int n = 0;
        int done = 0;
        for (int si : shards) {
            int[] added = {0};
            int at = n;
            reader.read(si, BLOCK, (meta, from, block) -> added[0] += append(meta, from, block, decimate, t, x, y,
                    cond, at + added[0]));
            n += added[0];
            if (progress != null) {
                progress.accept(++done);
            }
        }
        return new RecordingSet(n == total ? x : java.util.Arrays.copyOf(x, n * ch * t),
                java.util.Arrays.copyOf(y, n), java.util.Arrays.copyOf(cond, n), conditionLevels(man), ch, t,
                Integer.parseInt(man.xShape().get(2)), man.paramNames(), man.paramUnits(), man.configSha256(),
                total - n, reader.layout(shards.isEmpty() ? 0 : shards.get(0)));
    }

    /**
     * The shards of {@code man} whose noise condition is one of {@code conditions} (null or empty for all), by
     * position.
     *
     * @throws IllegalArgumentException naming input.conditions for a level the data set (in {@code dir}) lacks
     */
    public static List<Integer> shardsOf(Manifest man, List<Double> conditions, String dir) {
        double[] factors = conditionLevels(man);
        if (conditions != null) {
            for (double c : conditions) {
                if (!containsLevel(factors, c)) {
                    throw new IllegalArgumentException("input.conditions: " + c + " is not a condition of " + dir
                            + "; it has " + java.util.Arrays.toString(factors));
                }
            }
        }
        List<Integer> shards = new ArrayList<>();
        for (int i = 0; i < man.shards().size(); i++) {
            if (selected(factors[man.shards().get(i).condition()], conditions)) {
                shards.add(i);
            }
        }
        return shards;
    }

    private static int decimatedTimes(Manifest man, int decimate) {
        if (decimate < 1) {
            throw new IllegalArgumentException("input.decimate must be >= 1, got " + decimate);
        }
        int raw = Integer.parseInt(man.xShape().get(2));
        if (raw / decimate < 1) {
            throw new IllegalArgumentException("input.decimate (" + decimate + ") is longer than a recording ("
                    + raw + " samples)");
        }
        return raw / decimate;
    }

    /** Recordings of a shard read at a time: X is held one block at a time, never the whole shard's. */
    static final int BLOCK = 64;

    /**
     * Appends the kept rows (valid, finite) of the block {@code xb} of shard {@code s} (its rows from {@code from})
     * at row {@code n} of x, y and cond, decimated to {@code t} samples per channel; returns how many it appended.
     */
    private static int append(DatasetReader.ShardData s, int from, float[][][] xb, int decimate, int t, float[] x,
                              double[][] y, int[] cond, int n) {
        int len = xb.length == 0 ? 0 : xb[0].length * t;
        int added = 0;
        for (int b = 0; b < xb.length; b++) {
            int r = from + b;
            int row = n + added;
            if (s.valid()[r] == 0 || !decimateInto(xb[b], decimate, t, x, row * len) || !finite(s.y()[r])) {
                continue;
            }
            y[row] = s.y()[r].clone();
            cond[row] = s.shard().condition();
            added++;
        }
        return added;
    }

    /** The noise factor (or SNR in dB) of each condition index. */
    public static double[] conditionLevels(Manifest man) {
        int count = man.shards().stream().mapToInt(Manifest.Shard::condition).max().orElse(-1) + 1;
        double[] f = new double[count];
        for (Manifest.Shard s : man.shards()) {
            f[s.condition()] = s.noiseFactor() != null ? s.noiseFactor() : s.snrDb();
        }
        return f;
    }

    private static boolean selected(double level, List<Double> conditions) {
        return conditions == null || conditions.isEmpty() || conditions.stream().anyMatch(c -> same(c, level));
    }

    private static boolean containsLevel(double[] levels, double c) {
        for (double l : levels) {
            if (same(l, c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean same(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
    }

    /**
     * The observations {@code x} that {@code simulator} made of the parameter sets {@code theta}, decimated along
     * their last axis by {@code decimate} (an observation of shape {@code {features}} is read as that many channels
     * of one sample). Rows holding NaN or Inf (diverged simulations) stay in, as NaN, for the training to drop.
     *
     * @param id the identity the set reports as its data set's
     */
    public static RecordingSet simulated(Simulator simulator, double[][] theta, float[][] x, int decimate,
                                         String id) {
        int[] shape = simulator.shape();
        int channels = shape[0];
        int raw = simulator.length() / channels;
        if (decimate < 1 || decimate > raw) {
            throw new IllegalArgumentException("input.decimate must be in [1, " + raw + "] for observations of shape "
                    + java.util.Arrays.toString(shape) + ", got " + decimate);
        }
        int t = raw / decimate;
        int len = channels * t;
        float[] flat = new float[Math.multiplyExact(theta.length, len)];
        float[][] rec = new float[channels][];
        for (int i = 0; i < theta.length; i++) {
            if (x[i].length != channels * raw) {
                throw new IllegalArgumentException("simulation " + i + " has " + x[i].length + " values; the "
                        + "simulator's shape " + java.util.Arrays.toString(shape) + " holds " + channels * raw);
            }
            for (int c = 0; c < channels; c++) {
                rec[c] = java.util.Arrays.copyOfRange(x[i], c * raw, (c + 1) * raw);
            }
            if (!decimateInto(rec, decimate, t, flat, i * len)) {
                java.util.Arrays.fill(flat, i * len, (i + 1) * len, Float.NaN); // dropped by the training
            }
        }
        var space = simulator.parameters();
        return new RecordingSet(flat, theta, new int[theta.length], new double[] {simulator.noiseLevel()}, channels, t, raw,
                List.of(space.names()), space.parameters().stream().map(p -> p.unit()).toList(), id, 0);
    }

    /** Block means of each channel of {@code rec} written at {@code at}; false if a value is not finite. */
    public static boolean decimateInto(float[][] rec, int decimate, int t, float[] out, int at) {
        int k = at;
        for (float[] channel : rec) {
            for (int j = 0; j < t; j++) {
                double s = 0;
                for (int q = j * decimate; q < (j + 1) * decimate; q++) {
                    s += channel[q];
                }
                float v = (float) (s / decimate);
                if (!Float.isFinite(v)) {
                    return false;
                }
                out[k++] = v;
            }
        }
        return true;
    }

    private static boolean finite(double[] row) {
        for (double v : row) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The rows whose recording and parameters are all finite. */
    public int[] finiteRows() {
        int len = rowLength();
        return java.util.stream.IntStream.range(0, size()).filter(i -> {
            for (int k = i * len; k < (i + 1) * len; k++) {
                if (!Float.isFinite(x[k])) {
                    return false;
                }
            }
            return finite(y[i]);
        }).toArray();
    }

    /** The rows of {@code rows}, as a new set. */
    public RecordingSet subset(int[] rows) {
        int len = rowLength();
        float[] sx = new float[rows.length * len];
        double[][] sy = new double[rows.length][];
        int[] sc = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * len, sx, i * len, len);
            sy[i] = y[rows[i]];
            sc[i] = condition[rows[i]];
        }
        return new RecordingSet(sx, sy, sc, noiseFactors, channels, times, rawTimes, paramNames, paramUnits, datasetSha256, 0,
                layout);
    }
}
