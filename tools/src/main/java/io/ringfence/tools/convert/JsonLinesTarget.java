package io.ringfence.tools.convert;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where converted events go: stdout (never closed), a device or pipe written through, or a file
 * written as a temporary file in the same directory and renamed over the target by {@link #commit()}. Closing without a
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
        if (target == null) { // write errors reported, not swallowed as System.out does (review: exit 0 into a closed pipe)
            return new JsonLinesTarget(null, null, io.ringfence.tools.io.OutputFiles.stdout());
        }
        final Path absolute = target.toAbsolutePath();
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(absolute, LinkOption.NOFOLLOW_LINKS)) {
            // a device, pipe or link (/dev/null, /dev/stdout, >(gzip)): written through, never replaced by a file (review:
            // as root --out /dev/null replaced the device with a regular file)
            return new JsonLinesTarget(null, null, new BufferedOutputStream(Files.newOutputStream(absolute), BUFFER));
        }
        // created as any new file is (the umask's mode), not createTempFile's 0600 (review)
        final Path temp = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        return new JsonLinesTarget(absolute, temp, new BufferedOutputStream(Files.newOutputStream(temp,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), BUFFER));
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
