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
 * <p>The CRC32C covers bytes {@code [0, 40)} (the header without the CRC and padding) followed by the
 * payload. The excerpt length must equal {@code HEADER_LENGTH + payloadLength}. Flags are reserved
 * (written 0). A new layout gets a new {@link #VERSION}; readers refuse versions they do not know.
 */
public final class JournalRecordDescriptor {
    public static final short VERSION = 1;
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int VERSION_OFFSET = 0;
    public static final int FLAGS_OFFSET = 2;
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

    /** Total record (excerpt) length for a payload of {@code payloadLength} bytes. */
    public static int recordLength(int payloadLength) {
        return HEADER_LENGTH + payloadLength;
    }

    /**
     * CRC32C of a record laid out in {@code record} from index 0: header without CRC, then payload.
     * Allocation-free; {@code crc} is reset first.
     */
    public static int computeCrc(CRC32C crc, byte[] record, int payloadLength) {
        crc.reset();
        crc.update(record, 0, CRC_COVERED_HEADER_LENGTH);
        crc.update(record, PAYLOAD_OFFSET, payloadLength);
        return (int) crc.getValue();
    }
}
