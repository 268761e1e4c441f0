package io.ringfence.tools.load;

import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.sbe.RejectCode;
import io.ringfence.tools.io.LineReader;
import org.agrona.ExpandableArrayBuffer;

import java.io.InputStream;

/**
 * {@code --input FILE.jsonl}: each line parsed into SBE by the engine's {@link JsonEventParser}, as
 * {@code run} does. A bad line (unparsable, a missing or bad field, longer than the limit) goes to
 * the {@link BadLines} callback with its number and reason and is skipped; blank lines are skipped.
 */
final class JsonLinesSource implements LoadSource {
    /** Receives each bad line. */
    @FunctionalInterface
    interface BadLines {
        void onBadLine(long line, RejectCode code, String reason);
    }

    private final LineReader lines;
    private final int maxLineBytes;
    private final JsonEventParser parser;
    private final ParseResult result = new ParseResult();
    private final ExpandableArrayBuffer event;
    private final BadLines badLines;
    private final long totalMiB;

    JsonLinesSource(final InputStream in, final long sizeBytes, final int maxLineBytes, final int maxEventBytes,
                    final BadLines badLines) {
        this.lines = new LineReader(in, maxLineBytes);
        this.maxLineBytes = maxLineBytes;
        this.parser = new JsonEventParser(maxEventBytes);
        this.event = new ExpandableArrayBuffer(maxEventBytes);
        this.badLines = badLines;
        this.totalMiB = sizeBytes < 0 ? -1 : Math.max(1, sizeBytes >> 20);
    }

    @Override
    public void emit(final Sink sink) throws Exception {
        while (lines.next()) {
            final long number = lines.lineNumber();
            if (lines.oversize()) {
                badLines.onBadLine(number, RejectCode.TOO_LARGE,
                    "line is " + lines.oversizeLength() + " bytes, the maximum is " + maxLineBytes);
                continue;
            }
            if (lines.blank()) {
                continue;
            }
            // the client writes its own clientSeq into the message; the line number only labels a reject
            final int length = parser.parse(lines.bytes(), 0, lines.length(), number, 0, event, 0, result);
            if (length <= 0) {
                badLines.onBadLine(number, result.code(), result.reason());
                continue;
            }
            if (!sink.onEvent(event, 0, length, number)) {
                return;
            }
        }
    }

    @Override
    public long progress() {
        return lines.bytesRead() >> 20;
    }

    @Override
    public long progressTotal() {
        return totalMiB;
    }

    @Override
    public String progressUnit() {
        return "MiB";
    }
}
