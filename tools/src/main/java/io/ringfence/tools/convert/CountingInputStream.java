package io.ringfence.tools.convert;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Counts the bytes read through it and reports the running total (for a progress bar). */
final class CountingInputStream extends FilterInputStream {
    private final LongConsumer onProgress;
    private long count;

    CountingInputStream(final InputStream in, final LongConsumer onProgress) {
        super(in);
        this.onProgress = onProgress;
    }

    @Override
    public int read() throws IOException {
        final int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException {
        final int n = super.read(buffer, offset, length);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    @Override
    public long skip(final long n) throws IOException {
        final long skipped = super.skip(n);
        advance(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    long count() {
        return count;
    }

    private void advance(final long n) {
        count += n;
        if (onProgress != null) {
            onProgress.accept(count);
        }
    }
}
