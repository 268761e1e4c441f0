package io.ringfence.tools.io;

import io.ringfence.tools.CommandRun;
import io.ringfence.tools.RingfenceMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of the tools' file handling: a failing stdout was reported as success, an output could replace a file the
 * command reads (the journal, its recorded configuration, --config), a failed run emptied the old output, a directory
 * as input said "Is a directory" naming nothing, and convert replaced a link (as root, even /dev/null) by a file.
 */
class OutputSafetyTest {
    private static final String EVENT = "{\"type\":\"activity\",\"time\":\"2026-01-05T00:00:0%dZ\",\"userId\":\"u1\",\"kind\":\"VIEW\",\"sku\":\"s\"}";

    @TempDir
    Path dir;

    /** Runs a command whose stdout fails after {@code limit} bytes, as a closed pipe or a full disk does. */
    private static CommandRun withFailingStdout(final int limit, final String... args) {
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final OutputStream failing = new OutputStream() {
            private int written;

            @Override
            public void write(final int b) throws IOException {
                if (++written > limit) {
                    throw new IOException("Broken pipe");
                }
            }
        };
        try {
            System.setOut(new PrintStream(failing, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            final int exit = RingfenceMain.execute(args);
            return new CommandRun(exit, "", err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void aStdoutThatFailsIsAFailureNotASuccess() {
        final CommandRun generate = withFailingStdout(100_000, "generate", "--events", "20000", "--out", "-");
        assertEquals(RingfenceMain.EXIT_FAILURE, generate.exitCode(), generate.err());
        assertTrue(generate.err().contains("standard output could not be written"), generate.err());
        assertFalse(generate.err().contains("20,000 events"), "no success summary: " + generate.err());
    }

    @Test
    void aRunStoppedByStrictKeepsTheOldOutput() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of(String.format(EVENT, 1), String.format(EVENT, 2), "{\"type\":\"order\"}"));
        final Path out = dir.resolve("out.jsonl");
        Files.writeString(out, "OLD\n");
        final CommandRun run = CommandRun.ringfence("run", "--strict", "--input", input.toString(), "--data",
                dir.resolve("d").toString(), "--out", out.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("OLD\n", Files.readString(out), "the old output stays until a run is through");
        assertTrue(run.err().contains(out + " was left as it was"), "says so: " + run.err());
    }

    @Test
    void anOutputIsNeverAFileTheCommandReads() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of(String.format(EVENT, 1), String.format(EVENT, 2)));
        final Path data = dir.resolve("d");
        assertEquals(0, CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(), "--out",
                dir.resolve("o.jsonl").toString()).exitCode());
        final Path config = data.resolve("ringfence-config.yaml");
        final Path recorded = Files.exists(config) ? config : Files.list(data).filter(p -> p.toString().endsWith(".yaml"))
                .findFirst().orElseThrow();
        final byte[] before = Files.readAllBytes(recorded);
        final CommandRun replay = CommandRun.ringfence("replay", "--data", data.toString(), "--out", recorded.toString());
        assertEquals(2, replay.exitCode(), replay.err());
        assertTrue(replay.err().contains("is inside --data"), replay.err());
        final Path cq4 = Files.list(data).filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        final CommandRun journal = CommandRun.ringfence("journal", "--data", data.toString(), "--out", cq4.toString());
        assertEquals(2, journal.exitCode(), journal.err());
        assertEquals(new String(before), new String(Files.readAllBytes(recorded)), "the recorded configuration is untouched");
        assertEquals(0, CommandRun.ringfence("journal", "--data", data.toString(), "--out", dir.resolve("j.jsonl").toString())
                .exitCode(), "the journal still reads");

        final Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "fraud:\n  enabled: true\n");
        final CommandRun run = CommandRun.ringfence("run", "--config", yaml.toString(), "--input", input.toString(), "--data",
                dir.resolve("d2").toString(), "--out", yaml.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("is the file --config reads"), run.err());
        assertEquals("fraud:\n  enabled: true\n", Files.readString(yaml));
    }

