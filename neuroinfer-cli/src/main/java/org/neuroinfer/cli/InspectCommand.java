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
        description = "Validate a data set (checksums, shapes, completeness) and summarise it per noise condition.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Data-set folder.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        spec.commandLine().getOut().print(DatasetInspector.inspect(dir));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
