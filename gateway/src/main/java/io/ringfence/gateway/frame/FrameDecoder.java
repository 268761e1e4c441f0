package io.ringfence.gateway.frame;

import io.ringfence.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

/**
 * Finds and checks whole SOFH frames in received bytes, zero-copy: the caller gets an offset and
 * a length into its own buffer, never a copy. One instance per connection side, reused for every
 * frame; allocation-free and exception-free on every input.
 *
 * <p>{@link #decode} looks at the bytes {@code [offset, limit)} and returns
 * <ul>
 *   <li>a positive frame length when a whole, valid frame starts at {@code offset}: the SBE
 *       message is {@link #messageOffset()} / {@link #messageLength()} and its header fields are
 *       {@link #templateId()}, {@link #blockLength()}, {@link #version()};</li>
 *   <li>{@link #NEED_MORE} when more bytes are needed to decide;</li>
 *   <li>a negative {@link FrameError#code()} as soon as the prefix already proves the frame bad.
 *       Header errors (length, encoding, schema, version, template, block length) are reported
 *       from the first 14 bytes, without waiting for a body the peer may never send.</li>
 * </ul>
 * It never reads outside {@code [offset, limit)}.
 */
public final class FrameDecoder {
    /** {@link #decode} result: the bytes so far are a valid prefix; read more. */
    public static final int NEED_MORE = 0;
    /** The smallest possible frame: SOFH plus the SBE message header. */
    public static final int MIN_FRAME_LENGTH = SofhHeader.LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;

    private static final int LENGTH_FIELD_BYTES = 4;

    private final MessageShapes shapes;
    private final int maxFrameLength;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    private int templateId;
    private int blockLength;
    private int version;
    private int messageOffset;
    private int messageLength;

