package io.ringfence.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The format of one block of the {@link KeyIndex}: the keys of a run of {@code 2^shift} journal records, as one file
 * named by the block's first sequence ({@code 0000000000000262145.keys}). Little endian:
 * <pre>
 *   0 int  magic "RFKI"          24 long fingerprint of the block's last record ({@link RecordFingerprint})
 *   4 int  format version         32 int  entries
 *   8 long first sequence         36 int  shift (the block holds 2^shift records)
 *  16 long last sequence          40 int  CRC32C of the entries   44 int CRC32C of bytes 0..43
 *  48 entries: long each, sorted (signed): a key's high bits with its record's place in the block in the low shift bits
 * </pre>
 * A key's low bits are given up for the record's place: a lookup finds every record whose key shares the high bits
 * and the reader of the record decides (a key is a hash; equal hashes are not equal ids either).
 */
final class KeyIndexFile {
    static final int MAGIC = 0x494B4652; // "RFKI" as little-endian bytes
    static final int VERSION = 1;
    static final int HEADER = 48;
    static final String SUFFIX = ".keys";
    private static final int HEADER_CRC_OFFSET = 44;

    /** A block read whole and checked: its sequences, its last record's fingerprint and its entries. */
    record Block(long first, long last, long fingerprint, int shift, ByteBuffer entries, int count) {
        /** Adds to {@code into} the sequences whose key's high bits are {@code key}'s, in order. */
        void candidates(final long key, final org.agrona.collections.LongArrayList into) {
            final long mask = (1L << shift) - 1;
            final long prefix = key & ~mask;
            int lo = 0;
            int hi = count;
            while (lo < hi) { // the first entry at or above the prefix
                final int mid = (lo + hi) >>> 1;
                if (entries.getLong(HEADER + mid * 8) < prefix) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            for (int i = lo; i < count; i++) {
                final long e = entries.getLong(HEADER + i * 8);
                if ((e & ~mask) != prefix) {
                    break;
                }
                into.addLong(first + (e & mask));
            }
        }
    }

    private KeyIndexFile() {
    }

    static Path path(final Path directory, final long first) {
        return directory.resolve(String.format("%019d", first) + SUFFIX);
    }

    /** The first sequence a block file's name gives, or -1 when it is not a block's name. */
    static long firstOf(final String name) {
        if (name.length() != 19 + SUFFIX.length() || !name.endsWith(SUFFIX)) {
            return -1;
        }
        for (int i = 0; i < 19; i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            final long first = Long.parseLong(name, 0, 19, 10);
            return first >= 1 ? first : -1;
        } catch (final NumberFormatException e) { // 19 digits past 2^63 - 1: not one of ours (review: it stopped every start)
            return -1;
        }
    }

    /** Fills {@code out} (position 0, little endian) with a block of {@code count} sorted entries, and flips it. */
    static void encode(final ByteBuffer out, final long first, final long last, final long fingerprint, final int shift,
                       final long[] entries, final int count, final CRC32C crc) {
        out.clear().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            out.putLong(HEADER + i * 8, entries[i]);
        }
        final int end = HEADER + count * 8;
        crc.reset();
        out.limit(end).position(HEADER);
        crc.update(out);
        out.putInt(0, MAGIC).putInt(4, VERSION).putLong(8, first).putLong(16, last).putLong(24, fingerprint)
                .putInt(32, count).putInt(36, shift).putInt(40, (int) crc.getValue());
        crc.reset();
        out.limit(HEADER_CRC_OFFSET).position(0);
        crc.update(out);
        out.limit(end).putInt(HEADER_CRC_OFFSET, (int) crc.getValue());
        out.position(0);
    }

    /**
     * The block in {@code bytes} (a whole file, named for {@code first}), or null with the reason in {@code why[0]}: a
     * file that is not a whole block as written (cut, changed, of another format) is not used.
     */
    static Block decode(final byte[] bytes, final long first, final String[] why) {
        final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < HEADER || b.getInt(0) != MAGIC) {
            why[0] = "not a key index block";
            return null;
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, HEADER_CRC_OFFSET);
        if ((int) crc.getValue() != b.getInt(HEADER_CRC_OFFSET)) {
            why[0] = "its header does not match its checksum";
            return null;
        }
        if (b.getInt(4) != VERSION) {
            why[0] = "format version " + b.getInt(4) + " (this build reads " + VERSION + ")";
            return null;
        }
        final int count = b.getInt(32);
        final int shift = b.getInt(36);
        final long last = b.getLong(16);
        if (b.getLong(8) != first || shift < KeyIndex.MIN_SHIFT || shift > KeyIndex.MAX_SHIFT || last != first + (1L << shift) - 1
                || ((first - 1) & ((1L << shift) - 1)) != 0 || count < 0 || (long) HEADER + count * 8L != bytes.length) {
            why[0] = "its header does not describe this file";
            return null;
        }
        crc.reset();
        crc.update(bytes, HEADER, count * 8);
        if ((int) crc.getValue() != b.getInt(40)) {
            why[0] = "its entries do not match their checksum";
            return null;
        }
        return new Block(first, last, b.getLong(24), shift, b, count);
    }
}
