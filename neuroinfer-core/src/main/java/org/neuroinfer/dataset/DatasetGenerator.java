package org.neuroinfer.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.neuroinfer.integrate.BatchSimulator;
import org.neuroinfer.integrate.Scheme;
import org.neuroinfer.io.Checksums;
import org.neuroinfer.io.HdfFiles;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.io.Part;
import org.neuroinfer.model.jansenrit.Convention;
import org.neuroinfer.model.jansenrit.JansenRit;
import org.neuroinfer.observe.BackgroundEeg;
import org.neuroinfer.observe.EegProjection;
import org.neuroinfer.observe.EpochWindow;
import org.neuroinfer.observe.EvokedNoise;
import org.neuroinfer.observe.EvokedRecorder;
import org.neuroinfer.observe.LeadField;
import org.neuroinfer.observe.SensorNoise;
import org.neuroinfer.observe.head.Montage;
import org.neuroinfer.observe.head.SphericalHead;
import org.neuroinfer.param.Design;
import org.neuroinfer.param.ParameterSpace;
import org.neuroinfer.random.RandomStreams;
import org.neuroinfer.stimulus.Protocol;

/**
 * Generates a labelled EEG data set (the benchmark's X and y) into a folder of HDF5 shards and a manifest, one
 * noise condition after another. Recording i of condition k is global recording g = k * R + i: its parameters,
 * dynamics noise and sensor noise are drawn from streams of (seed, g), so the content depends on nothing but the
 * configuration. A killed run resumes: shards listed in the manifest whose checksum holds are kept, the rest are
 * made again, and the result is byte-identical to an uninterrupted run.
 */
public final class DatasetGenerator {
    private final GenerationConfig config;
    private final int threads;
    private final LeadField leadField;
    private final SensorNoise baseNoise;
    private final BackgroundEeg background;

