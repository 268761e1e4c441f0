package io.ringfence.gateway.bridge;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * A 64-bit fingerprint of a business message, so that a message sent again under a client sequence the
 * engine has already journaled is told apart from a different message under the same sequence (two processes
 * of one client id, or a client that lost its numbering): the first is answered again from the record, the
 * second refused, never answered with another message's decision.
 *
 * <p>It covers the template id, the block length and every byte after the SBE header: everything the client
 * wrote, except the header's schema version (a client upgraded between a send and its resend still resends
 * the same event). Fixed constants, no seed: the same bytes give the same fingerprint in every JVM, so it is
 * computed again from the journal at recovery and kept in snapshots. 0 is never returned (it means unknown).
 * Mixing after MurmurHash3 / xxHash: a word at a time, then a 64-bit finalizer. Allocation-free.
 */
public final class MessageFingerprint {
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;
    private static final int HEADER = 8;

    private MessageFingerprint() {
    }

    /** The fingerprint of the SBE message (header first) in {@code buffer[offset, offset + length)}. */
    public static long of(final DirectBuffer buffer, final int offset, final int length) {
        long h = K2 ^ (length * K1);
        int i = offset;
        final int end = offset + length;
        if (length >= HEADER) {
            // blockLength (uint16) and templateId (uint16); schemaId and version are left out
            h = round(h, buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL);
            i = offset + HEADER;
        }
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            h = round(h, buffer.getLong(i, ByteOrder.LITTLE_ENDIAN));
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (buffer.getByte(i) & 0xFFL) << shift;
        }
        h = round(h, tail);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    private static long round(final long h, final long word) {
        return Long.rotateLeft(h ^ Long.rotateLeft(word * K2, 31) * K1, 27) * K1 + 0x52DCE729L;
    }
}
