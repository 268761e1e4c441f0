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
    /** A reader on a thread of its own: the common pool may have one thread, busy elsewhere, and a pipe waits for it. */
    private static final java.util.concurrent.Executor OWN_THREAD = task -> {
        final Thread thread = new Thread(task, "fifo-reader");
        thread.setDaemon(true);
        thread.start();
    };

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
        // the reader first: opening a pipe for writing waits for one (and one that goes away fails the writes)
        final java.util.concurrent.CompletableFuture<String> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (final java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, OWN_THREAD);
        try (OutputStream pipe = OutputFiles.openKeeping(fifo.toString())) {
            pipe.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("{\"a\":1}\n", read.get(30, java.util.concurrent.TimeUnit.SECONDS));
    }

    /** Review: opened read-write, the file held a read end of its own pipe, and a pipe whose reader had gone blocked for good. */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void aPipeWhoseReaderWentAwayFailsTheWrite() throws Exception {
        final Path fifo = dir.resolve("gone.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        final java.util.concurrent.CompletableFuture<Void> reader = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                Files.newInputStream(fifo).close(); // like `| head -c 200` once it has had enough
            } catch (final java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, OWN_THREAD);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            try (OutputStream pipe = OutputFiles.openKeeping(fifo.toString())) {
                reader.get();
                final byte[] chunk = new byte[64 * 1024];
                org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> {
                    for (int i = 0; i < 4; i++) { // more than the pipe holds
                        pipe.write(chunk);
                        pipe.flush();
                    }
                });
            } catch (final java.io.IOException closing) {
                // the close flushes nothing new: the buffer was handed over, or failed above
            }
        });
    }

    /** Review: a file the user may write but not read was refused once the file was opened read-write. */
    @Test
    @org.junit.jupiter.api.condition.EnabledOnOs(org.junit.jupiter.api.condition.OS.LINUX)
    void aWriteOnlyFileIsWrittenAnew() throws Exception {
        final Path writeOnly = Files.writeString(dir.resolve("w.jsonl"), "{\"old\":1}\n");
        Files.setPosixFilePermissions(writeOnly, java.nio.file.attribute.PosixFilePermissions.fromString("-w-------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(writeOnly), "root reads every file");
        try (OutputStream out = OutputFiles.openKeeping(writeOnly.toString())) {
            out.write("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.setPosixFilePermissions(writeOnly, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertEquals("{\"a\":1}\n", Files.readString(writeOnly));
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
