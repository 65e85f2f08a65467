package org.neuroinfer.dataset;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.neuroinfer.io.Checksums;

/**
 * Reads a generated data set shard by shard, verifying each shard's checksum against the manifest before its
 * arrays are used, so a corrupt or altered file is never learned from.
 */
public final class DatasetReader {
    private final Path dir;
    private final Manifest manifest;
    /** The generator that observes shards of {@code store: source}, made on first use. */
    private DatasetGenerator observer;

    /**
     * The contents of one shard.
     *
     * @param shard   its manifest entry
     * @param x       EEG [n][channels][times], volts
     * @param y       parameters [n][P]
     * @param snrDb   SNR per recording
     * @param valid   1 for a usable recording, 0 for one that diverged
     * @param index   global recording numbers
     */
    public record ShardData(Manifest.Shard shard, float[][][] x, double[][] y, double[] snrDb, byte[] valid,
                            long[] index) {
    }

    /** Opens {@code dir}; an incomplete data set is refused. */
    public DatasetReader(Path dir) throws IOException {
        if (!Files.exists(dir.resolve(Manifest.FILE))) {
            throw new IOException(dir + " is not a neuroinfer data set (no " + Manifest.FILE + ")");
        }
        this.dir = dir;
        this.manifest = Manifest.read(dir);
        if (!manifest.complete()) {
            throw new IOException(dir + " is incomplete: run the same generate command again to finish it");
        }
    }

    /** The manifest. */
    public Manifest manifest() {
        return manifest;
    }

    /** The shards in plan order. */
    public List<Manifest.Shard> shards() {
        return manifest.shards();
    }

    /**
     * Reads shard {@code i} after checking its SHA-256.
     *
     * @throws DatasetInspector.CorruptShardException naming the file if the checksum differs
     */
    public ShardData read(int i) throws IOException {
        float[][][][] whole = new float[1][][][];
        ShardData d = read(i, Integer.MAX_VALUE, (meta, from, x) -> whole[0] = x);
        return new ShardData(d.shard(), whole[0], d.y(), d.snrDb(), d.valid(), d.index());
    }

    /** A block of a shard's recordings. */
    public interface Block {
        /**
         * Recordings {@code from} to {@code from + x.length - 1} of the shard whose other datasets are {@code meta}
         * (its {@code x} null); {@code x} may be reused for the next block once this returns.
         */
        void accept(ShardData meta, int from, float[][][] x) throws IOException;
    }

    /**
     * Reads shard {@code i} as {@link #read(int)} does, but hands its X to {@code block} at most {@code rows}
     * recordings at a time, in order and with the same values, so that only one block of X is held: sliced from a
     * shard that stores X, observed block by block from one that stores the sources.
     *
     * @return the shard's datasets but X
     * @throws DatasetInspector.CorruptShardException naming the file if the checksum differs
     */
    public ShardData read(int i, int rows, Block block) throws IOException {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        }
        Manifest.Shard s = manifest.shards().get(i);
        Path f = dir.resolve(s.file());
        String sum = Checksums.sha256(f);
        if (!sum.equals(s.sha256())) {
            throw new DatasetInspector.CorruptShardException(f + ": checksum mismatch (manifest " + s.sha256()
                    + ", file " + sum + "); regenerate it by running generate again");
        }
        try (HdfFile h = org.neuroinfer.io.HdfFiles.open(f)) {
            byte[] valid = (byte[]) h.getDatasetByPath("valid").getData();
            long[] index = (long[]) h.getDatasetByPath("index").getData();
            ShardData meta = new ShardData(s, null, (double[][]) h.getDatasetByPath("y").getData(),
                    (double[]) h.getDatasetByPath("snr_db").getData(), valid, index);
            int n = valid.length;
            double[][] source = null;
            double[] meanSquare = null;
            io.jhdf.api.Dataset x = null;
            if (manifest.storesSource()) {
                source = (double[][]) h.getDatasetByPath("source").getData();
                meanSquare = (double[]) h.getDatasetByPath("mean_square").getData();
            } else {
                x = h.getDatasetByPath("X");
            }
            float[][][] reuse = null;
            for (int from = 0; from < n; from += rows) {
                int m = Math.min(rows, n - from);
                float[][][] b;
                if (source != null) {
                    b = rebuilt(s, Arrays.copyOfRange(source, from, from + m), Arrays.copyOfRange(meanSquare, from,
                            from + m), Arrays.copyOfRange(valid, from, from + m), (index.length == 0 ? 0 : index[0])
                            + from, reuse);
                    reuse = b;
                } else if (from == 0 && m == n) {
                    b = (float[][][]) x.getData();
                } else {
                    int[] dims = x.getDimensions();
                    b = (float[][][]) x.getData(new long[] {from, 0, 0}, new int[] {m, dims[1], dims[2]});
                }
                block.accept(meta, from, b);
            }
            if (n == 0) {
                block.accept(meta, 0, source != null ? new float[0][][] : (float[][][]) x.getData());
            }
            return meta;
        }
    }

    /**
     * X of a shard that holds the model's evoked responses ({@code store: source}): the generator's own
     * observation of them, its sensor noise drawn again from the seed, so the same bits as a shard that holds X.
     */
    private float[][][] rebuilt(Manifest.Shard s, double[][] source, double[] meanSquare, byte[] valid, long g0,
                                float[][][] reuse) throws IOException {
        if (observer == null) {
            GenerationConfig c = manifest.generationConfig();
            if (!c.hash().equals(manifest.configSha256())) {
                throw new IOException(dir + ": its X is made from the files its configuration names (lead field, "
                        + "channel names, noise covariance), and one of them has changed since it was generated");
            }
            observer = new DatasetGenerator(c, 1);
        }
        return observer.observe(new DatasetGenerator.Sources(source, meanSquare, valid), s.noiseFactor(), s.snrDb(),
                g0, reuse).x();
    }

    /**
     * The recordings' layout: the manifest's channel names, and the rate, start and unit of the first shard's
     * {@code times} and {@code X} (unknown parts for a set without shards).
     */
    public org.neuroinfer.recording.RecordingLayout layout() throws IOException {
        return layout(0);
    }

    /**
     * The recordings' layout as shard {@code shard} (which every shard shares) gives it: {@link #layout()} read from
     * that shard.
     */
    public org.neuroinfer.recording.RecordingLayout layout(int shard) throws IOException {
        if (manifest.shards().isEmpty()) {
            return new org.neuroinfer.recording.RecordingLayout(manifest.channelNames() == null ? List.of()
                    : manifest.channelNames(), Double.NaN, Double.NaN, null);
        }
        Path f = dir.resolve(manifest.shards().get(shard).file());
        try (HdfFile h = org.neuroinfer.io.HdfFiles.open(f)) {
            var unit = h.getDatasetByPath("X").getAttribute("unit");
            double[] times = h.getChild("times") == null ? null : (double[]) h.getDatasetByPath("times").getData();
            List<String> names = manifest.channelNames() == null ? List.of() : manifest.channelNames();
            String u = unit == null ? null : String.valueOf(unit.getData());
            return times == null ? new org.neuroinfer.recording.RecordingLayout(names, Double.NaN, Double.NaN, u)
                    : org.neuroinfer.recording.RecordingLayout.ofTimes(names, times, u);
        }
    }

    /** The realised SNR (dB) of every recording of shard {@code i}, read without the recordings. */
    public double[] snrDb(int i) throws IOException {
        try (HdfFile h = org.neuroinfer.io.HdfFiles.open(dir.resolve(manifest.shards().get(i).file()))) {
            return (double[]) h.getDatasetByPath("snr_db").getData();
        }
    }
}
