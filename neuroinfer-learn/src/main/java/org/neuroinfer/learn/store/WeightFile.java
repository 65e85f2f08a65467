package org.neuroinfer.learn.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;

/**
 * Named arrays in an {@code .npz} archive (float64, exact for float32 weights), the way neuroinfer stores network
 * weights and optimiser state: {@code numpy.load("weights.npz")} opens it, one entry per parameter.
 */
public final class WeightFile {
    private final Path file;
    private final Map<String, NpyArray> arrays;

    private WeightFile(Path file, Map<String, NpyArray> arrays) {
        this.file = file;
        this.arrays = arrays;
    }

    /** Reads {@code file}. */
    public static WeightFile read(Path file) throws IOException {
        return new WeightFile(file, Npy.loadArchive(file));
    }

    /**
     * Reads {@code dir/weights.npz} after checking it against the SHA-256 a model card recorded ({@code null}: not
     * checked).
     *
     * @throws IOException naming the file if it is missing or its checksum differs
     */
    public static WeightFile readChecked(Path dir, String sha256) throws IOException {
        Path w = dir.resolve(InverseModel.WEIGHTS);
        if (!java.nio.file.Files.exists(w)) {
            throw new IOException(dir + ": no " + InverseModel.WEIGHTS);
        }
        if (sha256 != null && !sha256.equals(org.neuroinfer.io.Checksums.sha256(w))) {
            throw new IOException(w + ": checksum differs from model.json's; the file is corrupt or was replaced");
        }
        return read(w);
    }

    /** {@link #loadInto}, with any failure reported as an {@link IOException} naming the file. */
    public void loadAll(Block block) throws IOException {
        try {
            loadInto(block, "");
        } catch (RuntimeException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Whether an entry {@code name} exists. */
    public boolean has(String name) {
        return arrays.containsKey(name);
    }

    /** Entry {@code name} as a float32 array of {@code shape} in {@code manager}. */
    public NDArray array(NDManager manager, String name, Shape shape) throws IOException {
        return manager.create(floats(name, shape), shape);
    }

    /** Entry {@code name}, checked to have {@code shape}. */
    public float[] floats(String name, Shape shape) throws IOException {
        NpyArray a = arrays.get(name);
        if (a == null) {
            throw new IOException(file + ": no entry '" + name + "' (the file does not belong to this network)");
        }
        long[] want = shape.getShape();
        if (!Arrays.equals(Arrays.stream(a.shape()).asLongStream().toArray(), want)) {
            throw new IOException(file + ": entry '" + name + "' has shape " + Arrays.toString(a.shape())
                    + ", the network needs " + shape);
        }
        float[] f = new float[a.data().length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.data()[i];
        }
        return f;
    }

    /** The single value of entry {@code name}. */
    public double scalar(String name) throws IOException {
        NpyArray a = arrays.get(name);
        if (a == null || a.data().length != 1) {
            throw new IOException(file + ": no scalar entry '" + name + "'");
        }
        return a.data()[0];
    }

    /**
     * Sets every parameter of {@code block} from this file, checking that names and shapes agree both ways.
     *
     * @param prefix prefix of the entries (e.g. {@code ""} or {@code "best."})
     */
    public void loadInto(Block block, String prefix) throws IOException {
        int count = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray a = p.getValue().getArray();
            a.set(floats(prefix + p.getKey(), a.getShape()));
            count++;
        }
        long entries = arrays.keySet().stream().filter(k -> k.startsWith(prefix) && !k.substring(prefix.length())
                .contains(".")).count();
        if (prefix.isEmpty() && entries != count) {
            throw new IOException(file + ": " + entries + " arrays for a network of " + count + " parameters");
        }
    }

    /** Collects arrays for {@link #write}. */
    public static final class Builder {
        private final Npy.Archive archive = new Npy.Archive();

        /** Adds an array. */
        public Builder put(String name, NDArray a) {
            return put(name, a.toFloatArray(), a.getShape());
        }

        /** Adds a float array of {@code shape}. */
        public Builder put(String name, float[] values, Shape shape) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = values[i];
            }
            int[] s = Arrays.stream(shape.getShape()).mapToInt(Math::toIntExact).toArray();
            archive.put(name, new NpyArray(s, d));
            return this;
        }

        /** Adds every parameter of {@code block} under {@code prefix}. */
        public Builder putAll(Block block, String prefix) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                put(prefix + p.getKey(), p.getValue().getArray());
            }
            return this;
        }

        /** Adds a single value. */
        public Builder putScalar(String name, double value) {
            archive.put(name, NpyArray.of(new double[]{value}));
            return this;
        }

        /** Writes the archive atomically. */
        public void write(Path file) throws IOException {
            archive.save(file, true);
        }
    }
}
