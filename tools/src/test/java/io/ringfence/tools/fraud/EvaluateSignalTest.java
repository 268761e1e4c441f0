package io.ringfence.tools.fraud;

import io.ringfence.tools.ChildJvm;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review: evaluate (and train) stopped by a signal left NAME.partial and the scratch journal in the temporary directory
 * behind without a word; they now say nothing was evaluated and take both with them.
 */
class EvaluateSignalTest {
    @TempDir
    Path dir;

    @Test
    void saysItEvaluatedNothingAndLeavesNeitherScratchJournalNorPartialOutput() throws Exception {
        final Path input = dir.resolve("shop.jsonl");
        assertEquals(0, CommandRun.ringfence("generate", "--events", "400000", "--seed", "3", "--out", input.toString()).exitCode());
        final Path tmp = Files.createDirectories(dir.resolve("tmp"));
        final Path out = dir.resolve("outputs.jsonl");
        final Path partial = dir.resolve("outputs.jsonl.partial");
        final Path err = dir.resolve("evaluate.err");
        final List<String> command = new java.util.ArrayList<>(ChildJvm.command("512m", "evaluate", "--input", input.toString(),
                "--out", out.toString()));
        command.add(1, "-Djava.io.tmpdir=" + tmp);
        final Process evaluate = new ProcessBuilder(command).redirectOutput(dir.resolve("evaluate.out").toFile())
                .redirectError(err.toFile()).start();
        try {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((!Files.exists(partial) || Files.size(partial) < 100_000 || scratch(tmp) == 0) && System.nanoTime() < deadline
                    && evaluate.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(evaluate.isAlive(), "still evaluating when signalled: " + Files.readString(err));
            assertEquals(1, scratch(tmp), "its scratch journal is there while it runs");
            ChildJvm.signal("TERM", evaluate);
            assertTrue(evaluate.waitFor(30, TimeUnit.SECONDS));
            final String errors = Files.readString(err);
            assertEquals(143, evaluate.exitValue(), errors);
            assertTrue(errors.contains("ringfence evaluate: stopped by a signal before the end of the input: nothing evaluated,"
                    + " --out is as it was before"), errors);
            assertFalse(Files.exists(partial), "the partial output went with it");
            assertFalse(Files.exists(out));
            assertEquals(0, scratch(tmp), "the scratch journal went with it");
        } finally {
            evaluate.destroyForcibly();
        }
    }

    private static long scratch(final Path tmp) throws java.io.IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("ringfence-evaluate-")).count();
        }
    }
}
