package io.ringfence.tools.generate;

import io.ringfence.tools.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Review: generate stopped by a signal left NAME.partial behind without a word; it now says where the part went. */
class GenerateSignalTest {
    @TempDir
    Path dir;

    @Test
    void saysWhereThePartWentWhenSignalled() throws Exception {
        final Path out = dir.resolve("shop.jsonl");
        final Path partial = dir.resolve("shop.jsonl.partial");
        final Path err = dir.resolve("gen.err");
        final Process generate = new ProcessBuilder(ChildJvm.command("256m", "generate", "--events", "50000000", "--out",
                out.toString())).redirectOutput(dir.resolve("gen.out").toFile()).redirectError(err.toFile()).start();
        try {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((!Files.exists(partial) || Files.size(partial) < 1_000_000) && System.nanoTime() < deadline && generate.isAlive()) {
                Thread.sleep(50);
            }
            assertTrue(generate.isAlive(), "still writing when signalled: " + Files.readString(err));
            ChildJvm.signal("TERM", generate);
            assertTrue(generate.waitFor(30, TimeUnit.SECONDS));
            final String errors = Files.readString(err);
            assertEquals(143, generate.exitValue(), errors);
            assertTrue(errors.contains("stopped by a signal: what was written is in " + partial), errors);
            assertFalse(Files.exists(out), "no whole file was claimed");
        } finally {
            generate.destroyForcibly();
        }
    }
}