    /** Review: on a full disk the last flush failed again in close, so the "what was written is in F.partial" line never came. */
    @Test
    void aFullDiskSaysWhichFileAndLeavesNoPartialBehind() throws Exception {
        final Path input = dir.resolve("in.jsonl");
        Files.write(input, List.of(String.format(EVENT, 1), String.format(EVENT, 2)));
        final Path data = dir.resolve("d");
        assertEquals(0, CommandRun.ringfence("run", "--input", input.toString(), "--data", data.toString(), "--out",
                dir.resolve("o.jsonl").toString()).exitCode());
        final Path out = dir.resolve("dump.jsonl");
        final Path partial = Files.createSymbolicLink(dir.resolve("dump.jsonl.partial"), Path.of("/dev/full")); // writes: ENOSPC
        final CommandRun journal = CommandRun.ringfence("journal", "--data", data.toString(), "--out", out.toString());
        assertEquals(RingfenceMain.EXIT_FAILURE, journal.exitCode(), journal.err());
        assertTrue(journal.err().contains("could not write " + partial) && journal.err().contains("no " + out + " was written"),
                journal.err());
        assertFalse(Files.exists(partial, java.nio.file.LinkOption.NOFOLLOW_LINKS), "nothing left behind");
    }

    /** Review: an input named NAME.partial (what a run cut short leaves) was emptied by a run writing --out NAME. */
    @Test
    void anInputThatIsTheOutputsPartialFileIsRefused() throws Exception {
        final Path partial = dir.resolve("ev.jsonl.partial");
        Files.write(partial, List.of(String.format(EVENT, 1), String.format(EVENT, 2)));
        final byte[] before = Files.readAllBytes(partial);
        final CommandRun run = CommandRun.ringfence("run", "--input", partial.toString(), "--data", dir.resolve("d").toString(),
                "--out", dir.resolve("ev.jsonl").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("is first written as " + partial), run.err());
        assertEquals(new String(before), new String(Files.readAllBytes(partial)), "the input is untouched");
    }

