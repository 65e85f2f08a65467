package org.neuroinfer.pipeline;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neuroinfer.dataset.Manifest;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Part;

/**
 * A data set ({@code manifest.json} and {@code shards/}) made by a cluster's parts straight into a
 * {@link RemoteFolder}. Each part makes its shards in a local folder of its worker and puts each shard, then its
 * checksum file, into the remote folder (temporary name, then rename); a part whose shards are already there (a
 * killed run resumes) streams them back against their checksums instead, making one that differs again. This driver
 * never reads a shard: it reads the small files, writes the manifest from the checksums (the bytes one machine
 * writes) and removes the checksum files.
 */
final class RemoteDataset {
    private RemoteDataset() {
    }

    /** Readies a local folder for the configuration, as a generator's {@code prepare} does. */
    interface Preparation {
        void prepare(Path dir) throws IOException;
    }

    /** Makes part {@code part}'s shards, each with its checksum file, in the local folder {@code dir}. */
    interface PartMaker extends Serializable {
        void make(Path dir, Part part) throws Exception;
    }

    /** Writes the manifest of the complete data set whose shards have these checksums, in plan order. */
    interface Gathering {
        void gather(Path dir, List<String> sha256) throws IOException;
    }

    /**
     * A data set in a remote folder.
     *
     * @param remote     the folder
     * @param configHash the configuration's SHA-256 (what checksum files name)
     * @param partFiles  the shard files of each part, which taken in order are the plan
     * @param name       the job's name on the cluster
     * @param inputs     files the parts read, shipped to the workers
     */
    record Plan(RemoteFolder remote, String configHash, List<List<String>> partFiles, String name,
                Collection<Path> inputs) {
    }

    /**
     * Builds {@code plan} on {@code cluster}.
     *
     * @return the number of shards made now (those without a checksum file; the others were there from an earlier
     *         run)
     * @throws IllegalArgumentException when the folder holds a data set of another configuration (and
     *                                  {@code prepare} refuses it), naming the folder's URI
     * @throws IllegalStateException    naming the part whose shards do not stream back with their checksums even
     *                                  when made again
     */
    static int build(Plan plan, Preparation prepare, PartMaker make, Gathering gather, Cluster cluster, String master)
            throws IOException {
        RemoteFolder remote = plan.remote();
        Path staging = Files.createTempDirectory("neuroinfer-remote");
        try {
            Map<String, String> kept = resume(remote, staging, prepare);
            int made = 0;
            for (List<String> files : plan.partFiles()) {
                if (!done(remote, files, kept, plan.configHash())) {
                    made += files.size();
                }
            }
            // every part streams back the shards of its own already there against their checksums (making one
            // that differs again) and makes the rest, so this driver reads none of them
            run(cluster, master, plan, kept, make);
            List<String> sums = new ArrayList<>();
            for (List<String> files : plan.partFiles()) {
                for (String f : files) {
                    String sum = expected(remote, f, kept, plan.configHash());
                    if (sum == null) {
                        throw new IllegalStateException(remote.uri() + ": " + f + " has no checksum file after its "
                                + "part");
                    }
                    sums.add(sum);
                }
            }
            gather.gather(staging, sums);
            remote.put(staging.resolve(Manifest.FILE), Manifest.FILE);
            for (String f : remote.list("shards")) {
                String base = f.substring(f.lastIndexOf('/') + 1);
                if (f.endsWith(Part.SUFFIX) || base.startsWith(".")) { // checksum files, and temporaries of a kill
                    remote.delete(f);
                }
            }
            return made;
        } finally {
            AtomicFiles.deleteTree(staging);
        }
    }

    /**
     * Reads the folder's manifest into {@code staging} and lets {@code prepare} judge it; a data set of another
     * configuration that it clears (with --force) is removed from the folder too.
     *
     * @return the checksums of the shards a manifest of this configuration lists, by file
     */
    private static Map<String, String> resume(RemoteFolder remote, Path staging, Preparation prepare)
            throws IOException {
        byte[] old = remote.read(Manifest.FILE);
        if (old != null) {
            Files.write(staging.resolve(Manifest.FILE), old);
        }
        try {
            prepare.prepare(staging);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace(staging.toString(), remote.uri()), e);
        }
        Map<String, String> kept = new HashMap<>();
        if (old != null && !Files.exists(staging.resolve(Manifest.FILE))) {
            remote.delete("shards");
            remote.delete(Manifest.FILE);
        } else if (old != null) {
            Manifest.read(staging).shards().forEach(s -> kept.put(s.file(), s.sha256()));
        }
        return kept;
    }

    /** Whether every file of a part is in the folder with a manifest entry or a checksum file of this configuration. */
    private static boolean done(RemoteFolder remote, List<String> files, Map<String, String> kept, String hash)
            throws IOException {
        for (String f : files) {
            if (expected(remote, f, kept, hash) == null || !remote.exists(f)) {
                return false;
            }
        }
        return true;
    }

    private static String expected(RemoteFolder remote, String f, Map<String, String> kept, String hash)
            throws IOException {
        String sum = kept.get(f);
        if (sum != null) {
            return sum;
        }
        byte[] seal = remote.read(f + Part.SUFFIX);
        return seal == null ? null : Part.sum(new String(seal, StandardCharsets.US_ASCII), hash);
    }

    /**
     * Runs every part of the plan as one cluster job. A part whose shards are there, each streaming back with its
     * expected checksum, is done; otherwise it makes them and puts them there.
     */
    private static void run(Cluster cluster, String master, Plan plan, Map<String, String> kept, PartMaker make)
            throws IOException {
        RemoteFolder remote = plan.remote();
        String hash = plan.configHash();
        List<List<String>> partFiles = new ArrayList<>(plan.partFiles().stream().map(l -> List.copyOf(l)).toList());
        Map<String, String> known = new HashMap<>(kept);
        cluster.runParts(master, plan.name(), partFiles.size(), plan.inputs(), part -> {
            List<String> files = partFiles.get(part.index());
            if (verified(remote, files, known, hash)) {
                return;
            }
            Path dir = Files.createTempDirectory("neuroinfer-part");
            try {
                make.make(dir, part);
                for (String f : files) {
                    remote.put(dir.resolve(f), f);
                    remote.put(dir.resolve(f + Part.SUFFIX), f + Part.SUFFIX);
                }
            } finally {
                AtomicFiles.deleteTree(dir);
            }
            if (!verified(remote, files, known, hash)) {
                throw new IllegalStateException("the shards " + files + " do not stream back from " + remote.uri()
                        + " with the checksums they were written with");
            }
        });
    }

    /** Whether every file of a part streams back with its expected checksum. */
    private static boolean verified(RemoteFolder remote, List<String> files, Map<String, String> kept, String hash)
            throws IOException {
        for (String f : files) {
            String want = expected(remote, f, kept, hash);
            if (want == null || !want.equals(remote.sha256(f))) {
                return false;
            }
        }
        return true;
    }
}
