package io.ringfence.tools.convert;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * New-user trial (2026-12-06): in a fresh clone without {@code ../shared/data} beside it, {@code convert} without
 * {@code --input} named the same directory twice and not the way out.
 */
class ConvertDefaultInputTest {

    @Test
    void aMissingDefaultInputSaysWhereItLookedOnceAndToGiveInput(@TempDir final Path dir) {
        final Path here = Path.of("").toAbsolutePath();
        Assumptions.assumeFalse(Files.exists(here.resolve("../shared/data")) || Files.exists(here.resolve("shared/data")),
                "the shared data sets sit beside this checkout: the default input is found");
        final String saved = System.getProperty("ringfence.home");
        try {
            System.setProperty("ringfence.home", here.toString()); // the launcher run from its own checkout
            final CommandRun same = CommandRun.ringfence("convert", "--format", "paysim", "--out", dir.resolve("p.jsonl").toString());
            assertEquals(2, same.exitCode(), same.err());
            assertTrue(same.err().contains("no --input given and the default input was not found at ../shared/"), same.err());
            assertTrue(same.err().contains("(relative to " + here + "): give the file with --input PATH"), same.err());
            assertFalse(same.err().contains(" and to "), "the one directory named once: " + same.err());

            System.setProperty("ringfence.home", dir.toString()); // the launcher's checkout elsewhere: both are named
            final CommandRun elsewhere = CommandRun.ringfence("convert", "--format", "paysim", "--out", dir.resolve("p.jsonl").toString());
            assertEquals(2, elsewhere.exitCode(), elsewhere.err());
            assertTrue(elsewhere.err().contains("(relative to " + here + " and to " + dir + "): give the file with --input PATH"),
                    elsewhere.err());
            assertFalse(Files.exists(dir.resolve("p.jsonl")), "nothing written");
        } finally {
            if (saved == null) {
                System.clearProperty("ringfence.home");
            } else {
                System.setProperty("ringfence.home", saved);
            }
        }
    }
}
