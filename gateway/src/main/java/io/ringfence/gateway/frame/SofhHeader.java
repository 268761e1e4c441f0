package io.ringfence.gateway.frame;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Layout of the Simple Open Framing Header (FIX SOFH 1.0) that precedes every SBE message on
 * the wire.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            Message_Length (uint32, big-endian)                |
 *  +-------------------------------+-------------------------------+
 *  | Encoding_Type (uint16, BE)    |  SBE message header (8 bytes, |
 *  +-------------------------------+  little-endian) ...           |
 *  |  blockLength | templateId | schemaId | version | body ...     |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Per the SOFH specification, {@code Message_Length} counts the whole frame, the six header
 * bytes included, and both header fields are in network byte order. The specification assigns
 * {@code 0x5BE0} to SBE 1.0 <em>big</em>-endian and {@code 0xEB50} to SBE 1.0 <em>little</em>-endian;
 * the ringfence schema is little-endian, so frames carry {@link #SBE_LITTLE_ENDIAN}.
 */
public final class SofhHeader {
    /** Bytes of the framing header. */
    public static final int LENGTH = 6;
    /** Offset of the big-endian uint32 message length. */
    public static final int MESSAGE_LENGTH_OFFSET = 0;
    /** Offset of the big-endian uint16 encoding type. */
    public static final int ENCODING_TYPE_OFFSET = 4;
    /** SOFH encoding type of SBE 1.0 little-endian, the byte order of the ringfence schema. */
    public static final int SBE_LITTLE_ENDIAN = 0xEB50;
    /** SOFH encoding type of SBE 1.0 big-endian; refused, as ringfence messages are little-endian. */
    public static final int SBE_BIG_ENDIAN = 0x5BE0;

    private SofhHeader() {
    }

    /** The message length field as a signed int (a value with the top bit set reads negative). */
    public static int messageLength(final DirectBuffer buffer, final int offset) {
        return buffer.getInt(offset + MESSAGE_LENGTH_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** The encoding type field, unsigned. */
    public static int encodingType(final DirectBuffer buffer, final int offset) {
        return buffer.getShort(offset + ENCODING_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** Writes a header for a frame of {@code frameLength} bytes (header included) of SBE little-endian. */
    public static void put(final MutableDirectBuffer buffer, final int offset, final int frameLength) {
        buffer.putInt(offset + MESSAGE_LENGTH_OFFSET, frameLength, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + ENCODING_TYPE_OFFSET, (short) SBE_LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }
}
