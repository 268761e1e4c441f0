package io.ringfence.tools.convert;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where converted events go: stdout (never closed), or a file written as a temporary file in
 * the same directory and renamed over the target by {@link #commit()}. Closing without a
 * commit deletes the temporary file, so a failed conversion leaves no partial output.
 */
final class JsonLinesTarget implements AutoCloseable {
    private static final int BUFFER = 1 << 16;

    private final Path target;
    private final Path temp;
    private final OutputStream stream;
    private boolean committed;

    private JsonLinesTarget(final Path target, final Path temp, final OutputStream stream) {
        this.target = target;
        this.temp = temp;
        this.stream = stream;
    }

    /** {@code target == null} means stdout. */
    static JsonLinesTarget open(final Path target) throws IOException {
        if (target == null) {
            final OutputStream stdout = new FilterOutputStream(System.out) {
                @Override
                public void write(final byte[] b, final int off, final int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            return new JsonLinesTarget(null, null, new BufferedOutputStream(stdout, BUFFER));
        }
        final Path absolute = target.toAbsolutePath();
        final Path temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        return new JsonLinesTarget(absolute, temp, new BufferedOutputStream(Files.newOutputStream(temp), BUFFER));
    }

    OutputStream stream() {
        return stream;
    }

    /** Flushes everything and, for a file, moves it into place. */
    void commit() throws IOException {
        stream.close();
        if (temp != null) {
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (final AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                stream.close();
            } finally {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            }
        }
    }
}
