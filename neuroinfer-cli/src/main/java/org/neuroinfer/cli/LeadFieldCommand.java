package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.neuroinfer.io.AtomicFiles;
import org.neuroinfer.io.Csv;
import org.neuroinfer.io.Npy;
import org.neuroinfer.io.NpyArray;
import org.neuroinfer.observe.LeadField;
import org.neuroinfer.observe.head.Montage;
import org.neuroinfer.observe.head.SphericalHead;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Computes the lead field of the built-in four-shell spherical head. */
@Command(name = "leadfield", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compute the lead field of the built-in four-shell spherical head for dipoles.",
                "",
                "Channels x dipoles in V/(A*m) for dipole positions in metres in the head frame (origin between the "
                + "pre-auricular points, +x right, +y nose, +z up; the sphere's centre is at z = 0.0401 m). Without "
                + "--orientations the free-orientation field (three columns x, y, z per dipole) is written."})
final class LeadFieldCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--montage", defaultValue = "biosemi64", paramLabel = "NAME",
            description = "Electrode montage (default ${DEFAULT-VALUE}).")
    String montage;

    @Option(names = "--dipoles", paramLabel = "POS.npy",
            description = "Dipole positions [n x 3] in metres (default: the benchmark's source in the left caudal "
                    + "middle frontal gyrus, with a radial orientation).")
    Path dipoles;

    @Option(names = "--orientations", paramLabel = "ORI.npy|radial",
            description = "Moment directions [n x 3] (normalised), or 'radial'.")
    String orientations;

    @Option(names = "--avg-ref", description = "Apply the average reference.")
    boolean avgRef;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = ".npy or .csv (channel names "
            + "in the first column).")
    Path out;

    @Option(names = "--force", description = "Replace an existing output file.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        String ext = org.neuroinfer.pipeline.Simulation.extension(out);
        if (!ext.equals("npy") && !ext.equals("csv")) {
            throw new IllegalArgumentException("--out " + out + ": valid formats: .npy, .csv");
        }
        AtomicFiles.checkWritable(out, force);
        Montage m = Montage.named(montage);
        SphericalHead head = SphericalHead.fourShell();
        double[][] pos = dipoles == null ? new double[][] {LeadField.benchmarkSource()} : rows(dipoles, "--dipoles");
        String ori = orientations == null && dipoles == null ? "radial" : orientations;
        LeadField lf;
        if (ori == null) {
            lf = LeadField.free(head, m, pos);
        } else {
            double[][] q = ori.equals("radial") ? LeadField.radial(head, pos) : rows(Path.of(ori), "--orientations");
            lf = LeadField.fixed(head, m, pos, q);
        }
        if (avgRef) {
            lf = lf.averageReferenced();
        }
        int ch = lf.channels().length;
        if (ext.equals("npy")) {
            Npy.save(out, new NpyArray(new int[] {ch, lf.sources()}, lf.matrix()), force);
        } else {
            String[] header = new String[lf.sources() + 1];
            header[0] = "channel";
            double[][] cols = new double[lf.sources()][];
            for (int j = 0; j < lf.sources(); j++) {
                header[j + 1] = "source_" + j;
                cols[j] = lf.column(j);
            }
            Csv.write(out, header, lf.channels(), cols, force);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "lead field %d channels (%s) x %d %s in V/(A*m)%s; wrote %s%n", ch, m.name(),
                lf.sources(), ori == null ? "columns (x, y, z per dipole)" : "dipoles",
                avgRef ? ", average-referenced" : "", out);
        o.flush();
        return 0;
    }

    private static double[][] rows(Path file, String option) throws IOException {
        NpyArray a = Npy.load(file);
        if (a.shape().length != 2 || a.shape()[1] != 3) {
            throw new IllegalArgumentException(option + " " + file + ": expected an array [n x 3], got shape "
                    + java.util.Arrays.toString(a.shape()));
        }
        return a.rows();
    }
}
