package io.ringfence.tools.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineReaderTest {
    private static List<String> lines(final String text, final int max) throws IOException {
        final LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max);
        final List<String> out = new ArrayList<>();
        while (r.next()) {
            out.add(r.lineNumber() + ":" + (r.oversize() ? "OVERSIZE(" + r.oversizeLength() + ")"
                    : new String(r.bytes(), 0, r.length(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** A stream that gives one byte per read, so every line and every line ending spans reads. */
    private static InputStream byteAtATime(final byte[] data) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] : -1;
            }

            @Override
            public int read(final byte[] b, final int off, final int len) {
                if (pos >= data.length) {
                    return -1;
                }
                b[off] = data[pos++];
                return 1;
            }
        };
    }

    @Test
    void shouldSplitOnNewlinesDropCarriageReturnsAndKeepALastLineWithoutNewline() throws IOException {
        assertEquals(List.of("1:a", "2:bb", "3:", "4:last"), lines("a\r\nbb\n\nlast", 100));
    }

    @Test
    void shouldEndALineAtALoneCarriageReturnAsClassicMacFilesDo() throws IOException {
        assertEquals(List.of("1:a", "2:b", "3:c"), lines("a\rb\rc\r", 100));
        assertEquals(List.of("1:a", "2:", "3:b", "4:c", "5:d"), lines("a\r\rb\r\nc\nd", 100));
        assertEquals(List.of("1:", "2:x"), lines("\r\nx\r\n", 100));
        assertEquals(List.of(), lines("", 100));
    }

    @Test
    void shouldTakeACarriageReturnAndItsNewlineAsOneEndingWhenAReadSplitsThem() throws IOException {
        final LineReader r = new LineReader(byteAtATime("one\r\ntwo\r\rthree\r\n".getBytes(StandardCharsets.US_ASCII)), 100);
        final List<String> got = new ArrayList<>();
        while (r.next()) {
            got.add(r.lineNumber() + ":" + new String(r.bytes(), 0, r.length(), StandardCharsets.US_ASCII));
        }
        assertEquals(List.of("1:one", "2:two", "3:", "4:three"), got);
    }

    @Test
    void shouldReportALineOverTheLimitWithoutBufferingItAndGoOn() throws IOException {
        final String big = "x".repeat(200_000);
        assertEquals(List.of("1:ok", "2:OVERSIZE(200000)", "3:after"), lines("ok\n" + big + "\nafter\n", 1000));
    }

    @Test
    void shouldAcceptALineOfExactlyTheLimit() throws IOException {
        assertEquals(List.of("1:" + "y".repeat(64)), lines("y".repeat(64) + "\n", 64));
        assertEquals(List.of("1:OVERSIZE(65)"), lines("y".repeat(65) + "\n", 64));
    }

    @Test
    void shouldReadLinesThatSpanManyReads() throws IOException {
        final InputStream trickle = byteAtATime(("alpha\nbeta\n" + "z".repeat(100_000) + "\n").getBytes(StandardCharsets.US_ASCII));
        final LineReader r = new LineReader(trickle, 200_000);
        assertTrue(r.next());
        assertEquals("alpha", new String(r.bytes(), 0, r.length(), StandardCharsets.US_ASCII));
        assertTrue(r.next());
        assertTrue(r.next());
        assertEquals(100_000, r.length());
        assertFalse(r.next());
    }

    @Test
    void shouldCallOnlyWhitespaceBlank() throws IOException {
        final LineReader r = new LineReader(new ByteArrayInputStream(" \t\n{}\n".getBytes(StandardCharsets.US_ASCII)), 100);
        assertTrue(r.next());
        assertTrue(r.blank());
        assertTrue(r.next());
        assertFalse(r.blank());
    }
}
