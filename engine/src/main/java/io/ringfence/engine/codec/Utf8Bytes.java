package io.ringfence.engine.codec;

/**
 * Strict UTF-8 well-formedness of a JSON line's bytes (RFC 3629, Unicode Table 3-7: no overlong
 * forms, no surrogates, nothing above U+10FFFF, no truncated sequence), checked before the JSON
 * parser sees them: Jackson decodes some ill-formed sequences without a word (the overlong
 * {@code C0 AF} as {@code /}), so {@code "x\xC0\xAF"} acted on the order {@code "x/"} (audit),
 * where DESIGN §4.1 has identifiers come back unchanged. The gateway's SBE ids are checked the
 * same way ({@link PaddedText}). Allocation-free; ASCII runs are passed a byte at a time.
 */
final class Utf8Bytes {
    private Utf8Bytes() {
    }

    /** Index of the first byte of the first ill-formed sequence in {@code [offset, offset + length)}, or -1. */
    static int firstInvalid(final byte[] bytes, final int offset, final int length) {
        final int end = offset + length;
        int i = offset;
        while (i < end) {
            final int b = bytes[i] & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            final int n = sequenceLength(bytes, i, end, b);
            if (n < 0) {
                return i;
            }
            i += n;
        }
        return -1;
    }

    /** Bytes in the well-formed sequence led by {@code lead} at {@code i}, or -1. */
    private static int sequenceLength(final byte[] bytes, final int i, final int end, final int lead) {
        final int n;
        int lo = 0x80;
        int hi = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            n = 2;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            n = 3;
            if (lead == 0xe0) {
                lo = 0xa0; // below: overlong
            } else if (lead == 0xed) {
                hi = 0x9f; // above: a surrogate
            }
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            n = 4;
            if (lead == 0xf0) {
                lo = 0x90; // below: overlong
            } else if (lead == 0xf4) {
                hi = 0x8f; // above: beyond U+10FFFF
            }
        } else {
            return -1; // a continuation byte without a lead, C0/C1 (overlong) or F5..FF
        }
        if (i + n > end) {
            return -1;
        }
        final int second = bytes[i + 1] & 0xff;
        if (second < lo || second > hi) {
            return -1;
        }
        for (int k = 2; k < n; k++) {
            final int c = bytes[i + k] & 0xff;
            if (c < 0x80 || c > 0xbf) {
                return -1;
            }
        }
        return n;
    }

    /** Why the sequence at {@code at} is refused, for a reject reason (allocates: only for a refusal). */
    static String describe(final byte[] bytes, final int offset, final int length, final int at) {
        final int lead = bytes[at] & 0xff;
        // the lead byte and the continuation bytes after it (up to a sequence's four)
        final StringBuilder seq = new StringBuilder(String.format("%02X", lead));
        for (int k = at + 1; lead >= 0xc0 && k < Math.min(offset + length, at + 4) && (bytes[k] & 0xc0) == 0x80; k++) {
            seq.append(' ').append(String.format("%02X", bytes[k] & 0xff));
        }
        final String what;
        if (lead >= 0x80 && lead <= 0xbf) {
            what = "a continuation byte without a lead byte";
        } else if (lead == 0xc0 || lead == 0xc1 || lead == 0xe0 && at + 1 < offset + length && (bytes[at + 1] & 0xff) < 0xa0
                || lead == 0xf0 && at + 1 < offset + length && (bytes[at + 1] & 0xff) < 0x90) {
            what = "an overlong encoding";
        } else if (lead == 0xed && at + 1 < offset + length && (bytes[at + 1] & 0xff) >= 0xa0) {
            what = "a surrogate, which UTF-8 may not encode";
        } else if (lead == 0xfe || lead == 0xff) {
            what = "a byte UTF-8 never has; FF FE or FE FF starts a UTF-16 file: save the file as UTF-8";
        } else if (lead >= 0xf5 || lead == 0xf4 && at + 1 < offset + length && (bytes[at + 1] & 0xff) >= 0x90) {
            what = "beyond U+10FFFF";
        } else {
            what = "a truncated or broken sequence";
        }
        return "the line is not valid UTF-8 at byte " + (at - offset + 1) + " (" + seq + ": " + what + ")";
    }
}
