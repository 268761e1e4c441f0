package io.ringfence.engine.codec;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/** parse(write(event)) re-encodes to the identical SBE bytes, for many seeded random events. */
class JsonRoundTripTest {
    private static final int EVENTS = 20_000;

    private final JsonEventWriter writer = new JsonEventWriter();
    private final JsonEventParser parser = new JsonEventParser();
    private final ParseResult result = new ParseResult();

    @Test
    void shouldReEncodeRandomEventsToIdenticalSbeBytes() throws IOException {
        roundTrip(20240611L, false);
    }

    @Test
    void shouldReEncodeRandomEventsWrittenWithSeqAndIngestTimePrefix() throws IOException {
        roundTrip(77L, true);
    }

    private void roundTrip(final long seed, final boolean prefix) throws IOException {
        final RandomEvents events = new RandomEvents(seed);
        final ExpandableArrayBuffer original = new ExpandableArrayBuffer(1024);
        final ExpandableArrayBuffer reparsed = new ExpandableArrayBuffer(1024);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream again = new ByteArrayOutputStream();
        final int count = prefix ? EVENTS / 4 : EVENTS;
        for (int i = 0; i < count; i++) {
            final int length = events.next(original);
            out.reset();
            if (prefix) {
                writer.write(original, 0, i, 1_323_435_000_000_000L + i, out);
            } else {
                writer.write(original, 0, out);
            }
            final byte[] line = out.toByteArray();
            assertEquals('\n', line[line.length - 1]);
            final int reLength = parser.parse(line, 0, line.length, i, events.clientSeq(), reparsed, 0, result);
            final String text = new String(line, StandardCharsets.UTF_8);
            assertFalse(result.isRejected(), () -> "event " + seed + "/" + " was rejected: " + result + "\n" + text);
            assertEquals(length, reLength, text);
            for (int b = 0; b < length; b++) {
                if (original.getByte(b) != reparsed.getByte(b)) {
                    fail("event " + i + " differs at byte " + b + "\n" + text);
                }
            }
            again.reset();
            if (prefix) {
                writer.write(reparsed, 0, i, 1_323_435_000_000_000L + i, again);
            } else {
                writer.write(reparsed, 0, again);
            }
            assertEquals(text, again.toString(StandardCharsets.UTF_8));
        }
    }
}
