package io.ringfence.gateway.frame;

import io.ringfence.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.sbe.MessageEncoderFlyweight;

/**
 * Writes SOFH frames: either around an SBE message already encoded in place (leave
 * {@link SofhHeader#LENGTH} bytes in front of it) or by copying a message in. Stateless apart
 * from a reusable header flyweight; allocation-free.
 */
public final class FrameEncoder {
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    /**
     * Wraps {@code encoder} at {@code offset + SofhHeader.LENGTH} of {@code buffer} with its SBE
     * message header applied, ready for fields to be set. Finish with {@link #frame}.
     */
    public <E extends MessageEncoderFlyweight> E begin(final MutableDirectBuffer buffer, final int offset, final E encoder) {
        final int headerOffset = offset + SofhHeader.LENGTH;
        header.wrap(buffer, headerOffset)
            .blockLength(encoder.sbeBlockLength())
            .templateId(encoder.sbeTemplateId())
            .schemaId(encoder.sbeSchemaId())
            .version(encoder.sbeSchemaVersion());
        encoder.wrap(buffer, headerOffset + MessageHeaderEncoder.ENCODED_LENGTH);
        return encoder;
    }

    /**
     * Writes the SOFH header in front of an SBE message of {@code messageLength} bytes (its
     * header included) that starts at {@code offset + SofhHeader.LENGTH}.
     *
     * @return the frame length
     */
    public static int frame(final MutableDirectBuffer buffer, final int offset, final int messageLength) {
        final int frameLength = SofhHeader.LENGTH + messageLength;
        SofhHeader.put(buffer, offset, frameLength);
        return frameLength;
    }

    /** Frames an encoder filled after {@link #begin}; returns the frame length. */
    public static int frame(final MutableDirectBuffer buffer, final int offset, final MessageEncoderFlyweight encoder) {
        return frame(buffer, offset, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * Copies an SBE message (header included) into a new frame at {@code offset}.
     *
     * @return the frame length
     */
    public static int copy(final MutableDirectBuffer buffer, final int offset,
                           final DirectBuffer message, final int messageOffset, final int messageLength) {
        buffer.putBytes(offset + SofhHeader.LENGTH, message, messageOffset, messageLength);
        return frame(buffer, offset, messageLength);
    }
}
