package io.ringfence.gateway.frame;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The body layout of one SBE template, enough to check that a message fits its frame exactly
 * without decoding it: the root block, then top-level repeating groups (each a 4-byte
 * {@code groupSizeEncoding} header and {@code numInGroup} entries), then var data fields (each a
 * little-endian uint32 length and that many bytes). Checking this at the edge means the engine's
 * decoders can never be driven past the end of a message by a hostile length field.
 */
public final class MessageShape {
    private static final int GROUP_HEADER_LENGTH = 4;
    private static final int VAR_DATA_HEADER_LENGTH = 4;

    private final int templateId;
    private final int blockLength;
    private final int minBlockLength;
    /** The schema version from which a message has the whole block ({@link #blockLength}). */
    private final int wholeSinceVersion;
    /**
     * A block that grew twice: from {@link #midSinceVersion} (below {@link #wholeSinceVersion}) a message has at least
     * {@link #midBlockLength}; 0 and {@link Integer#MAX_VALUE} when it grew once.
     */
    private final int midBlockLength;
    private final int midSinceVersion;
    /** Each top-level group's shortest entry accepted (of the oldest version). */
    private final int[] groupBlockLengths;
    /** Each group's whole entry, required from {@link #groupsWholeSinceVersion} on. */
    private final int[] groupWholeLengths;
    private final int groupsWholeSinceVersion;
    private final int varDataFields;

    /**
     * @param templateId        the SBE template id
     * @param blockLength       the root block length of the current schema version
     * @param groupBlockLengths the entry block length of each top-level group, in order
     * @param varDataFields     how many var data fields follow the groups
     */
    public MessageShape(final int templateId, final int blockLength, final int[] groupBlockLengths, final int varDataFields) {
        this(templateId, blockLength, blockLength, 0, groupBlockLengths, varDataFields);
    }

    /**
     * @param minBlockLength    the root block length of the oldest schema version accepted: fields added since
     *                          (sinceVersion, at the end of the block) may be absent in a message of an older
     *                          version, SBE's rule; their decoders then return the null value
     * @param wholeSinceVersion the version that added the last of them: a message of that version or newer must
     *                          have the whole block (its decoder reads those fields, past a shorter block)
     */
    public MessageShape(final int templateId, final int blockLength, final int minBlockLength, final int wholeSinceVersion,
                        final int[] groupBlockLengths, final int varDataFields) {
        if (minBlockLength > blockLength) {
            throw new IllegalArgumentException("minBlockLength " + minBlockLength + " > blockLength " + blockLength);
        }
        this.templateId = templateId;
        this.blockLength = blockLength;
        this.minBlockLength = minBlockLength;
        this.wholeSinceVersion = wholeSinceVersion;
        this.midBlockLength = 0;
        this.midSinceVersion = Integer.MAX_VALUE;
        this.groupBlockLengths = groupBlockLengths.clone();
        this.groupWholeLengths = this.groupBlockLengths;
        this.groupsWholeSinceVersion = 0;
        this.varDataFields = varDataFields;
    }

    private MessageShape(final MessageShape shape, final int version, final int[] wholeLengths) {
        if (wholeLengths.length != shape.groupBlockLengths.length) {
            throw new IllegalArgumentException(wholeLengths.length + " group lengths for " + shape.groupBlockLengths.length + " groups");
        }
        for (int g = 0; g < wholeLengths.length; g++) {
            if (wholeLengths[g] < shape.groupBlockLengths[g]) {
                throw new IllegalArgumentException("group " + (g + 1) + ": whole entry " + wholeLengths[g] + " < shortest "
                    + shape.groupBlockLengths[g]);
            }
        }
        this.templateId = shape.templateId;
        this.blockLength = shape.blockLength;
        this.minBlockLength = shape.minBlockLength;
        this.wholeSinceVersion = shape.wholeSinceVersion;
        this.midBlockLength = shape.midBlockLength;
        this.midSinceVersion = shape.midSinceVersion;
        this.groupBlockLengths = shape.groupBlockLengths;
        this.groupWholeLengths = wholeLengths.clone();
        this.groupsWholeSinceVersion = version;
        this.varDataFields = shape.varDataFields;
    }

    /** A copy of {@code shape} whose block also grew to {@code length} in {@code version}, between its oldest and its whole. */
    private MessageShape(final MessageShape shape, final int version, final int length) {
        if (length <= shape.minBlockLength || length >= shape.blockLength || version >= shape.wholeSinceVersion) {
            throw new IllegalArgumentException("a block step of " + length + " bytes at version " + version + " must lie between "
                + shape.minBlockLength + " and " + shape.blockLength + " bytes, before version " + shape.wholeSinceVersion);
        }
        this.templateId = shape.templateId;
        this.blockLength = shape.blockLength;
        this.minBlockLength = shape.minBlockLength;
        this.wholeSinceVersion = shape.wholeSinceVersion;
        this.midBlockLength = length;
        this.midSinceVersion = version;
        this.groupBlockLengths = shape.groupBlockLengths;
        this.groupWholeLengths = shape.groupWholeLengths;
        this.groupsWholeSinceVersion = shape.groupsWholeSinceVersion;
        this.varDataFields = shape.varDataFields;
    }

