package org.neuroinfer.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One part of a run split over independent jobs (a SLURM array): part {@code index} of {@code count} makes only
 * the units (data-set shards, grid points) whose position in the plan is ≡ index (mod count); a shard is followed by
 * a checksum file
 * ({@code SHARD.sha256}: its SHA-256 and the configuration's), and never writes the manifest; a final run without
 * a part accepts every shard whose checksum file holds and writes the manifest, the same bytes as one machine's.
 *
 * @param index this part, from 0
 * @param count number of parts
 */
public record Part(int index, int count) {
    /** The suffix of a shard's checksum file. */
    public static final String SUFFIX = ".sha256";

    public Part {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("--part K/N needs N >= 1 and 0 <= K < N, got " + index + "/" + count);
        }
    }

    /**
     * Parses "K/N".
     *
     * @throws IllegalArgumentException naming --part and the form
     */
    public static Part parse(String text) {
        String[] f = text.trim().split("/");
        try {
            if (f.length == 2) {
                return new Part(Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--part must be K/N (this job's index from 0, and the number of jobs), "
                + "got '" + text + "'");
    }

    /** How many of {@code units} units (shards, or blocks of them) this part makes. */
    public int ownedOf(int units) {
        return Math.max(0, (units - index + count - 1) / count);
    }

    /** Whether this part makes the shard at {@code position} of the plan. */
    public boolean owns(int position) {
        return position % count == index;
    }

    /** Writes the checksum file of {@code shard}, made for configuration {@code configSha256}, atomically. */
    public static String seal(Path shard, String configSha256) throws IOException {
        String sum = Checksums.sha256(shard);
        AtomicFiles.write(shard.resolveSibling(shard.getFileName() + SUFFIX), true,
                out -> out.write((sum + " " + configSha256 + "\n").getBytes(StandardCharsets.US_ASCII)));
        return sum;
    }

    /**
     * The SHA-256 of {@code shard} if its checksum file names configuration {@code configSha256} and the file's
     * bytes still have that checksum, else null.
     */
    public static String sealed(Path shard, String configSha256) throws IOException {
        String sum = sealedSum(shard, configSha256);
        return sum != null && sum.equals(Checksums.sha256(shard)) ? sum : null;
    }

    /**
     * As {@link #sealed(Path, String)}, but when {@code checked} (every checksum file there was written, or checked
     * against its shard, by a part of this run) the recorded checksum is taken without reading the shard again.
     */
    public static String sealed(Path shard, String configSha256, boolean checked) throws IOException {
        return checked ? sealedSum(shard, configSha256) : sealed(shard, configSha256);
    }

    /**
     * Whether {@code file} exists with the checksum {@code sha256}: read back, or when {@code checked} (see
     * {@link #sealed(Path, String, boolean)}) taken as recorded.
     */
    public static boolean holds(Path file, String sha256, boolean checked) throws IOException {
        return Files.exists(file) && (checked || Checksums.sha256(file).equals(sha256));
    }

    /** The checksum the seal of {@code shard} records for configuration {@code configSha256}, or null. */
    private static String sealedSum(Path shard, String configSha256) throws IOException {
        Path seal = shard.resolveSibling(shard.getFileName() + SUFFIX);
        if (!Files.isRegularFile(seal) || !Files.isRegularFile(shard)) {
            return null;
        }
        return sum(Files.readString(seal, StandardCharsets.US_ASCII), configSha256);
    }

    /**
     * The shard checksum that the text of a checksum file records for configuration {@code configSha256}; null when
     * the text is null, malformed or names another configuration.
     */
    public static String sum(String seal, String configSha256) {
        if (seal == null) {
            return null;
        }
        String[] f = seal.trim().split(" ");
        return f.length == 2 && f[1].equals(configSha256) ? f[0] : null;
    }

    /**
     * Refuses {@code --force} for a part, which may not replace what other parts are writing into {@code dir}.
     *
     * @throws IllegalArgumentException when {@code force} is set
     */
    public static void refuseForce(boolean force, Path dir) {
        if (force) {
            throw new IllegalArgumentException("--force cannot be combined with --part: other parts may be writing "
                    + "into " + dir + "; remove it first to start over");
        }
    }

    /** Deletes the checksum files in {@code shards} once the manifest holds their shards. */
    public static void unseal(Path shards) throws IOException {
        for (Path f : seals(shards)) {
            Files.deleteIfExists(f);
        }
    }

    /** How many shards in {@code shards} are sealed (made by parts and not yet gathered); 0 without the folder. */
    public static int sealedCount(Path shards) throws IOException {
        return Files.isDirectory(shards) ? seals(shards).size() : 0;
    }

    private static java.util.List<Path> seals(Path shards) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(shards)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList();
        }
    }

    /** Whether {@code file} (in a shard folder) is a shard with a checksum file of {@code configSha256}. */
    public static boolean keptForFinalRun(Path file, String configSha256) throws IOException {
        String name = file.getFileName().toString();
        Path shard = name.endsWith(SUFFIX) ? file.resolveSibling(name.substring(0, name.length() - SUFFIX.length()))
                : file;
        return sealedSum(shard, configSha256) != null;
    }
}
