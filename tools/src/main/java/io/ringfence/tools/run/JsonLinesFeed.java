package io.ringfence.tools.run;

import io.ringfence.engine.codec.FutureTimeLimit;
import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.engine.config.InputConfig;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.sbe.RejectCode;
import io.ringfence.tools.cli.Progress;
import io.ringfence.tools.io.LineReader;
import org.agrona.ExpandableArrayBuffer;

import java.io.IOException;
import java.io.InputStream;

/**
 * Feeds a JSON Lines event file into a pipeline, one event per good line (source
 * {@link RunCommand#FILE_SOURCE}, the line number as client sequence); each bad line goes to a
 * {@link BadLine} handler with its number and reason. Used by {@code run}, {@code train} and
 * {@code evaluate}, so all of them read files the same way.
 */
public final class JsonLinesFeed {
    /** What happens to a line that is not a valid event. */
    @FunctionalInterface
    public interface BadLine {
        /** @return false to stop feeding */
        boolean onBadLine(long lineNumber, RejectCode code, String reason);
    }

    /** Counts of one feed. */
    public static final class Counts {
        public long lines;
        public long blank;
        public long accepted;
        public long rejected;
        /** Accepted events whose event time is before that of an accepted event read earlier (the input is not sorted). */
        public long behind;
        /** The most such an event was behind, in microseconds. */
        public long maxBehindMicros;
    }

    private final int maxLineBytes;
    private final int maxEventBytes;
    private final FutureTimeLimit futureLimit;
    /** Set (by a signal) to stop before the next line; never set unless {@link #stopWhen} gave one. */
    private java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();

    /** With the {@code input:} section's limits (line and event size, how far ahead of this clock an event may be). */
    public JsonLinesFeed(final InputConfig input) {
        this.maxLineBytes = input.maxLineBytes;
        this.maxEventBytes = input.maxEventBytes;
        this.futureLimit = input.futureTimeLimit();
    }

    /**
     * Feeds every line of {@code in}.
     *
     * @return true when the whole input was read, false when {@code badLine} stopped it
     */
    /** Stops {@link #feed} before the next line once {@code flag} is set (a command's SIGINT / SIGTERM). */
    public JsonLinesFeed stopWhen(final java.util.concurrent.atomic.AtomicBoolean flag) {
        this.stop = flag;
        return this;
    }

    public boolean feed(final Pipeline pipeline, final InputStream in, final Counts counts, final Progress progress,
                        final BadLine badLine) throws IOException {
        final LineReader lines = new LineReader(in, maxLineBytes);
        final JsonEventParser parser = new JsonEventParser(maxEventBytes);
        final ParseResult result = new ParseResult();
        final ExpandableArrayBuffer event = new ExpandableArrayBuffer(maxEventBytes);
        long latest = Long.MIN_VALUE;
        while (!stop.get() && lines.next()) {
            counts.lines++;
            if ((counts.lines & 0xfff) == 0) {
                progress.stepTo(lines.bytesRead() >> 20);
            }
            final RejectCode code;
            final String reason;
            if (lines.oversize()) {
                code = RejectCode.TOO_LARGE;
                reason = "line is " + lines.oversizeLength() + " bytes, the maximum is " + maxLineBytes;
            } else if (lines.blank()) {
                counts.blank++;
                continue;
            } else {
                final int length = parser.parse(lines.bytes(), 0, lines.length(), lines.lineNumber(), lines.lineNumber(),
                        event, 0, result);
                final long ingestMicros = System.currentTimeMillis() * 1000;
                final String tooFarAhead = length > 0
                        ? futureLimit.check("time", FutureTimeLimit.eventTime(event, 0), ingestMicros) : null;
                if (length > 0 && tooFarAhead == null) {
                    pipeline.publish(ingestMicros, RunCommand.FILE_SOURCE, lines.lineNumber(), event, 0, length);
                    counts.accepted++;
                    final long time = FutureTimeLimit.eventTime(event, 0);
                    if (time < latest) {
                        counts.behind++;
                        counts.maxBehindMicros = Math.max(counts.maxBehindMicros, latest - time);
                    } else {
                        latest = time;
                    }
                    continue;
                }
                code = length > 0 ? RejectCode.TIME_AHEAD : result.code();
                reason = length > 0 ? tooFarAhead : result.reason();
            }
            counts.rejected++;
            if (!badLine.onBadLine(lines.lineNumber(), code, reason)) {
                return false;
            }
        }
        progress.stepTo(lines.bytesRead() >> 20);
        return true;
    }
}
