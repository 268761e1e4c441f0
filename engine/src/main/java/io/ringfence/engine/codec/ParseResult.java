package io.ringfence.engine.codec;

import io.ringfence.sbe.RejectCode;

/**
 * Outcome of {@link JsonEventParser#parse}: the message written, or the reject with its code and a
 * human reason naming the field and the value. One instance is reused line after line.
 */
public final class ParseResult {
    private long line;
    private int templateId;
    private int encodedLength;
    private RejectCode code;
    private String reason;

    /** Whether the last line was refused; then {@link #code()} and {@link #reason()} say why. */
    public boolean isRejected() {
        return code != null;
    }

    /** Line number the caller passed for the last line. */
    public long line() {
        return line;
    }

    /** SBE template id of the message written, or 0 after a reject. */
    public int templateId() {
        return templateId;
    }

    /** Bytes written (message header included), or 0 after a reject. */
    public int encodedLength() {
        return encodedLength;
    }

    /** Reject code, or {@code null} when the line was accepted. */
    public RejectCode code() {
        return code;
    }

    /** Human reason for the reject, or {@code null} when the line was accepted. */
    public String reason() {
        return reason;
    }

    void accepted(final long line, final int templateId, final int encodedLength) {
        this.line = line;
        this.templateId = templateId;
        this.encodedLength = encodedLength;
        this.code = null;
        this.reason = null;
    }

    void rejected(final long line, final RejectCode code, final String reason) {
        this.line = line;
        this.templateId = 0;
        this.encodedLength = 0;
        this.code = code;
        this.reason = reason;
    }

    @Override
    public String toString() {
        return isRejected()
            ? "line " + line + ": " + code + ": " + reason
            : "line " + line + ": template " + templateId + ", " + encodedLength + " bytes";
    }
}
