package org.neuroinfer.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A Hadoop file system of its own scheme, {@code mounted:///PATH}, that keeps its files at PATH on this machine:
 * a stand-in, in tests, for a cluster's file system (hdfs://, s3a://) that neuroinfer reaches only through Hadoop.
 * Found by Hadoop through {@code META-INF/services}, as hadoop-aws's s3a is.
 */
public class MountedFileSystem extends RawLocalFileSystem {
    @Override
    public String getScheme() {
        return "mounted";
    }

    @Override
    public URI getUri() {
        return URI.create("mounted:///");
    }
}
