package io.ringfence.journal;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Binary layout of one journal record, stored as the raw bytes of one Chronicle Queue excerpt
 * (no Chronicle wire encoding, so the format is ours and versioned). All fields little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |         Version (u16)         |          Flags (u16)          |  0
 *  +-------------------------------+-------------------------------+
 *  |                     Payload Length (i32)                      |  4
 *  +---------------------------------------------------------------+
 *  |                                                               |  8
 *  +                        Sequence (i64)                         +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 16
 *  +                   Ingest Time Micros (i64)                    +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 24
 *  +                        Source Id (i64)                        +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                                                               | 32
 *  +                    Client Sequence (i64)                      +
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                         CRC32C (i32)                          | 40
 *  +---------------------------------------------------------------+
 *  |                     Padding (zero, 4 bytes)                   | 44
 *  +---------------------------------------------------------------+
 *  |                     Payload (opaque bytes)                   ...  48
 * ...                                                              |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Payload Length is the payload's own length. With flag {@link #FLAG_PACKED} the stored payload is
 * its {@link ZeroRunPacking} form (written when that is shorter), so the excerpt is {@code HEADER_LENGTH
 * + stored} bytes with {@code stored <= ZeroRunPacking.maxPackedLength(payloadLength)}; without it the
 * excerpt length is exactly {@code HEADER_LENGTH + payloadLength}. The CRC32C covers bytes
 * {@code [0, 40)} (the header without the CRC and padding) followed by the stored payload bytes. Other
 * flag bits are reserved (written 0, refused on read). A new layout gets a new {@link #VERSION};
 * readers refuse versions they do not know.
 */
public final class JournalRecordDescriptor {
    public static final short VERSION = 1;
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int VERSION_OFFSET = 0;
    public static final int FLAGS_OFFSET = 2;
    /** Flag: the stored payload is zero-run packed. */
    public static final int FLAG_PACKED = 1;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int INGEST_TIME_OFFSET = 16;
    public static final int SOURCE_ID_OFFSET = 24;
    public static final int CLIENT_SEQ_OFFSET = 32;
    public static final int CRC_OFFSET = 40;
    /** Header bytes covered by the CRC: everything before the CRC field. */
    public static final int CRC_COVERED_HEADER_LENGTH = CRC_OFFSET;
    /** Header length including padding to 8-byte alignment; the payload starts here. */
    public static final int HEADER_LENGTH = 48;
    public static final int PAYLOAD_OFFSET = HEADER_LENGTH;

    private JournalRecordDescriptor() {
    }

    /**
     * Checks a record's declared flags and payload length against the excerpt length read from the queue.
     *
     * @return null if consistent, otherwise the reason
     */
    public static String lengthProblem(final int flags, final int payloadLength, final long excerptLength) {
        if ((flags & ~FLAG_PACKED) != 0) {
            return "unknown flags 0x" + Integer.toHexString(flags);
        }
        if (payloadLength < 0) {
            return "negative payload length " + payloadLength;
        }
        final long stored = excerptLength - HEADER_LENGTH;
        if ((flags & FLAG_PACKED) != 0) {
            if (stored < 0 || stored > ZeroRunPacking.maxPackedLength(payloadLength)) {
                return "packed payload of " + stored + " bytes cannot hold a payload of " + payloadLength + " bytes";
            }
            return null;
        }
        return stored == payloadLength ? null
                : "payload length " + payloadLength + " does not match excerpt length " + excerptLength;
    }

    /**
     * Checks a whole record (header and stored payload, laid out from index 0 of {@code record}) as a
     * reader does: version, flags and length against the excerpt length, then the CRC32C. Sequence
     * continuity is the reader's business. Allocation-free unless there is a problem.
     *
     * @return null if the record verifies, otherwise the reason
     */
    public static String recordProblem(final CRC32C crc, final byte[] record, final int excerptLength) {
        if (excerptLength < HEADER_LENGTH) {
            return "excerpt of " + excerptLength + " bytes is shorter than the " + HEADER_LENGTH + "-byte record header";
        }
        final int version = (record[VERSION_OFFSET] & 0xFF) | (record[VERSION_OFFSET + 1] & 0xFF) << 8;
        if (version != VERSION) {
            return "record version " + version + " is not the supported version " + VERSION;
        }
        final int flags = (record[FLAGS_OFFSET] & 0xFF) | (record[FLAGS_OFFSET + 1] & 0xFF) << 8;
        final int payloadLength = (record[PAYLOAD_LENGTH_OFFSET] & 0xFF) | (record[PAYLOAD_LENGTH_OFFSET + 1] & 0xFF) << 8
                | (record[PAYLOAD_LENGTH_OFFSET + 2] & 0xFF) << 16 | (record[PAYLOAD_LENGTH_OFFSET + 3] & 0xFF) << 24;
        final String problem = lengthProblem(flags, payloadLength, excerptLength);
        if (problem != null) {
            return problem;
        }
        final int stored = (record[CRC_OFFSET] & 0xFF) | (record[CRC_OFFSET + 1] & 0xFF) << 8
                | (record[CRC_OFFSET + 2] & 0xFF) << 16 | (record[CRC_OFFSET + 3] & 0xFF) << 24;
        final int computed = computeCrc(crc, record, excerptLength - HEADER_LENGTH);
        return stored == computed ? null
                : "CRC32C mismatch: stored 0x" + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed);
    }

    /** Total record (excerpt) length for a payload of {@code payloadLength} bytes. */
    public static int recordLength(int payloadLength) {
        return HEADER_LENGTH + payloadLength;
    }

    /**
     * CRC32C of a record laid out in {@code record} from index 0: header without CRC, then payload.
     * Allocation-free; {@code crc} is reset first.
     */
    public static int computeCrc(CRC32C crc, byte[] record, int storedPayloadLength) {
        crc.reset();
        crc.update(record, 0, CRC_COVERED_HEADER_LENGTH);
        crc.update(record, PAYLOAD_OFFSET, storedPayloadLength);
        return (int) crc.getValue();
    }
}
