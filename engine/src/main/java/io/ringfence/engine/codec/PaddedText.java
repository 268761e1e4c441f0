package io.ringfence.engine.codec;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Checks one fixed-length, NUL-padded SBE char field in place ({@code Id}: UTF-8; {@code Ip}:
 * ASCII): the text is the bytes before the first NUL, and every byte after it must be NUL too,
 * so each value has exactly one encoding (ids are hashed and written up to the first NUL: bytes
 * hidden behind it would be journaled but never seen). For UTF-8 fields the text must be
 * well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) without
 * the code points {@link EventRules#isForbiddenInId} refuses.
 *
 * <p>One instance is reused field after field; after {@link #scan} the outcome is in the fields
 * below. Allocation-free; printable ASCII text and the padding are checked eight bytes at a time.
 */
final class PaddedText {
    static final int OK = 0;
    /** Not well-formed UTF-8 at {@link #position}. */
    static final int NOT_UTF8 = 1;
    /** A forbidden code point, {@link #codePoint}, at {@link #position}. */
    static final int CONTROL = 2;
    /** A non-NUL byte at {@link #position}, after the NUL that ended the text. */
    static final int AFTER_PADDING = 3;

    /** Bytes of text before the first NUL (the whole field when it has none). */
    int length;
    int problem;
    int position;
    int codePoint;

    /**
     * @param utf8 whether the text is UTF-8 (ids); otherwise only the padding is checked and the
     *             caller checks the text (IP addresses, by {@link IpText})
     * @return whether the field is well-formed ({@link #problem} is {@link #OK})
     */
    boolean scan(final DirectBuffer buffer, final int offset, final int capacity, final boolean utf8) {
        problem = OK;
        int i = 0;
        text:
        while (i < capacity) {
            if (i + Long.BYTES <= capacity && isPrintableAscii(buffer.getLong(offset + i, ByteOrder.LITTLE_ENDIAN))) {
                i += Long.BYTES;
                continue;
            }
            // Byte by byte up to the end of this word (a multi-byte character may run past it).
            final int stop = Math.min(capacity, i + Long.BYTES);
            while (i < stop) {
                final int b = buffer.getByte(offset + i) & 0xff;
                if (b >= 0x20 && b < 0x7f || b != 0 && !utf8) {
                    i++;
                } else if (b == 0) {
                    break text;
                } else {
                    final int next = codePoint(buffer, offset, i, capacity, b);
                    if (next < 0) {
                        return fail(NOT_UTF8, i);
                    }
                    if (EventRules.isForbiddenInId(codePoint)) {
                        return fail(CONTROL, i);
                    }
                    i = next;
                }
            }
        }
        length = i;
        int k = i + 1;
        while (k + Long.BYTES <= capacity && buffer.getLong(offset + k, ByteOrder.LITTLE_ENDIAN) == 0) {
            k += Long.BYTES;
        }
        for (; k < capacity; k++) {
            if (buffer.getByte(offset + k) != 0) {
                return fail(AFTER_PADDING, k);
            }
        }
        return true;
    }

    /**
     * Why the field {@link #scan} refused is not well-formed, in the words of an event's refusal (allocates: only
     * for a refusal).
     *
     * @param item the item line (0-based) for an item field, else -1
     */
    String describe(final DirectBuffer buffer, final int offset, final String field, final int item) {
        final String byteText = String.format("0x%02X", byteAt(buffer, offset, position));
        switch (problem) {
            case CONTROL:
                return EventRules.controlCharacter(field, item, codePoint);
            case NOT_UTF8:
                return EventRules.quotedName(field, item) + " is not valid UTF-8 (byte " + byteText + " at index " + position + ")";
            default:
                return EventRules.quotedName(field, item) + " has byte " + byteText + " at index " + position
                    + ", after the NUL that ends it (pad with NUL bytes only)";
        }
    }

    /**
     * Whether all eight bytes of {@code word} are in 0x20..0x7E (no NUL, control, DEL or UTF-8
     * byte), so the scan can pass them at once. Exact, by the "has a byte less than n" bit trick.
     */
    static boolean isPrintableAscii(final long word) {
        final long high = 0x8080808080808080L;
        final long ones = 0x0101010101010101L;
        final long below20 = (word - ones * 0x20) & ~word & high;
        final long del = word ^ (ones * 0x7f);
        final long isDel = (del - ones) & ~del & high;
        return ((word & high) | below20 | isDel) == 0;
    }

    /** Byte at {@link #position} of the field, for reasons. */
    static int byteAt(final DirectBuffer buffer, final int offset, final int position) {
        return buffer.getByte(offset + position) & 0xff;
    }

    /** Decodes the sequence led by {@code lead} at {@code i} into {@link #codePoint}; returns the index after it, or -1. */
    private int codePoint(final DirectBuffer buffer, final int offset, final int i, final int capacity, final int lead) {
        final int extra;
        final int min;
        int cp;
        if (lead < 0x80) {
            codePoint = lead;
            return i + 1;
        } else if (lead >= 0xc2 && lead <= 0xdf) {
            extra = 1;
            min = 0x80;
            cp = lead & 0x1f;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            extra = 2;
            min = 0x800;
            cp = lead & 0x0f;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            extra = 3;
            min = 0x10000;
            cp = lead & 0x07;
        } else {
            return -1;
        }
        if (i + extra >= capacity) {
            return -1;
        }
        for (int k = 1; k <= extra; k++) {
            final int b = buffer.getByte(offset + i + k) & 0xff;
            if ((b & 0xc0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (b & 0x3f);
        }
        if (cp < min || cp > Character.MAX_CODE_POINT || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
            return -1;
        }
        codePoint = cp;
        return i + 1 + extra;
    }

    private boolean fail(final int problem, final int position) {
        this.problem = problem;
        this.position = position;
        return false;
    }
}
