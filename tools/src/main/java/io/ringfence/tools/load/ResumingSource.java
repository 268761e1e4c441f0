package io.ringfence.tools.load;

/**
 * A source that skips what an interrupted run already had journaled ({@link ResumePoint}): every line before the
 * resume point's, then that many valid events. Bad lines met while skipping are not reported again
 * ({@link #skipping()}: asked by the bad-line callback, which the inner source calls during the same pass).
 */
final class ResumingSource implements LoadSource {
    private final LoadSource inner;
    private final long fromLine;
    private final long journaled;
    private long skipped;
    private boolean skipping;

    ResumingSource(final LoadSource inner, final long fromLine, final long journaled) {
        this.inner = inner;
        this.fromLine = fromLine;
        this.journaled = journaled;
    }

    @Override
    public void emit(final Sink sink) throws Exception {
        skipping = journaled > 0 || fromLine > 1;
        inner.emit((buffer, offset, length, line) -> {
            if (line < fromLine || skipped < journaled) {
                skipped += line < fromLine ? 0 : 1;
                skipping = skipped < journaled || line < fromLine;
                return true;
            }
            skipping = false;
            return sink.onEvent(buffer, offset, length, line);
        });
    }

    /** Whether the source is still in the part already journaled (a bad line there was reported by that run). */
    boolean skipping() {
        return skipping;
    }

    @Override
    public long progress() {
        return inner.progress();
    }

    @Override
    public long progressTotal() {
        return inner.progressTotal();
    }

    @Override
    public String progressUnit() {
        return inner.progressUnit();
    }
}
