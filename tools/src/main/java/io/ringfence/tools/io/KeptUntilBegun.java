package io.ringfence.tools.io;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An output file whose old content is kept until the command has got far enough to write it anew ({@link #begin},
 * or its first write): opened (created if missing, so an unwritable path fails at once) without truncating, so a
 * command that cannot connect leaves a previous run's file as it was (trial: {@code load --out} and
 * {@code subscribe --out} emptied it first).
 *
 * <p>Opened write-only and appending, as a stream, never as a channel: a channel closes for good when the thread writing
 * it is interrupted (the clients' I/O thread, at a close; see {@link OutputFiles}); read-write access failed on a file
 * the user may write but not read, and held a read end of a pipe, so a pipe whose reader had gone never failed a write.
 *
 * <p>Thread-safe: {@code subscribe} begins it on its main thread after the logon while the client's I/O thread may
 * already write the first pushes; unsynchronised, both could see it not begun and the main thread's truncation erase
 * pushes already written (client review of 2026-12-06: 3 in 300 overlapped trials).
 */
public final class KeptUntilBegun extends OutputStream {
    private final Path path;
    private final FileOutputStream file;
    private final OutputStream out;
    private boolean begun;

    KeptUntilBegun(final Path path) throws IOException {
        this.path = path;
        this.file = new FileOutputStream(path.toFile(), true);
        this.out = new java.io.BufferedOutputStream(file, 1 << 16);
    }

    /** The command writes from now on: the old content goes. */
    public synchronized void begin() throws IOException {
        if (!begun) {
            begun = true;
            if (Files.isRegularFile(path) && Files.size(path) > 0) { // a pipe or device (/dev/null) has nothing to drop
                // truncated through this stream's own descriptor, so the appending stream writes from 0: opening and closing
                // another descriptor of the file let go of the process's lock on it (POSIX locks; review: a second
                // subscribe could then write the file of the first)
                file.getChannel().truncate(0);
            }
        }
    }

    @Override
    public synchronized void write(final int b) throws IOException {
        begin();
        out.write(b);
    }

    @Override
    public synchronized void write(final byte[] b, final int off, final int len) throws IOException {
        begin();
        out.write(b, off, len);
    }

    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
