package org.neuroinfer.dataset;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
            float[][][] x = manifest.storesSource()
                    ? rebuilt(s, (double[][]) h.getDatasetByPath("source").getData(),
                    (double[]) h.getDatasetByPath("mean_square").getData(), valid, index)
                    : (float[][][]) h.getDatasetByPath("X").getData();
            return new ShardData(s, x, (double[][]) h.getDatasetByPath("y").getData(),
                    (double[]) h.getDatasetByPath("snr_db").getData(), valid, index);
        }
    }

    /**
     * X of a shard that holds the model's evoked responses ({@code store: source}): the generator's own
     * observation of them, its sensor noise drawn again from the seed, so the same bits as a shard that holds X.
     */
    private float[][][] rebuilt(Manifest.Shard s, double[][] source, double[] meanSquare, byte[] valid, long[] index)
            throws IOException {
        if (observer == null) {
            GenerationConfig c = manifest.generationConfig();
            if (!c.hash().equals(manifest.configSha256())) {
                throw new IOException(dir + ": its X is made from the files its configuration names (lead field, "
                        + "channel names, noise covariance), and one of them has changed since it was generated");
            }
            observer = new DatasetGenerator(c, 1);
        }
        return observer.observe(new DatasetGenerator.Sources(source, meanSquare, valid), s.noiseFactor(), s.snrDb(),
                index.length == 0 ? 0 : index[0], null).x();
    }

    /**
     * The recordings' layout: the manifest's channel names, and the rate, start and unit of the first shard's
     * {@code times} and {@code X} (unknown parts for a set without shards).
     */
    public org.neuroinfer.recording.RecordingLayout layout() throws IOException {
        if (manifest.shards().isEmpty()) {
            return new org.neuroinfer.recording.RecordingLayout(manifest.channelNames() == null ? List.of()
                    : manifest.channelNames(), Double.NaN, Double.NaN, null);
        }
        Path f = dir.resolve(manifest.shards().get(0).file());
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