    /**
     * @param shapes         the templates this side accepts
     * @param maxFrameLength the largest frame accepted, SOFH header included
     */
    public FrameDecoder(final MessageShapes shapes, final int maxFrameLength) {
        if (maxFrameLength < MIN_FRAME_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength " + maxFrameLength + " is below " + MIN_FRAME_LENGTH);
        }
        this.shapes = shapes;
        this.maxFrameLength = maxFrameLength;
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    /**
     * Decodes the frame starting at {@code offset}.
     *
     * @return the frame length (&gt; 0), {@link #NEED_MORE}, or a negative {@link FrameError#code()}
     */
    public int decode(final DirectBuffer buffer, final int offset, final int limit) {
        final int available = limit - offset;
        if (available < LENGTH_FIELD_BYTES) {
            return NEED_MORE;
        }
        final int frameLength = SofhHeader.messageLength(buffer, offset);
        if (frameLength > maxFrameLength || frameLength < 0) {
            return FrameError.TOO_LARGE.code(); // the SOFH length is a uint32: the top bit set is 2 GiB and more
        }
        if (frameLength < MIN_FRAME_LENGTH) {
            return FrameError.BAD_LENGTH.code();
        }
        if (available < SofhHeader.LENGTH) {
            return NEED_MORE;
        }
        if (SofhHeader.encodingType(buffer, offset) != SofhHeader.SBE_LITTLE_ENDIAN) {
            return FrameError.BAD_ENCODING_TYPE.code();
        }
        if (available < MIN_FRAME_LENGTH) {
            return NEED_MORE;
        }
        final int headerOffset = offset + SofhHeader.LENGTH;
        header.wrap(buffer, headerOffset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID) {
            return FrameError.UNKNOWN_SCHEMA.code();
        }
        if (header.version() > MessageHeaderDecoder.SCHEMA_VERSION && !shapes.acceptsNewerVersions()) {
            return FrameError.UNSUPPORTED_VERSION.code();
        }
        final MessageShape shape = shapes.shape(header.templateId());
        if (shape == null) {
            return FrameError.UNKNOWN_TEMPLATE.code();
        }
        final int bodyLength = frameLength - MIN_FRAME_LENGTH;
        final int actingBlockLength = header.blockLength();
        if (actingBlockLength < shape.minBlockLength(header.version()) || actingBlockLength > bodyLength) {
            return FrameError.BODY_LENGTH_MISMATCH.code();
        }
        if (available < frameLength) {
            return NEED_MORE;
        }
        if (!shape.fits(buffer, headerOffset + MessageHeaderDecoder.ENCODED_LENGTH, bodyLength, actingBlockLength, header.version())) {
            return FrameError.BODY_LENGTH_MISMATCH.code();
        }
        templateId = shape.templateId();
        blockLength = actingBlockLength;
        version = header.version();
        messageOffset = headerOffset;
        messageLength = frameLength - SofhHeader.LENGTH;
        return frameLength;
    }

    /**
     * What {@link #decode} saw when it returned {@code error} for the frame at {@code offset}: the numbers behind the
     * error, for the Reject that ends the session and the log (a static reason named no length, no limit, no field).
     * Allocates: only once a frame is refused.
     */
    public String explain(final DirectBuffer buffer, final int offset, final int limit, final FrameError error) {
        final int available = limit - offset;
        final long frameLength = available >= LENGTH_FIELD_BYTES ? SofhHeader.messageLength(buffer, offset) & 0xFFFF_FFFFL : -1;
        switch (error) {
            case TOO_LARGE:
                return "frame length " + frameLength + " (SOFH header included), the largest accepted " + maxFrameLength
                    + printableStart(buffer, offset, available);
            case BAD_LENGTH:
                return "frame length " + frameLength + ", the smallest possible " + MIN_FRAME_LENGTH
                    + " (SOFH header 6 and SBE header 8)" + printableStart(buffer, offset, available);
            case BAD_ENCODING_TYPE:
                return String.format("encoding type 0x%04X", SofhHeader.encodingType(buffer, offset) & 0xFFFF)
                    + printableStart(buffer, offset, available);
            default:
                break;
        }
        header.wrap(buffer, offset + SofhHeader.LENGTH);
        switch (error) {
            case UNKNOWN_SCHEMA:
                return "schema id " + header.schemaId() + ", not " + MessageHeaderDecoder.SCHEMA_ID;
            case UNSUPPORTED_VERSION:
                return "version " + header.version() + ", this build's " + MessageHeaderDecoder.SCHEMA_VERSION;
            case UNKNOWN_TEMPLATE:
                return "template id " + header.templateId();
            case BODY_LENGTH_MISMATCH: {
                final MessageShape shape = shapes.shape(header.templateId());
                final int bodyLength = (int) frameLength - MIN_FRAME_LENGTH;
                final int bodyOffset = offset + MIN_FRAME_LENGTH;
                if (shape == null) {
                    return "template id " + header.templateId();
                }
                // refused by its block length alone (also before the rest of the frame arrived): misfit reads no further
                return shape.misfit(buffer, bodyOffset, bodyLength, header.blockLength(), header.version());
            }
            default:
                return error.reason();
        }
    }

    /** The frame's first bytes when they read as text (a client that speaks HTTP or another protocol). */
    private static String printableStart(final DirectBuffer buffer, final int offset, final int available) {
        final int n = Math.min(available, 8);
        final StringBuilder text = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            final int b = buffer.getByte(offset + i) & 0xFF;
            if (b < 0x20 || b > 0x7E) {
                return "";
            }
            text.append((char) b);
        }
        return n < 4 ? "" : "; the bytes read '" + text + "' as text: not a SOFH-framed SBE message";
    }

    /** Template id of the last whole frame. */
    public int templateId() {
        return templateId;
    }

    /** Acting block length of the last whole frame. */
    public int blockLength() {
        return blockLength;
    }

    /** Schema version of the last whole frame. */
    public int version() {
        return version;
    }

    /** Offset of the SBE message (its 8-byte header) of the last whole frame. */
    public int messageOffset() {
        return messageOffset;
    }

    /** Length of the SBE message, header included, of the last whole frame. */
    public int messageLength() {
        return messageLength;
    }
}
