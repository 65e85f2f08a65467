package org.neuroinfer.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.neuroinfer.io.InputFiles;

/**
 * A job's inputs as Spark ships them. Every regular file of the named files and folders is copied into a staging
 * folder under a name of its own ({@code K-name}, so two inputs called alike do not collide) and added to the job;
 * a worker, before the first part it runs, rebuilds each folder from its files and then reads every input from its
 * copy ({@link InputFiles}). The copies are taken when the job starts, so an input edited during the job cannot
 * reach some parts and not others.
 */
final class Shipment implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One shipped file: input {@code input}'s file at {@code relative} (null: the input is this file). */
    private record Entry(int input, String relative, String shipped) implements Serializable {
    }

    private final List<String> inputs;
    private final List<Boolean> folders;
    private final List<Entry> entries;

    private Shipment(List<String> inputs, List<Boolean> folders, List<Entry> entries) {
        this.inputs = inputs;
        this.folders = folders;
        this.entries = entries;
    }

    /**
     * Adds the files of {@code named} to {@code sc}'s job, staged in {@code staging}.
     *
     * @throws IllegalArgumentException naming an input that is neither a file nor a folder
     */
    static Shipment ship(JavaSparkContext sc, Collection<Path> named, Path staging) throws IOException {
        List<String> inputs = new ArrayList<>();
        List<Boolean> folders = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        int shipped = 0;
        for (Path input : named) {
            Path p = input.toAbsolutePath().normalize();
            if (inputs.contains(p.toString())) {
                continue;
            }
            int k = inputs.size();
            inputs.add(p.toString());
            folders.add(Files.isDirectory(p));
            List<Path> files;
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
            } else if (Files.isRegularFile(p)) {
                files = List.of(p);
            } else {
                throw new IllegalArgumentException("input " + input + " (named by the configuration) does not exist");
            }
            for (Path f : files) {
                String name = shipped++ + "-" + f.getFileName();
                Path copy = staging.resolve(name);
                Files.copy(f, copy);
                sc.addFile(copy.toString());
                entries.add(new Entry(k, f.equals(p) ? null : p.relativize(f).toString(), name));
            }
        }
        return new Shipment(List.copyOf(inputs), List.copyOf(folders), List.copyOf(entries));
    }

    /** The named inputs, as the driver sees them. */
    List<Path> named() {
        return inputs.stream().map(Path::of).toList();
    }

    /**
     * On a worker: rebuilds the shipped folders (once per JVM and job; the copies are in the job's own files
     * folder) and reads every input from its copy from now on.
     */
    void install() throws IOException {
        if (inputs.isEmpty()) {
            return;
        }
        synchronized (Shipment.class) {
            Path root = Path.of(SparkFiles.getRootDirectory()).toAbsolutePath();
            Map<Path, Path> copies = new HashMap<>();
            for (int k = 0; k < inputs.size(); k++) {
                if (folders.get(k)) {
                    Path folder = root.resolve("neuroinfer-input-" + k);
                    Files.createDirectories(folder);
                    copies.put(Path.of(inputs.get(k)), folder);
                }
            }
            for (Entry e : entries) {
                Path file = Path.of(SparkFiles.get(e.shipped()));
                if (e.relative() == null) {
                    copies.put(Path.of(inputs.get(e.input())), file);
                    continue;
                }
                Path target = copies.get(Path.of(inputs.get(e.input()))).resolve(e.relative());
                if (!Files.exists(target)) {
                    Files.createDirectories(target.getParent());
                    Path tmp = target.resolveSibling(target.getFileName() + ".part");
                    Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            InputFiles.install(copies);
        }
    }
}
