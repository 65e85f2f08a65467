package org.neuroinfer.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import org.neuroinfer.model.Connectome;
import org.neuroinfer.network.NetworkConfig;
import org.neuroinfer.network.cases.ConfiguredRun;
import org.neuroinfer.network.fit.FcTarget;
import org.neuroinfer.network.fit.StudyConfig;

/**
 * A network study file read whole: its settings, the network, the connectome it runs on and the empirical target
 * (FC or BOLD), their region counts checked against each other.
 *
 * @param target the empirical data, or null when the file names none
 */
public record NetworkStudy(StudyConfig config, NetworkConfig base, Connectome connectome, FcTarget target) {
    /**
     * Reads {@code file}.
     *
     * @param needTarget refuse a file without {@code target:}
     */
    public static NetworkStudy read(Path file, boolean needTarget) throws IOException {
        StudyConfig s = StudyConfig.read(file);
        NetworkConfig base = s.networkConfig(file);
        if (needTarget && s.target() == null) {
            throw new IllegalArgumentException("target: missing; a fit needs empirical FC or BOLD (.npy)");
        }
        FcTarget target = s.target() == null ? null : FcTarget.read(Path.of(s.target()));
        Connectome con = ConfiguredRun.connectome(base, null);
        if (target != null && target.regions() != con.size()) {
            throw new IllegalArgumentException("target " + s.target() + " has " + target.regions()
                    + " regions, the network " + con.size());
        }
        return new NetworkStudy(s, base, con, target);
    }

    /**
     * The files a worker reads to run this study, read from {@code file}: the file, the connectome, the ALN tables,
     * the lead field and the target that it names; for a cluster to ship.
     */
    public java.util.List<Path> inputFiles(Path file) {
        return java.util.stream.Stream.of(file.toString(), base.connectome(), base.alnTables(), base.leadfield(),
                config.target()).filter(java.util.Objects::nonNull).map(Path::of).toList();
    }

    /**
     * Explores the grid of this study, read from {@code file}, on a cluster: parts of 8 or more grid points (run as
     * the lanes of one loop), each worker reading the study itself from the copies shipped with the job
     * ({@link #inputFiles}), then the part tables gathered into {@code exploration.csv} here: the bytes of one run.
     *
     * @return every point's row
     * @throws IllegalArgumentException with {@code force}: parts may not replace an exploration; remove it first
     */
    public java.util.List<org.neuroinfer.network.fit.Exploration.Row> exploreOnCluster(Path file, Path out,
            boolean force, int threads, Cluster cluster, String master, java.util.function.IntConsumer progress)
            throws IOException {
        refuseForce(force, out.toString());
        int points = org.neuroinfer.network.fit.Exploration.grid(config.axes()).size();
        // parts of at least LANES points run them as the lanes of one loop (RunBatches), the bits of each run alone
        int parts = Math.max(1, points / org.neuroinfer.network.cases.RunBatches.LANES);
        java.nio.file.Files.createDirectories(out);
        String study = file.toAbsolutePath().toString();
        String dir = out.toAbsolutePath().toString();
        cluster.runParts(master, "neuroinfer network explore " + out.getFileName(), parts, inputFiles(file),
                part -> {
            NetworkStudy w = read(Path.of(study), false);
            org.neuroinfer.network.fit.Exploration.run(w.base(), w.connectome(), w.config().axes(), w.target(),
                    Path.of(dir), false, 1, n -> { }, part);
        });
        return org.neuroinfer.network.fit.Exploration.run(base, connectome, config.axes(), target, out, false, threads,
                progress);
    }

    /**
     * As {@link #exploreOnCluster(Path, Path, boolean, int, Cluster, String, java.util.function.IntConsumer)}, into
     * the folder {@code out} on a file system the workers share ({@code hdfs://}, {@code s3a://}, ...): each part
     * works on a local copy of the folder and puts its part table there; the tables are then gathered here, in a
     * copy, and {@code exploration.csv} put there, with any further file {@code alsoWrite} makes in the copy (a
     * plot). The bytes of one run.
     *
     * @return every point's row
     */
    public java.util.List<org.neuroinfer.network.fit.Exploration.Row> exploreOnCluster(Path file, RemoteFolder out,
            boolean force, int threads, Cluster cluster, String master, java.util.function.IntConsumer progress,
            Finish alsoWrite) throws IOException {
        refuseForce(force, out.uri());
        int points = org.neuroinfer.network.fit.Exploration.grid(config.axes()).size();
        int parts = Math.max(1, points / org.neuroinfer.network.cases.RunBatches.LANES);
        String study = file.toAbsolutePath().toString();
        cluster.runParts(master, "neuroinfer network explore " + out.uri(), parts, inputFiles(file),
                part -> RemoteMirror.inTemporaryFolder("neuroinfer-part", dir -> {
                    RemoteMirror copy = RemoteMirror.pull(out, dir);
                    NetworkStudy w = read(Path.of(study), false);
                    org.neuroinfer.network.fit.Exploration.run(w.base(), w.connectome(), w.config().axes(),
                            w.target(), dir, false, 1, n -> { }, part);
                    copy.push();
                    return null;
                }));
        return RemoteMirror.inTemporaryFolder("neuroinfer-remote", dir -> {
            RemoteMirror copy = RemoteMirror.pull(out, dir);
            var rows = org.neuroinfer.network.fit.Exploration.run(base, connectome, config.axes(), target, dir,
                    false, threads, progress);
            alsoWrite.write(dir, rows);
            copy.push();
            return rows;
        });
    }

    private static void refuseForce(boolean force, String out) {
        if (force) {
            throw new IllegalArgumentException("--force cannot be combined with --spark: the cluster's parts may not "
                    + "replace an exploration; remove " + out + " first to start over");
        }
    }

    /** What a command adds to an exploration's folder once its rows are complete (a plot). */
    public interface Finish {
        void write(Path dir, java.util.List<org.neuroinfer.network.fit.Exploration.Row> rows) throws IOException;
    }
}
