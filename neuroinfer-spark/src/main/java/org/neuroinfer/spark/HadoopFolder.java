package org.neuroinfer.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.neuroinfer.pipeline.RemoteFolder;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * A {@link RemoteFolder} on any Hadoop file system on the class path ({@code hdfs://}, {@code s3a://} with
 * hadoop-aws, ...), with the Hadoop settings of the driver ({@code core-site.xml} and {@code spark.hadoop.*}), which
 * travel with it to the workers.
 */
final class HadoopFolder implements RemoteFolder {
    private static final long serialVersionUID = 1L;

    private final String uri;
    private final byte[] settings;
    private transient FileSystem fs;

    private HadoopFolder(String uri, byte[] settings) {
        this.uri = uri;
        this.settings = settings;
    }

    /**
     * The folder at {@code uri}, its file system reached once to check it.
     *
     * @throws IllegalArgumentException naming the URI when no file system on the class path serves its scheme, or
     *                                  it cannot be reached
     */
    static HadoopFolder open(String uri) {
        URI u;
        try {
            u = new URI(uri);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--out " + uri + " is not a URI (" + e.getMessage() + ")");
        }
        if (u.getScheme() == null || u.getPath() == null || !u.getPath().startsWith("/")) {
            throw new IllegalArgumentException("--out " + uri + ": give a folder as SCHEME://[AUTHORITY]/PATH");
        }
        Configuration conf = new Configuration();
        for (Tuple2<String, String> e : new SparkConf().getAll()) {
            if (e._1().startsWith("spark.hadoop.")) {
                conf.set(e._1().substring("spark.hadoop.".length()), e._2());
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            conf.write(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        HadoopFolder f = new HadoopFolder(uri, bytes.toByteArray());
        try {
            f.fs();
            probe(u, conf);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            if (e instanceof org.apache.hadoop.fs.UnsupportedFileSystemException || m.contains("No FileSystem for")) {
                throw new IllegalArgumentException("--out " + uri + ": no file system for " + u.getScheme() + ":// "
                        + "on the class path (hdfs:// comes with Spark; s3a:// needs hadoop-aws; docs/scale.md)", e);
            }
            throw new IllegalArgumentException("--out " + uri + ": cannot reach its file system (" + m + ")", e);
        }
        return f;
    }

    /** Seconds to wait for a file system's server (a name node) to answer the probe. */
    static final int CONNECT_SECONDS = 5;

    /**
     * Asks the file system once whether the folder exists, without the client's retries (ten connection attempts
     * a second apart, then more): a name node nobody answers at is reported in seconds rather than after a minute.
     */
    private static void probe(URI u, Configuration conf) throws IOException {
        Configuration once = new Configuration(conf);
        once.setInt("ipc.client.connect.max.retries", 0);
        once.setInt("ipc.client.connect.max.retries.on.timeouts", 0);
        once.setInt("ipc.client.connect.timeout", CONNECT_SECONDS * 1000);
        once.setBoolean("fs." + u.getScheme() + ".impl.disable.cache", true);
        try (FileSystem fs = FileSystem.newInstance(u, once)) {
            fs.exists(new org.apache.hadoop.fs.Path(u));
        }
    }

    private FileSystem fs() throws IOException {
        if (fs == null) {
            Configuration conf = new Configuration(false);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(settings))) {
                conf.readFields(in);
            }
            fs = FileSystem.get(URI.create(uri), conf);
        }
        return fs;
    }

    private org.apache.hadoop.fs.Path at(String name) {
        String base = uri.endsWith("/") || name.isEmpty() ? uri : uri + "/";
        return new org.apache.hadoop.fs.Path(base + name);
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public byte[] read(String name) throws IOException {
        try (InputStream in = fs().open(at(name))) {
            return in.readAllBytes();
        } catch (java.io.FileNotFoundException e) {
            return null;
        }
    }

    @Override
    public boolean exists(String name) throws IOException {
        return fs().isFile(at(name));
    }

    @Override
    public void put(Path local, String name) throws IOException {
        create(name, out -> Files.copy(local, out));
    }

    @Override
    public void write(String name, byte[] bytes) throws IOException {
        create(name, out -> out.write(bytes));
    }

    /** Writes {@code name} under a temporary name beside it, then renames it, replacing a file of that name. */
    private void create(String name, Content content) throws IOException {
        org.apache.hadoop.fs.Path target = at(name);
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(), "." + target.getName()
                + ".tmp-" + UUID.randomUUID());
        fs().mkdirs(target.getParent());
        try (OutputStream out = fs().create(tmp, false)) {
            content.write(out);
        }
        if (fs().exists(target)) {
            fs().delete(target, false);
        }
        if (!fs().rename(tmp, target)) {
            fs().delete(tmp, false);
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    private interface Content {
        void write(OutputStream out) throws IOException;
    }

    @Override
    public void get(String name, Path local) throws IOException {
        try (InputStream in = fs().open(at(name))) {
            Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void delete(String name) throws IOException {
        fs().delete(at(name), true);
    }

    @Override
    public List<String> list(String dir) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (FileStatus s : fs().listStatus(at(dir))) {
                if (s.isFile()) {
                    names.add(dir.isEmpty() ? s.getPath().getName() : dir + "/" + s.getPath().getName());
                }
            }
        } catch (java.io.FileNotFoundException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    @Override
    public List<String> tree() throws IOException {
        List<String> names = new ArrayList<>();
        walk("", names);
        names.sort(null);
        return names;
    }

    private void walk(String dir, List<String> names) throws IOException {
        FileStatus[] found;
        try {
            found = fs().listStatus(at(dir));
        } catch (java.io.FileNotFoundException e) {
            return;
        }
        for (FileStatus s : found) {
            String name = dir.isEmpty() ? s.getPath().getName() : dir + "/" + s.getPath().getName();
            if (s.isDirectory()) {
                walk(name, names);
            } else {
                names.add(name);
            }
        }
    }

    @Override
    public String sha256(String name) throws IOException {
        try (InputStream in = fs().open(at(name))) {
            return org.neuroinfer.io.Checksums.sha256(in);
        } catch (java.io.FileNotFoundException e) {
            return null;
        }
    }
}
