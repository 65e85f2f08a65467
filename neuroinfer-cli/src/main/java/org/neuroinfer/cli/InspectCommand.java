package org.neuroinfer.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.neuroinfer.dataset.DatasetInspector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Validates a data set and prints its summary. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Validate a data set (checksums, shapes, completeness) and summarise it per noise condition.",
                "",
                "Exit codes: 0 complete and every checksum verified; 3 incomplete (run the same generate command "
                        + "again to finish it); 4 corrupt (a shard missing, changed or of the wrong shape); 2 not a "
                        + "data set or a damaged manifest."})
final class InspectCommand implements Callable<Integer> {
    /** Exit code of a data set that is not finished yet. */
    static final int INCOMPLETE = 3;
    /** Exit code of a data set with a missing, changed or misshapen shard. */
    static final int CORRUPT = 4;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Data-set folder.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        DatasetInspector.Inspection found;
        try {
            found = DatasetInspector.inspection(dir);
        } catch (DatasetInspector.CorruptShardException e) {
            spec.commandLine().getErr().println("neuroinfer: corrupt data set: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return CORRUPT;
        }
        spec.commandLine().getOut().print(found.text());
        spec.commandLine().getOut().flush();
        return found.complete() ? 0 : INCOMPLETE;
    }
}
