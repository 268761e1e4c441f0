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
