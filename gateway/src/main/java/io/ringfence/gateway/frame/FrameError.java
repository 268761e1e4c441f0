package io.ringfence.gateway.frame;

import io.ringfence.sbe.RejectCode;

/**
 * Why a frame was refused, as classified by {@link FrameDecoder}; each kind maps to the
 * {@link RejectCode} the peer is told before it is disconnected. After any of these the byte
 * stream cannot be trusted to be in step with frame boundaries, so the session ends.
 */
public enum FrameError {
    /** Message length zero or below the SOFH plus SBE header size. */
    BAD_LENGTH(RejectCode.BAD_FRAME, "frame length is below the 14-byte minimum"),
    /** Message length above the configured maximum frame size (a uint32: 2^31 and more included). */
    TOO_LARGE(RejectCode.TOO_LARGE, "frame length is above the maximum frame size"),
    /** SOFH encoding type other than SBE 1.0 little-endian (0xEB50). */
    BAD_ENCODING_TYPE(RejectCode.BAD_FRAME, "SOFH encoding type is not 0xEB50 (SBE 1.0 little-endian)"),
    /** SBE schema id other than the ringfence schema. */
    UNKNOWN_SCHEMA(RejectCode.UNKNOWN_SCHEMA, "SBE schema id is not the ringfence schema"),
    /** SBE schema version newer than this codec understands. */
    UNSUPPORTED_VERSION(RejectCode.UNSUPPORTED_VERSION, "SBE schema version is newer than the server's"),
    /** A template id this side does not accept. */
    UNKNOWN_TEMPLATE(RejectCode.UNKNOWN_TEMPLATE, "SBE template id is not accepted here"),
    /** Block length, groups and var data do not add up to the frame length. */
    BODY_LENGTH_MISMATCH(RejectCode.BAD_FRAME, "block length, groups and var data do not match the frame length");

    private static final FrameError[] VALUES = values();

    private final RejectCode rejectCode;
    private final String reason;

    FrameError(final RejectCode rejectCode, final String reason) {
        this.rejectCode = rejectCode;
        this.reason = reason;
    }

    /** The code the peer is told. */
    public RejectCode rejectCode() {
        return rejectCode;
    }

    /** A short human reason, sent in the {@code Reject} and logged on disconnect, followed by what was seen ({@link FrameDecoder#explain}). */
    public String reason() {
        return reason;
    }

    /** The negative result {@link FrameDecoder#decode} returns for this error. */
    public int code() {
        return -(ordinal() + 1);
    }

    /** The error of a negative {@link FrameDecoder#decode} result. */
    public static FrameError ofCode(final int code) {
        return VALUES[-code - 1];
    }
}