    public DatasetGenerator(GenerationConfig config, int threads) {
        this.config = config.withDefaults();
        this.config.validate();
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        try {
            this.leadField = config.leadfield() == null ? builtIn(Montage.named(this.config.montage()))
                    : LeadField.read(Path.of(config.leadfield()),
                    config.leadfieldChannels() == null ? null : Path.of(config.leadfieldChannels()));
            int channels = leadField.channels().length;
            if (config.noiseCovariance() == null) {
                baseNoise = SensorNoise.adHocEeg(channels);
            } else {
                NpyArray cov = Npy.load(Path.of(config.noiseCovariance()));
                if (cov.shape().length != 2 || cov.shape()[0] != channels || cov.shape()[1] != channels) {
                    throw new IllegalArgumentException("noise_covariance " + config.noiseCovariance() + " has shape "
                            + Arrays.toString(cov.shape()) + "; expected [" + channels + ", " + channels + "]");
                }
                double[][] rows = new double[channels][];
                for (int i = 0; i < channels; i++) {
                    rows[i] = cov.row(i);
                }
                baseNoise = SensorNoise.fromCovariance(rows);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.background = this.config.backgroundRms() > 0 ? BackgroundEeg.of(Montage.named(this.config.montage()),
                this.config.backgroundSources(), this.config.backgroundRms(), this.config.backgroundBeta(),
                this.config.backgroundAlphaFraction(), this.config.seed()) : null;
    }

    /**
     * The parameter sets of a shard: random draws of its own recordings, or its slice of the condition's design
     * (a Latin hypercube is stratified over the whole condition).
     */
    private double[][] parameters(ParameterSpace drawn, Manifest.Shard shard) {
        Design design = Design.of(config.design());
        long c0 = (long) shard.condition() * config.recordingsPerCondition();
        if (design == Design.RANDOM) {
            return design.draw(drawn, config.seed(), c0 + shard.first(), shard.condition(), shard.count());
        }
        double[][] all = design.draw(drawn, config.seed(), c0, shard.condition(), config.recordingsPerCondition());
        return Arrays.copyOfRange(all, shard.first(), shard.first() + shard.count());
    }

    /** The benchmark's source (left caudal middle frontal, radial) through the built-in head. */
    private static LeadField builtIn(Montage montage) {
        SphericalHead head = SphericalHead.fourShell();
        double[][] src = {LeadField.benchmarkSource()};
        return LeadField.fixed(head, montage, src, LeadField.radial(head, src));
    }

    /** Channels of each recording. */
    public int channels() {
        return leadField.channels().length;
    }

    /** What each recording's axes mean: the montage's channels, the protocol's rate, the window's start, volts. */
    public org.neuroinfer.recording.RecordingLayout layout() {
        double sfreq = Protocol.benchmark().sfreq();
        return new org.neuroinfer.recording.RecordingLayout(java.util.List.of(projection(0).channels()), sfreq,
                EpochWindow.benchmark().start() / sfreq, "V");
    }

    /** Samples of each recording (the epoch window). */
    public int samples() {
        return EpochWindow.benchmark().length();
    }

    /** The observation at noise factor {@code factor}: the built-in head or the user's lead field. */
    EegProjection projection(double factor) {
        return EegProjection.of(leadField, config.sources().stream().mapToInt(Integer::intValue).toArray(),
                config.averageReference(), config.sourceScale(), baseNoise.scaled(factor));
    }

    /** The shards of the plan, in order, without checksums. */
    public List<Manifest.Shard> plan() {
        List<Manifest.Shard> p = new ArrayList<>();
        int r = config.recordingsPerCondition();
        int s = config.shardSize();
        for (int k = 0; k < config.conditions(); k++) {
            Double factor = config.snrDb() == null ? config.noiseFactors().get(k) : null;
            Double snr = config.snrDb() == null ? null : config.snrDb().get(k);
            for (int first = 0, m = 0; first < r; first += s, m++) {
                p.add(new Manifest.Shard(String.format(Locale.ROOT, "shards/c%02d_s%04d.h5", k, m), k, factor, snr,
                        first, Math.min(s, r - first), null));
            }
        }
        return p;
    }

    /** Total number of recordings. */
    public long total() {
        return config.recordings();
    }

    /**
     * Generates into {@code dir}, resuming a run of the same configuration.
     *
     * @param force    start over when {@code dir} holds a data set of another configuration
     * @param progress called with the number of recordings finished (including skipped shards)
     * @param stopAfter stop after making this many shards (a simulated kill, for tests); negative for no limit
     * @return the number of shards made (the others were kept from an earlier run)
     */
    public int generate(Path dir, boolean force, IntConsumer progress, int stopAfter) throws IOException {
        return generate(dir, force, progress, stopAfter, null);
    }

    /**
     * Readies {@code dir} for this configuration without making a shard: with {@code force}, a data set of another
     * configuration there is removed; without, one is refused as {@link #generate} refuses it. For drivers that
     * then hand the shards to parts, which never delete.
     */
    public void prepare(Path dir, boolean force) throws IOException {
        Manifest.resume(dir, config.hash(), Manifest.tree(config), force, false);
    }

    /**
     * As {@link #generate(Path, boolean, IntConsumer, int)}, making only the shards of {@code part} (null: all,
     * accepting those that parts made and writing the manifest).
     */
    public int generate(Path dir, boolean force, IntConsumer progress, int stopAfter, Part part) throws IOException {
        return generate(dir, force, progress, stopAfter, part, false);
    }

    /**
     * As {@link #generate(Path, boolean, IntConsumer, int, Part)}; with {@code checked}, the shards already there
     * were read back against their checksum files, or checksummed as written, by the parts of a cluster job in this
     * run, so their recorded checksums are taken without reading them again.
     */
    public int generate(Path dir, boolean force, IntConsumer progress, int stopAfter, Part part, boolean checked)
            throws IOException {
        Map<String, Manifest.Shard> done = Manifest.resume(dir, config.hash(), Manifest.tree(config), force,
                part != null);
        ParameterSpace drawn = config.parameterSpace();
        ParameterSpace space = new JansenRit(Convention.of(config.convention())).parameterSpace();
        Protocol protocol = Protocol.benchmark().withDuration(config.duration());
        EpochWindow window = EpochWindow.benchmark();
        List<Manifest.Shard> plan = plan();
        // finished shards by plan position, so the manifest lists them in plan order whenever each completes
        Manifest.Shard[] finished = new Manifest.Shard[plan.size()];
        String[] channels = projection(0).channels();
        int made = 0;
        // A shard is written (and checksummed) on a writer thread while the next one is simulated: at most one
        // write is pending, and the manifest names a shard only once its file is complete.
        java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "neuroinfer-shard-writer");
            t.setDaemon(true);
            return t;
        });
        PendingShard pending = null;
        float[][][][] buffers = new float[2][][][];
        boolean stopped = false;
        try {
            for (int position = 0; position < plan.size(); position++) {
                Manifest.Shard planned = plan.get(position);
                Manifest.Shard prior = done.get(planned.file());
                Path file = dir.resolve(planned.file());
                if (part != null && !part.owns(position)) {
                    continue;
                }
                if (prior != null && Part.holds(file, prior.sha256(), checked)) {
                    finished[position] = prior;
                    progress.accept(planned.count());
                    continue;
                }
                String sealed = Part.sealed(file, config.hash(), checked);
                if (sealed != null) { // made by a part
                    finished[position] = planned.withSha256(sealed);
                    progress.accept(planned.count());
                    continue;
                }
                if (stopAfter >= 0 && made >= stopAfter) {
                    stopped = true;
                    break;
                }
                long g0 = (long) planned.condition() * config.recordingsPerCondition() + planned.first();
                double[][] params = parameters(drawn, planned);
                Sources src = sources(params, g0);
                Recordings rec;
                if (config.storesSource()) {
                    rec = levels(src, planned.noiseFactor(), planned.snrDb());
                } else {
                    // two shard buffers in turn: one is written while the next shard is observed into the other
                    float[][][] buffer = buffers[made % 2] != null ? buffers[made % 2]
                            : ShardBuffers.take(planned.count(), channels.length, window.length());
                    rec = observe(src, planned.noiseFactor(), planned.snrDb(), g0, buffer);
                    if (buffer != null && rec.x() != buffer) {
                        ShardBuffers.give(buffer); // of another size: kept for a shard of its size
                    }
                    buffers[made % 2] = rec.x();
                }
                long[] index = new long[params.length];
                for (int i = 0; i < index.length; i++) {
                    index[i] = g0 + i;
                }
                double[] times = window.times(protocol.sfreq());
                finish(pending, plan, dir, space, channels, finished, progress);
                pending = new PendingShard(position, writer.submit(() -> {
                    try {
                        writeShard(file, rec.x(), src, params, rec.snrDb(), rec.factors(), rec.valid(), index,
                                times, channels, space, planned);
                    } catch (RuntimeException e) { // the HDF5 library's unchecked errors
                        throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
                    }
                    if (part != null) {
                        Part.seal(file, config.hash());
                        return null;
                    }
                    return Checksums.sha256(file);
                }));
                made++;
            }
            finish(pending, plan, dir, space, channels, finished, progress);
            pending = null;
        } finally {
            if (pending != null) {
                // an error on this thread: let the pending write end (it is atomic either way), then stop
                try {
                    pending.write().get();
                } catch (Exception ignored) {
                    // the first error is the one reported
                }
            }
            writer.shutdownNow();
        }
        if (pending == null) { // no write in flight: the buffers are free for the next generation in this JVM
            ShardBuffers.give(buffers[0]);
            ShardBuffers.give(buffers[1]);
        }
        if (part == null && !stopped) {
            manifest(space, channels, inPlanOrder(finished)).write(dir);
            Part.unseal(dir.resolve("shards"));
        }
        return made;
    }

    /**
     * Writes into {@code dir} the manifest of the complete data set whose planned shards, kept elsewhere (a folder on
     * a cluster's file system), have the checksums {@code sha256} in plan order: the manifest a run on one machine
     * ends with.
     */
    public void gather(Path dir, List<String> sha256) throws IOException {
        ParameterSpace space = new JansenRit(Convention.of(config.convention())).parameterSpace();
        manifest(space, projection(0).channels(), Manifest.Shard.withSha256(plan(), sha256)).write(dir);
    }

    /**
     * The shard at plan position {@code position}, whose file is being written; its write returns the file's
     * SHA-256 (null for a part's shard).
     */
    private record PendingShard(int position, java.util.concurrent.Future<String> write) {
    }

    private static List<Manifest.Shard> inPlanOrder(Manifest.Shard[] finished) {
        return Arrays.stream(finished).filter(java.util.Objects::nonNull).toList();
    }

    /** Waits for {@code pending}'s write (if any), then records the shard in the manifest and the progress. */
    private void finish(PendingShard pending, List<Manifest.Shard> plan, Path dir, ParameterSpace space,
                        String[] channels, Manifest.Shard[] finished, IntConsumer progress) throws IOException {
        if (pending == null) {
            return;
        }
        String sha;
        try {
            sha = pending.write().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing " + plan.get(pending.position()).file(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("writing " + plan.get(pending.position()).file() + " failed", c);
        }
        Manifest.Shard planned = plan.get(pending.position());
        progress.accept(planned.count());
        if (sha != null) {
            finished[pending.position()] = planned.withSha256(sha);
            manifest(space, channels, inPlanOrder(finished)).write(dir);
        }
    }

    /**
     * Recordings of explicit parameter sets.
     *
     * @param x       EEG [n][channels][times] in V (NaN rows where the integration diverged)
     * @param snrDb   each recording's SNR in dB
     * @param factors each recording's noise factor
     * @param valid   1 where the integration stayed finite
     */
    public record Recordings(float[][][] x, double[] snrDb, double[] factors, byte[] valid) {
    }

    /**
     * Simulates the parameter sets {@code params} (rows in the model's parameter order) as this configuration's
     * recordings at noise factor {@code noiseFactor} (or at SNR {@code snrDb} when it is not null), recording k
     * using the random streams of global index {@code g0 + k}: the same bytes as in a generated data set.
     */
    public Recordings simulate(double[][] params, Double noiseFactor, Double snrDb, long g0) {
        return observe(sources(params, g0), noiseFactor, snrDb, g0, null);
    }

    /**
     * The model's evoked responses of a group of recordings, before the EEG: what a shard of {@code store: source}
     * holds, and all that X is made from besides the configuration and the seed.
     *
     * @param evoked     [n][times] in model output units (NaN rows where the integration diverged)
     * @param meanSquare each output's mean square over the whole recording (an SNR condition's factor needs it)
     * @param valid      1 where the integration stayed finite
     */
    public record Sources(double[][] evoked, double[] meanSquare, byte[] valid) {
    }

    /** The evoked responses of {@code params}, recording k with the random streams of global index g0 + k. */
    Sources sources(double[][] params, long g0) {
        JansenRit model = new JansenRit(Convention.of(config.convention()));
        Protocol protocol = Protocol.benchmark().withDuration(config.duration());
        BatchSimulator sim = new BatchSimulator(model, Scheme.of(config.method()), protocol, config.dt(), threads,
                config.seed()).indexedFrom(g0).inPrecision(org.neuroinfer.integrate.Precision.of(config.precision()));
        if ("nan".equals(config.onDivergence())) {
            sim = sim.continuingOnDivergence();
        }
        EvokedRecorder ev = new EvokedRecorder(model, protocol, EpochWindow.benchmark(), params.length);
        int[] diverged = sim.run(params, ev);
        byte[] valid = new byte[params.length];
        Arrays.fill(valid, (byte) 1);
        double[][] evoked = ev.evoked();
        for (int i : diverged) {
            valid[i] = 0;
            Arrays.fill(evoked[i], Double.NaN);
        }
        return new Sources(evoked, ev.meanSquare(), valid);
    }

    /**
     * What {@link #observe} gives but the EEG (x null): each recording's noise factor and SNR (dB; NaN where it
     * diverged) at noise factor {@code noiseFactor} or SNR {@code snrDb}, without drawing the noise.
     */
    Recordings levels(Sources s, Double noiseFactor, Double snrDb) {
        EegProjection unit = projection(1);
        int n = s.valid().length;
        double[] factors = new double[n];
        double[] snr = new double[n];
        for (int i = 0; i < n; i++) {
            double ms = s.meanSquare()[i];
            factors[i] = unit.factorAt(ms, noiseFactor, snrDb);
            snr[i] = s.valid()[i] == 1 ? unit.scaled(factors[i]).snrDb(ms, background == null ? 0
                    : background.power()) : Double.NaN;
        }
        return new Recordings(null, snr, factors, s.valid());
    }

    /**
     * The EEG of evoked responses {@code s} of global indices g0, g0 + 1, ... at noise factor {@code noiseFactor}
     * (or SNR {@code snrDb}), into {@code reuse} when it has the right shape.
     */
    Recordings observe(Sources s, Double noiseFactor, Double snrDb, long g0, float[][][] reuse) {
        Protocol protocol = Protocol.benchmark().withDuration(config.duration());
        EpochWindow window = EpochWindow.benchmark();
        EvokedNoise sampler = new EvokedNoise(protocol.onsets(), protocol.nSamples(), window);
        EegProjection unit = projection(1);
        int ch = unit.size();
        int len = window.length();
        int n = s.valid().length;
        float[][][] x = reuse != null && reuse.length == n && reuse[0].length == ch && reuse[0][0].length == len
                ? reuse : new float[n][ch][len];
        double[] snr = new double[n];
        double[] factors = new double[n];
        // recordings in groups, each with one scratch recording: nothing of a recording's size is allocated per
        // recording (at 64 channels that was 1.2 MB each, and the heap's growth and page faults cost more than
        // the noise itself)
        int group = 8;
        IntStream.range(0, (n + group - 1) / group).parallel().forEach(b -> {
            double[] xi = new double[ch * len];
            for (int i = b * group; i < Math.min(n, (b + 1) * group); i++) {
                // an SNR condition solves each recording's factor from its clean power (the benchmark's formula)
                EegProjection.Observed o = unit.observeAt(s.evoked()[i], s.meanSquare()[i], noiseFactor, snrDb,
                        sampler, RandomStreams.stream(config.seed(), g0 + i, RandomStreams.EEG_NOISE),
                        background == null ? 0 : background.power(), xi);
                if (background != null) {
                    background.addEvoked(xi, protocol.onsets(), protocol.nSamples(), window,
                            RandomStreams.stream(config.seed(), g0 + i, RandomStreams.BACKGROUND));
                }
                for (int c = 0; c < ch; c++) {
                    float[] row = x[i][c];
                    for (int t = 0; t < len; t++) {
                        row[t] = (float) xi[c * len + t];
                    }
                }
                factors[i] = o.noiseFactor();
                snr[i] = o.snrDb();
            }
        });
        byte[] valid = s.valid().clone();
        for (int i = 0; i < n; i++) {
            if (valid[i] == 0) {
                for (float[] row : x[i]) {
                    Arrays.fill(row, Float.NaN);
                }
                snr[i] = Double.NaN;
            }
        }
        return new Recordings(x, snr, factors, valid);
    }

    private Manifest manifest(ParameterSpace space, String[] channels, List<Manifest.Shard> finished) {
        List<String> units = space.parameters().stream().map(p -> p.unit()).toList();
        return new Manifest("neuroinfer-dataset", 1, config.hash(), Manifest.tree(config), List.of(space.names()), units,
                List.of(channels), List.of("count", Integer.toString(channels.length),
                Integer.toString(EpochWindow.benchmark().length())), List.copyOf(finished),
                finished.size() == plan().size());
    }

    /** Writes a shard: X, or (when {@code x} is null) the sources X is made from. */
    private void writeShard(Path file, float[][][] x, Sources src, double[][] y, double[] snr, double[] factors,
                            byte[] valid, long[] index, double[] times, String[] channels, ParameterSpace space,
                            Manifest.Shard planned) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
        HdfFiles.write(tmp, h -> {
            if (x != null) {
                var xd = h.putDataset("X", x);
                xd.putAttribute("unit", "V");
                xd.putAttribute("axes", new String[] {"recording", "channel", "time"});
            } else {
                var sd = h.putDataset("source", src.evoked());
                sd.putAttribute("unit", "model output");
                sd.putAttribute("axes", new String[] {"recording", "time"});
                h.putDataset("mean_square", src.meanSquare());
                var td = h.putDataset("topography", projection(1).topography());
                td.putAttribute("unit", "V per unit of model output");
                h.putAttribute("store", GenerationConfig.STORE_SOURCE);
            }
            h.putDataset("y", y);
            h.putDataset("snr_db", snr);
            h.putDataset("noise_factor", factors);
            h.putDataset("valid", valid);
            h.putDataset("index", index);
            h.putDataset("times", times);
            h.putDataset("channel_names", channels);
            h.putDataset("param_names", space.names());
            h.putDataset("param_units", space.parameters().stream().map(p -> p.unit()).toArray(String[]::new));
            if (planned.snrDb() == null) {
                h.putAttribute("noise_factor", planned.noiseFactor());
            } else {
                h.putAttribute("target_snr_db", planned.snrDb());
            }
            h.putAttribute("condition", (long) planned.condition());
            h.putAttribute("first", (long) planned.first());
            h.putAttribute("seed", config.seed());
            h.putAttribute("convention", config.convention());
            h.putAttribute("config_sha256", config.hash());
        });
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
