package io.ringfence.engine.codec;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The id field check agrees with the JDK's strict UTF-8 decoder and the parser's control-character rule. */
class PaddedTextTest {
    private static final int ID = 36;
    private static final String[] PIECES = {"a", "Z", " ", "~", "é", "€", "😀", "日本", "\u2028", "\u00a0"};
    private static final String[] CONTROLS = {"\t", "\u0085", "\u007f", "\u001b"};
    private static final int RUNS = 200_000;

    private final PaddedText text = new PaddedText();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ID]);

    @Test
    void shouldAgreeWithTheJdkDecoderOnRandomFields() {
        final SplittableRandom random = new SplittableRandom(5);
        int valid = 0;
        for (int run = 0; run < RUNS; run++) {
            final byte[] field = randomField(random);
            buffer.putBytes(0, field);
            final boolean scanned = text.scan(buffer, 0, ID, true);
            final String expected = expectedProblem(field);
            assertEquals(expected == null, scanned, () -> hex(field) + ": expected " + expected + ", problem " + text.problem);
            if (scanned) {
                valid++;
                assertEquals(textLength(field), text.length);
            } else {
                assertEquals(expected, name(text.problem), () -> hex(field));
            }
        }
        assertTrue(valid > RUNS / 10 && valid < RUNS * 9 / 10, "both outcomes are exercised: " + valid);
    }

    @Test
    void shouldPassEightPrintableAsciiBytesAtOnceAndNothingElse() {
        assertTrue(PaddedText.isPrintableAscii(word("abcdefgh")));
        assertTrue(PaddedText.isPrintableAscii(word("  ~~!!}}")));
        for (final int bad : new int[] {0x00, 0x09, 0x1f, 0x7f, 0x80, 0xc3, 0xff}) {
            for (int at = 0; at < 8; at++) {
                final byte[] bytes = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
                bytes[at] = (byte) bad;
                assertFalse(PaddedText.isPrintableAscii(ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong()),
                    () -> "byte " + bad);
            }
        }
    }

    private static long word(final String ascii) {
        return ByteBuffer.wrap(ascii.getBytes(StandardCharsets.US_ASCII)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Valid text, then one of: nothing, a random byte changed, random bytes, or a stray byte after the padding. */
    private static byte[] randomField(final SplittableRandom random) {
        final byte[] field = new byte[ID];
        final StringBuilder sb = new StringBuilder();
        final int target = random.nextInt(ID + 1);
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length < target) {
            sb.append(random.nextInt(100) == 0 ? CONTROLS[random.nextInt(CONTROLS.length)] : PIECES[random.nextInt(PIECES.length)]);
        }
        final byte[] utf8 = sb.toString().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(utf8, 0, field, 0, Math.min(ID, utf8.length));
        switch (random.nextInt(4)) {
            case 0:
                break;
            case 1:
                field[random.nextInt(ID)] = (byte) random.nextInt(256);
                break;
            case 2:
                for (int i = 0; i < ID; i++) {
                    field[i] = random.nextInt(3) == 0 ? 0 : (byte) random.nextInt(256);
                }
                break;
            default:
                field[random.nextInt(ID)] = (byte) random.nextInt(1, 128);
                break;
        }
        return field;
    }

    /** What is wrong with the field by the JDK's rules, first problem in field order; {@code null} when it is valid. */
    private static String expectedProblem(final byte[] field) {
        final int length = textLength(field);
        final ByteBuffer in = ByteBuffer.wrap(field, 0, length);
        final CharBuffer out = CharBuffer.allocate(ID);
        final CoderResult coded = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
        final String decoded = out.flip().toString();
        if (decoded.codePoints().anyMatch(Character::isISOControl)) {
            return "CONTROL";
        }
        if (coded.isError()) {
            return "NOT_UTF8";
        }
        for (int k = length + 1; k < ID; k++) {
            if (field[k] != 0) {
                return "AFTER_PADDING";
            }
        }
        return null;
    }

    private static int textLength(final byte[] field) {
        int n = 0;
        while (n < field.length && field[n] != 0) {
            n++;
        }
        return n;
    }

    private static String name(final int problem) {
        switch (problem) {
            case PaddedText.CONTROL: return "CONTROL";
            case PaddedText.NOT_UTF8: return "NOT_UTF8";
            case PaddedText.AFTER_PADDING: return "AFTER_PADDING";
            default: return "OK";
        }
    }

    private static String hex(final byte[] bytes) {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : bytes) {
            sb.append(String.format("%02x ", b & 0xff));
        }
        return sb.toString();
    }
}