    /** Review: under cron (stdin /dev/null) an output to /dev/null was refused as "the file --input (stdin) reads". */
    @Test
    void aDeviceOnStdinIsNoFileAnOutputCouldDestroy() throws Exception {
        final Process run = new ProcessBuilder(io.ringfence.tools.ChildJvm.command("256m", "run", "--input", "-", "--data",
                dir.resolve("d").toString(), "--out", "/dev/null"))
                .redirectInput(new java.io.File("/dev/null")).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile())
                .start();
        assertTrue(run.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, run.exitValue(), Files.readString(dir.resolve("run.log")));
    }

    /** Review: an output that fails mid-run ended run with ~50 lines of stack traces naming neither the file nor the cause. */
    @Test
    void aRunWhoseOutputFailsSaysSoInOneLineAndWhatWasJournaled() throws Exception {
        final Path input = dir.resolve("shop.jsonl");
        assertEquals(0, CommandRun.ringfence("generate", "--events", "20000", "--out", input.toString()).exitCode());
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("d").toString(),
                "--out", "/dev/full");
        assertEquals(RingfenceMain.EXIT_FAILURE, run.exitCode(), run.err());
        assertTrue(run.err().contains("could not write --out /dev/full (") && run.err().contains("are journaled in"), run.err());
        assertFalse(run.err().contains("Exception"), "no stack trace: " + run.err());
        assertEquals(1, run.err().split("ringfence run:", -1).length - 1, "said once: " + run.err());

        assertEquals(0, CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("whole").toString(),
                "--out", dir.resolve("whole.jsonl").toString()).exitCode());
        final CommandRun replay = CommandRun.ringfence("replay", "--data", dir.resolve("whole").toString(), "--out", "/dev/full");
        assertEquals(RingfenceMain.EXIT_FAILURE, replay.exitCode(), replay.err());
        assertTrue(replay.err().contains("could not write --out /dev/full ("), replay.err());
        assertFalse(replay.err().contains("Exception"), "no stack trace: " + replay.err());
        assertEquals(1, replay.err().split("ringfence replay:", -1).length - 1, "said once: " + replay.err());

        // the what-if too (review: replay --diff into a full disk or a closed pipe still ended with stack traces)
        final CommandRun diff = CommandRun.ringfence("replay", "--data", dir.resolve("whole").toString(), "--config",
                "../examples/stricter.yaml", "--diff", "--out", "/dev/full");
        assertEquals(RingfenceMain.EXIT_FAILURE, diff.exitCode(), diff.err());
        assertTrue(diff.err().contains("ringfence replay --diff: could not write --out /dev/full ("), diff.err());
        assertFalse(diff.err().contains("Exception"), "no stack trace: " + diff.err());
        assertEquals(1, diff.err().split("could not write", -1).length - 1, "said once: " + diff.err());
    }

    /** Analyst trial: a directory as --out said "Is a directory" with exit 1 and a debug-flag hint. */
    @Test
    void aDirectoryAsOutputIsNamedAndRefused() throws Exception {
        final Path input = dir.resolve("shop.jsonl");
        assertEquals(0, CommandRun.ringfence("generate", "--events", "100", "--out", input.toString()).exitCode());
        final Path folder = Files.createDirectories(dir.resolve("reports"));
        final CommandRun generate = CommandRun.ringfence("generate", "--events", "10", "--out", folder.toString());
        assertEquals(RingfenceMain.EXIT_USAGE, generate.exitCode(), generate.err());
        assertTrue(generate.err().contains("the output " + folder + " is a directory"), generate.err());
        assertFalse(generate.err().contains("debug"), generate.err());
        assertEquals(0, CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("d").toString(), "--out",
                dir.resolve("o.jsonl").toString()).exitCode());
        final CommandRun replay = CommandRun.ringfence("replay", "--data", dir.resolve("d").toString(), "--out", folder.toString());
        assertEquals(RingfenceMain.EXIT_USAGE, replay.exitCode(), replay.err());
        assertTrue(replay.err().contains("the output " + folder + " is a directory"), replay.err());
        // new-user trial: load and subscribe said "Is a directory" with exit 1 (refused before any connection: no server here)
        for (final String[] command : new String[][] {
            {"load", "--port", "7499", "--client", "c", "--secret", "0123456789abcdef", "--generate", "10", "--out", folder.toString()},
            {"load", "--port", "7499", "--client", "c", "--secret", "0123456789abcdef", "--input", input.toString(), "--out",
                folder.toString(), "--resume"},
            {"subscribe", "--port", "7499", "--client", "w", "--secret", "0123456789abcdef", "--out", folder.toString()},
            {"subscribe", "--port", "7499", "--client", "w", "--secret", "0123456789abcdef", "--out", folder.toString(), "--resume"},
            // review: demo found it at the first decision, train after its whole run
            {"demo", "--events", "100", "--decisions", folder.toString()},
            {"train", "--input", input.toString(), "--out", folder.toString()}}) {
            final CommandRun refused = CommandRun.ringfence(command);
            assertEquals(RingfenceMain.EXIT_USAGE, refused.exitCode(), String.join(" ", command) + ": " + refused.err());
            assertEquals("ringfence " + command[0] + ": the output " + folder + " is a directory: name a file (in it, say)\n",
                refused.err(), String.join(" ", command));
        }
    }

    @Test
    void aDirectoryAsInputIsNamedAndRefused() throws Exception {
        final Path folder = Files.createDirectory(dir.resolve("folder"));
        final CommandRun run = CommandRun.ringfence("run", "--input", folder.toString(), "--data", dir.resolve("d").toString(),
                "--out", dir.resolve("o.jsonl").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--input " + folder + " is a directory, not a file"), run.err());
        assertFalse(Files.exists(dir.resolve("d")), "nothing created in --data");
    }

    @Test
    void convertWritesThroughALinkInsteadOfReplacingIt() throws Exception {
        final Path csv = dir.resolve("paysim.csv");
        Files.write(csv, List.of("step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud,isFlaggedFraud",
                "1,PAYMENT,9839.64,C1231006815,170136.0,160296.36,M1979787155,0.0,0.0,0,0"));
        final Path target = Files.writeString(dir.resolve("target.jsonl"), "");
        final Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), target);
        final CommandRun run = CommandRun.ringfence("convert", "--format", "paysim", "--input", csv.toString(), "--out", link.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertTrue(Files.readString(target).contains("C1231006815"), "written through it");
    }
}
