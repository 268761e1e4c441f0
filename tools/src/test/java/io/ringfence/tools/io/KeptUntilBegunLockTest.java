package io.ringfence.tools.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dropping a kept file's old content keeps this process's lock on the file ({@code subscribe} locks its --out so that a
 * second one cannot write it): POSIX locks go when any descriptor of the file is closed, and the truncation opened and
 * closed one of its own (review of 2026-12-07). Another process tries the lock.
 */
class KeptUntilBegunLockTest {
    @TempDir
    Path dir;

    @Test
    void anotherProcessCannotLockTheFileAfterItsOldContentWasDropped() throws Exception {
        final Path file = dir.resolve("pushes.jsonl");
        Files.writeString(file, "an earlier run's pushes\n");
        try (FileChannel locked = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertTrue(locked.tryLock() != null);
            try (OutputStream out = OutputFiles.openKeeping(file.toString())) {
                OutputFiles.begin(out);
                out.write("{\"type\":\"orderStatusPush\"}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertEquals(27, Files.size(file), "the old content went, the new is written");
                assertEquals("held", otherProcessTriesTheLock(file)); // before reading it here: that would let the lock go too
            }
        }
        assertEquals("{\"type\":\"orderStatusPush\"}\n", Files.readString(file));
    }

    private String otherProcessTriesTheLock(final Path file) throws Exception {
        final Path source = dir.resolve("TryLock.java");
        Files.writeString(source, "import java.nio.channels.FileChannel; import java.nio.file.*;\n"
            + "public class TryLock { public static void main(String[] a) throws Exception {\n"
            + "  try (FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {\n"
            + "    System.out.print(c.tryLock() == null ? \"held\" : \"free\"); } } }\n");
        final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            source.toString(), file.toString()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the other process ended");
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }
}
