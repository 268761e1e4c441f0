package io.ringfence.tools.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answers and pushes files are written on the clients' I/O thread, which a client's close interrupts when it does
 * not stop within 100 ms. A write on an interrupted thread must neither fail nor close the file (review: through a
 * FileChannel it threw ClosedByInterruptException and the answers still buffered were lost at the final flush).
 */
class OutputFilesInterruptTest {
    @TempDir
    Path dir;

    @Test
    void aWriteOnAnInterruptedThreadGoesThroughAndTheFileStaysOpen() throws Exception {
        final Path fresh = dir.resolve("fresh.jsonl");
        final Path appended = Files.writeString(dir.resolve("appended.jsonl"), "{\"earlier\":1}\n");
        final Path kept = Files.writeString(dir.resolve("kept.jsonl"), "{\"old\":1}\n");
        check(OutputFiles.open(fresh.toString(), false), fresh, "");
        check(OutputFiles.open(appended.toString(), true), appended, "{\"earlier\":1}\n");
        check(OutputFiles.openKeeping(kept.toString()), kept, "");
    }

    /** Devices and pipes as --out (/dev/null, a named pipe to another program) are written through, never truncated. */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void devicesAndPipesAreWrittenThrough() throws Exception {
        try (OutputStream devNull = OutputFiles.openKeeping("/dev/null")) {
            devNull.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
        }
        final Path fifo = dir.resolve("answers.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        final OutputStream pipe = OutputFiles.openKeeping(fifo.toString()); // opened read-write: does not wait for a reader
        try (java.io.InputStream reader = Files.newInputStream(fifo)) { // a writer is there: does not wait either
            try (pipe) {
                pipe.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
            }
            assertEquals("{\"a\":1}\n", new String(reader.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void check(final OutputStream out, final Path file, final String before) throws Exception {
        try (out) {
            out.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
            Thread.currentThread().interrupt();
            try {
                out.flush(); // on the interrupted thread
                out.write("{\"b\":2}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt is left to its owner");
            }
            out.write("{\"c\":3}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(before + "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n", Files.readString(file), file.toString());
    }
}
