package io.ringfence.tools.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * An output file whose old content is kept until the command has got far enough to write it anew ({@link #begin},
 * or its first write): opened (created if missing, so an unwritable path fails at once) without truncating, so a
 * command that cannot connect leaves a previous run's file as it was (trial: {@code load --out} and
 * {@code subscribe --out} emptied it first).
 */
public final class KeptUntilBegun extends OutputStream {
    /** Written through, never through its channel: a channel closes for good on an interrupt (see {@link OutputFiles}). */
    private final RandomAccessFile file;
    private final OutputStream out;
    private boolean begun;

    KeptUntilBegun(final Path path) throws IOException {
        this.file = new RandomAccessFile(path.toFile(), "rw");
        this.out = new java.io.BufferedOutputStream(new OutputStream() {
            @Override
            public void write(final int b) throws IOException {
                file.write(b);
            }

            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException {
                file.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        }, 1 << 16);
    }

    /** The command writes from now on: the old content goes. */
    public void begin() throws IOException {
        if (!begun) {
            begun = true;
            if (file.length() > 0) { // a regular file's old content; a pipe or device (/dev/null, /dev/stdout) has none
                file.setLength(0); // the write position is still 0: nothing was written before
            }
        }
    }

    @Override
    public void write(final int b) throws IOException {
        begin();
        out.write(b);
    }

    @Override
    public void write(final byte[] b, final int off, final int len) throws IOException {
        begin();
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
