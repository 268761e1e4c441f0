package io.ringfence.tools.convert;

import java.util.function.Consumer;

/**
 * The rows a converter skips: every one is counted, the first {@link #MAX_REPORTED} are reported
 * one by one as {@code file:line: reason} (then one line saying the rest are only counted), so a
 * badly damaged file cannot flood stderr.
 */
final class BadRows {
    /** At most this many bad rows are reported one by one; all are counted. */
    static final int MAX_REPORTED = 100;

    private final String source;
    private final Consumer<String> sink;
    private long count;

    /**
     * @param source the file name, for the line that says the rest are only counted
     * @param sink   where reports go (the command's stderr)
     */
    BadRows(final String source, final Consumer<String> sink) {
        this.source = source;
        this.sink = sink;
    }

    /** Counts the row {@code e} is about and reports it while under the limit. */
    void skip(final BadInputException e) {
        count++;
        if (count <= MAX_REPORTED) {
            sink.accept(e.getMessage());
        } else if (count == MAX_REPORTED + 1) {
            sink.accept(source + ": more bad rows; only the first " + MAX_REPORTED + " are reported, all are counted");
        }
    }

    /** Rows skipped so far. */
    long count() {
        return count;
    }
}
