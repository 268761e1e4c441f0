package io.ringfence.tools.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An output file whose old content is kept until the command has got far enough to write it anew ({@link #begin},
 * or its first write): opened (created if missing, so an unwritable path fails at once) without truncating, so a
 * command that cannot connect leaves a previous run's file as it was (trial: {@code load --out} and
 * {@code subscribe --out} emptied it first).
 */
public final class KeptUntilBegun extends OutputStream {
    private final FileChannel channel;
    private final OutputStream out;
    private boolean begun;

    KeptUntilBegun(final Path path) throws IOException {
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }

    /** The command writes from now on: the old content goes. */
    public void begin() throws IOException {
        if (!begun) {
            begun = true;
            channel.truncate(0);
            channel.position(0);
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
