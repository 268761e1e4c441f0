package io.ringfence.tools.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a command's output: {@code -} is stdout (never closed), anything else a file whose parent directories are created. */
public final class OutputFiles {
    private OutputFiles() {
    }

    public static OutputStream open(final String name) throws IOException {
        return open(name, false);
    }

    /**
     * As {@link #open(String)}, but a file's old content is kept until {@link KeptUntilBegun#begin} or the first write
     * (for commands that may fail to connect first); stdout as {@link #open(String)}, wrapped.
     */
    public static OutputStream openKeeping(final String name) throws IOException {
        if ("-".equals(name)) {
            return open(name);
        }
        final Path path = Path.of(name);
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new KeptUntilBegun(path);
    }

    /** Lets a {@link #openKeeping} file's old content go; nothing for any other stream. */
    public static void begin(final OutputStream out) throws IOException {
        if (out instanceof KeptUntilBegun kept) {
            kept.begin();
        }
    }

    /** As {@link #open(String)}; with {@code append} a file's content is kept and written after. */
    public static OutputStream open(final String name, final boolean append) throws IOException {
        if ("-".equals(name)) {
            return new FilterOutputStream(new BufferedOutputStream(System.out, 1 << 16)) {
                @Override
                public void write(final byte[] b, final int off, final int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        final Path path = Path.of(name);
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new BufferedOutputStream(append
            ? Files.newOutputStream(path, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)
            : Files.newOutputStream(path), 1 << 16);
    }
}
