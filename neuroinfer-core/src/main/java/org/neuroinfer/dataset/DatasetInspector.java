package org.neuroinfer.dataset;

import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.neuroinfer.io.Checksums;

/** Validates a data set (checksums, shapes, completeness) and summarises it per noise condition. */
public final class DatasetInspector {
    private DatasetInspector() {
    }

    /** A shard that fails its checksum or shape check. */
    public static final class CorruptShardException extends IOException {
        private static final long serialVersionUID = 1L;

        public CorruptShardException(String message) {
            super(message);
        }
    }

    /**
     * What an inspection found.
     *
     * @param text     the summary
     * @param complete whether every planned shard is there (each one found was verified)
     */
    public record Inspection(String text, boolean complete) {
    }

    /** The summary text; a {@link CorruptShardException} names the first bad shard. */
    public static String inspect(Path dir) throws IOException {
        return inspection(dir).text();
    }

    /** The summary and completeness; a {@link CorruptShardException} names the first bad shard. */
    public static Inspection inspection(Path dir) throws IOException {
        if (!Files.exists(dir.resolve(Manifest.FILE))) {
            throw new IOException(dir + " is not a neuroinfer data set (no " + Manifest.FILE + ")");
        }
        Manifest m = Manifest.read(dir);
        StringBuilder sb = new StringBuilder();
        int conditions;
        List<String> labels = new ArrayList<>();
        int perCondition;
        if (m.spectra()) {
            SpectraConfig c = m.spectraConfig();
            sb.append(String.format(Locale.ROOT, "%s: SGM spectra (%s), %d noise conditions x %d spectra (%d speeds x "
                            + "%d), seed %d, config sha256 %s...%n", dir, c.variant(), c.noiseDb().size(),
                    c.spectraPerCondition(), c.speeds(), c.spectraPerSpeed(), c.seed(),
                    m.configSha256().substring(0, 12)));
            sb.append(String.format(Locale.ROOT, "X float32 [n, %d regions, %s frequencies] in %s; y float64 [n, %d] "
                            + "(%s)%n", m.channelNames().size(), m.xShape().get(2), c.output().equals("db") ? "dB"
                            : "magnitude", m.paramNames().size(), String.join(", ", m.paramNames())));
            conditions = c.noiseDb().size();
            c.noiseDb().forEach(v -> labels.add("noise " + v + " dB"));
            perCondition = c.spectraPerCondition();
        } else {
            GenerationConfig c = m.generationConfig();
            sb.append(String.format(Locale.ROOT, "%s: %s (%s), prior %s, %d noise conditions x %d recordings, seed "
                            + "%d, config sha256 %s...%n", dir, c.model(), c.convention(), c.prior(), c.conditions(),
                    c.recordingsPerCondition(), c.seed(), m.configSha256().substring(0, 12)));
            sb.append(String.format(Locale.ROOT, "%s [n, %d channels, %s times] in V; y float64 [n, %d] (%s)%n",
                    c.storesSource() ? "X (rebuilt when read from source float64 [n, times], its noise drawn from "
                            + "the seed)" : "X float32", m.channelNames().size(), m.xShape().get(2),
                    m.paramNames().size(), String.join(", ", m.paramNames())));
            conditions = c.conditions();
            for (int k = 0; k < conditions; k++) {
                labels.add(c.snrDb() == null ? "factor " + c.noiseFactors().get(k) : "SNR " + c.snrDb().get(k)
                        + " dB");
            }
            perCondition = c.recordingsPerCondition();
        }
        long[] count = new long[conditions];
        double[] snrSum = new double[conditions];
        long[] invalid = new long[conditions];
        for (Manifest.Shard s : m.shards()) {
            Path f = dir.resolve(s.file());
            if (!Files.exists(f)) {
                throw new CorruptShardException(f + ": listed in the manifest but missing");
            }
            String sum = Checksums.sha256(f);
            if (!sum.equals(s.sha256())) {
                throw new CorruptShardException(f + ": checksum mismatch (manifest " + s.sha256() + ", file " + sum
                        + "); regenerate it by running generate again");
            }
            try (HdfFile h = org.neuroinfer.io.HdfFiles.open(f)) {
                boolean source = m.storesSource();
                String name = source ? "source" : "X";
                int[] dims = h.getDatasetByPath(name).getDimensions();
                int times = Integer.parseInt(m.xShape().get(2));
                int[] want = source ? new int[] {s.count(), times}
                        : new int[] {s.count(), m.channelNames().size(), times};
                if (!Arrays.equals(dims, want)) {
                    throw new CorruptShardException(f + ": " + name + " has shape " + Arrays.toString(dims)
                            + ", expected " + Arrays.toString(want));
                }
                double[] snr = (double[]) h.getDatasetByPath("snr_db").getData();
                byte[] valid = (byte[]) h.getDatasetByPath("valid").getData();
                for (int i = 0; i < snr.length; i++) {
                    if (valid[i] == 1) {
                        snrSum[s.condition()] += snr[i];
                    } else {
                        invalid[s.condition()]++;
                    }
                }
            }
            count[s.condition()] += s.count();
        }
        sb.append(String.format(Locale.ROOT, "%-9s %-16s %-10s %-14s %s%n", "condition", "noise",
                "recordings", "mean SNR (dB)", "diverged"));
        for (int k = 0; k < conditions; k++) {
            long ok = count[k] - invalid[k];
            sb.append(String.format(Locale.ROOT, "%-9d %-16s %-10s %-14s %d%n", k, labels.get(k),
                    count[k] + "/" + perCondition, ok == 0 || m.spectra() ? "-" : String.format(Locale.ROOT, "%.2f",
                            snrSum[k] / ok), invalid[k]));
        }
        sb.append(m.complete() ? "complete; every checksum verified\n"
                : "INCOMPLETE: run the same generate command again to finish it\n");
        return new Inspection(sb.toString(), m.complete());
    }
}
