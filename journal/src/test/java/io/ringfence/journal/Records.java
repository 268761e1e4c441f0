package io.ringfence.journal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Deterministic test records and a handler that captures what a reader delivers. */
final class Records {
    static final int SOURCE_OFFSET = 7; // payloads are appended from a non-zero offset in the source buffer

    private Records() {
    }

    static byte[] payload(long sequence) {
        int length = (int) ((sequence * 37) % 200);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (sequence * 31 + i);
        }
        return bytes;
    }

    static long ingestTime(long sequence) {
        return 1_700_000_000_000_000L + sequence * 1_000;
    }

    static long sourceId(long sequence) {
        return sequence % 3 == 0 ? -sequence : sequence * 11;
    }

    static long clientSeq(long sequence) {
        return Long.MAX_VALUE - sequence;
    }

    static void append(JournalAppender appender, long sequence) {
        byte[] payload = payload(sequence);
        UnsafeBuffer source = new UnsafeBuffer(new byte[SOURCE_OFFSET + payload.length + 3]);
        source.putBytes(SOURCE_OFFSET, payload);
        appender.append(sequence, ingestTime(sequence), sourceId(sequence), clientSeq(sequence),
                source, SOURCE_OFFSET, payload.length);
    }

    /** Sequences 1..5, 6..12 and 13..16, a second of {@code clock} apart: three cycle files of a TEST_SECONDLY journal. */
    static void appendInThreeCycles(final JournalAppender appender, final net.openhft.chronicle.core.time.SetTimeProvider clock) {
        appendRange(appender, 1, 5);
        clock.advanceMillis(1_000);
        appendRange(appender, 6, 12);
        clock.advanceMillis(1_000);
        appendRange(appender, 13, 16);
    }

    static void appendRange(JournalAppender appender, long from, long toInclusive) {
        for (long s = from; s <= toInclusive; s++) {
            append(appender, s);
        }
    }

    /** One delivered record, copied out of the reader's buffer. */
    record Delivered(long sequence, long ingestTimeMicros, long sourceId, long clientSeq, byte[] payload) {
        void assertMatchesGenerated() {
            org.junit.jupiter.api.Assertions.assertEquals(ingestTime(sequence), ingestTimeMicros, "ingest time of " + sequence);
            org.junit.jupiter.api.Assertions.assertEquals(Records.sourceId(sequence), sourceId, "source id of " + sequence);
            org.junit.jupiter.api.Assertions.assertEquals(Records.clientSeq(sequence), clientSeq, "client seq of " + sequence);
            org.junit.jupiter.api.Assertions.assertArrayEquals(Records.payload(sequence), payload, "payload of " + sequence);
        }
    }

    static final class Capture implements JournalRecordHandler {
        final List<Delivered> records = new ArrayList<>();

        @Override
        public void onRecord(long sequence, long ingestTimeMicros, long sourceId, long clientSeq,
                             DirectBuffer payload, int offset, int length) {
            byte[] copy = new byte[length];
            payload.getBytes(offset, copy);
            records.add(new Delivered(sequence, ingestTimeMicros, sourceId, clientSeq, copy));
        }

        Delivered last() {
            return records.get(records.size() - 1);
        }

        long[] sequences() {
            return records.stream().mapToLong(Delivered::sequence).toArray();
        }

        @Override
        public String toString() {
            return Arrays.toString(sequences());
        }
    }

    static Capture readAll(JournalReader reader) {
        Capture capture = new Capture();
        while (reader.next(capture)) {
            // drain
        }
        return capture;
    }
}
