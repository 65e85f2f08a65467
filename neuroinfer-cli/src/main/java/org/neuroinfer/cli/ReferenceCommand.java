package org.neuroinfer.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import org.neuroinfer.io.AtomicFiles;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the command reference as Markdown. */
@Command(name = "reference", mixinStandardHelpOptions = true,
        description = "Print the reference of every command and option as Markdown (docs/command-reference.md).")
final class ReferenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE.md", description = "Write the page to FILE.md (replaced "
            + "atomically) instead of printing it.")
    Path out;

    @Override
    public Integer call() throws IOException {
        String page = CommandReference.markdown(Main.commandLine());
        PrintWriter o = spec.commandLine().getOut();
        if (out == null) {
            o.print(page);
        } else {
            byte[] b = page.getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(out, true, w -> w.write(b));
            o.println("wrote " + out);
        }
        o.flush();
        return 0;
    }
}
