package io.ringfence.engine.fraud;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** {@link FraudIds}: bytes before the first NUL only, every length, string and buffer forms agree. */
class FraudIdsTest {
    private static long inField(final String id, final int width, final byte garbage) {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[64]);
        b.setMemory(0, 64, garbage);
        final byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        b.putBytes(3, bytes);
        if (bytes.length < width) {
            b.putByte(3 + bytes.length, (byte) 0);
        }
        return FraudIds.hash(b, 3, width);
    }

    @Test
    void shouldHashOnlyTheBytesBeforeTheFirstNul() {
        final Set<Long> seen = new HashSet<>();
        final StringBuilder id = new StringBuilder();
        for (int len = 1; len <= 36; len++) {
            id.append((char) ('a' + len % 26));
            final String s = id.toString();
            final long h = FraudIds.hash(s);
            assertEquals(h, inField(s, 36, (byte) 0), "NUL padded, length " + len);
            assertEquals(h, inField(s, 36, (byte) 'x'), "garbage after the NUL, length " + len);
            assertEquals(h, inField(s, 46, (byte) 0), "wider field, length " + len);
            seen.add(h);
        }
        assertEquals(36, seen.size(), "prefixes differ");
        assertEquals(FraudIds.ABSENT, inField("", 36, (byte) 0));
        assertNotEquals(FraudIds.hash("u-1"), FraudIds.hash("u-2"));
        assertNotEquals(FraudIds.hash("10.0.0.1"), FraudIds.hash("10.0.0.10"));
    }
}