    /**
     * This shape, whose block grew twice: a message of schema {@code version} or newer (older than the version of the
     * whole block) must have at least {@code length} bytes of it (Subscribe: the resume fields from version 2,
     * {@code onOverflow} from version 5).
     */
    public MessageShape blockGrewIn(final int version, final int length) {
        return new MessageShape(this, version, length);
    }

    /**
     * This shape, whose group entries gained fields at the end in schema {@code version} (SBE's rule: an older
     * version's entries stop before them, by the group header's block length): a message of that version or newer must
     * have entries of at least {@code wholeLengths}, or its decoders would read those fields past each entry.
     */
    public MessageShape groupsGrewIn(final int version, final int... wholeLengths) {
        return new MessageShape(this, version, wholeLengths);
    }

    /** The shortest entry accepted for group {@code g} of a message of schema version {@code version}. */
    private int groupBlockLength(final int g, final int version) {
        return version >= groupsWholeSinceVersion ? groupWholeLengths[g] : groupBlockLengths[g];
    }

    public int templateId() {
        return templateId;
    }

    public int blockLength() {
        return blockLength;
    }

    /** The shortest root block accepted from a message of schema version {@code version}. */
    public int minBlockLength(final int version) {
        return version >= wholeSinceVersion ? blockLength : version >= midSinceVersion ? midBlockLength : minBlockLength;
    }

    /**
     * Why a body does not fit (what {@link #fits} refused, in words with its numbers), for the Reject that ends the
     * session: allocates, so only once a frame is refused. Reads only inside the body.
     *
     * @param version the message header's schema version
     */
    public String misfit(final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final int actingBlockLength,
                         final int version) {
        final String of = "template " + templateId + ": ";
        if (actingBlockLength < minBlockLength(version)) {
            return of + "block length " + actingBlockLength + " is shorter than the " + minBlockLength(version)
                + " bytes of this template's block at version " + version + " (this server's block: " + blockLength + ")";
        }
        if (actingBlockLength > bodyLength) {
            return of + "block length " + actingBlockLength + " is longer than the " + bodyLength + " bytes after the SBE header";
        }
        long position = actingBlockLength;
        for (int g = 0; g < groupBlockLengths.length; g++) {
            if (position + GROUP_HEADER_LENGTH > bodyLength) {
                return of + "group " + (g + 1) + "'s header at body offset " + position + " runs past the body's " + bodyLength + " bytes";
            }
            final int at = bodyOffset + (int) position;
            final int actingEntryLength = buffer.getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int count = buffer.getShort(at + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            if (actingEntryLength < groupBlockLength(g, version) && count > 0) {
                return of + "group " + (g + 1) + "'s entry block length " + actingEntryLength + " is shorter than the schema's "
                    + groupBlockLength(g, version) + " at version " + version;
            }
            position += GROUP_HEADER_LENGTH + (long) actingEntryLength * count;
        }
        for (int i = 0; i < varDataFields; i++) {
            if (position + VAR_DATA_HEADER_LENGTH > bodyLength) {
                return of + "variable-length field " + (i + 1) + "'s length at body offset " + position + " runs past the body's "
                    + bodyLength + " bytes (block and groups take " + position + ")";
            }
            position += VAR_DATA_HEADER_LENGTH + (buffer.getInt(bodyOffset + (int) position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL);
        }
        if (position > bodyLength) {
            return of + "block, groups and variable-length data need " + position + " bytes after the SBE header, the frame has "
                + bodyLength;
        }
        if (position < bodyLength) {
            return of + (bodyLength - position) + " bytes follow the message's end (block, groups and variable-length data take "
                + position + " of the " + bodyLength + " bytes after the SBE header)";
        }
        return of + "fits";
    }

    /**
     * Whether a body that declares {@code actingBlockLength} fills {@code [bodyOffset, bodyOffset + bodyLength)} exactly,
     * its group entries as long as schema version {@code version} has them. Reads only inside that range.
     */
    public boolean fits(final DirectBuffer buffer, final int bodyOffset, final int bodyLength, final int actingBlockLength,
                        final int version) {
        if (actingBlockLength < minBlockLength || actingBlockLength > bodyLength) {
            return false;
        }
        long position = actingBlockLength;
        for (int g = 0; g < groupBlockLengths.length; g++) {
            if (position + GROUP_HEADER_LENGTH > bodyLength) {
                return false;
            }
            final int at = bodyOffset + (int) position;
            final int actingEntryLength = buffer.getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int count = buffer.getShort(at + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            if (actingEntryLength < groupBlockLength(g, version) && count > 0) {
                return false;
            }
            position += GROUP_HEADER_LENGTH + (long) actingEntryLength * count;
        }
        for (int i = 0; i < varDataFields; i++) {
            if (position + VAR_DATA_HEADER_LENGTH > bodyLength) {
                return false;
            }
            final long length = buffer.getInt(bodyOffset + (int) position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
            position += VAR_DATA_HEADER_LENGTH + length;
        }
        return position == bodyLength;
    }
}
