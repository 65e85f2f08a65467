package org.neuroinfer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The checked-in command reference is the one the program writes from its option definitions: an option added,
 * renamed or re-described without regenerating the page fails here.
 */
class CommandReferenceTest {
    @Test
    void theCheckedInReferenceIsTheProgramsOwn() throws Exception {
        String page = Files.readString(Path.of("../docs/command-reference.md"));
        String now = CommandReference.markdown(Main.commandLine());
        assertEquals(now, page, "docs/command-reference.md is out of date: run ./neuroinfer reference --out "
                + "docs/command-reference.md");
    }

    @Test
    void everyRunnableCommandAndEveryOptionIsInIt() {
        String now = CommandReference.markdown(Main.commandLine());
        for (var c : BadInputSweepTest.commands().entrySet()) {
            if (c.getValue().userObject() instanceof picocli.CommandLine.HelpCommand) {
                continue; // picocli's own
            }
            assertTrue(now.contains("## " + c.getKey() + "\n"), c.getKey());
            for (var o : c.getValue().options()) {
                if (!o.hidden() && !o.usageHelp() && !o.versionHelp()) {
                    assertTrue(now.contains("`" + String.join(", ", o.names())), c.getKey() + " " + o.longestName());
                }
            }
        }
    }
}
