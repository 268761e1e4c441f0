package io.ringfence.gateway.bridge;

import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectEncoder;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Encodes a {@code Reject} into its own scratch buffer. Used on the refusal path only (the reason
 * is a String), one instance per thread.
 */
final class RejectWriter {
    /** Longest reason kept, in chars (a reason may quote the client's text). */
    static final int REASON_CHARS = 400;
    /**
     * Longest reason kept, in UTF-8 bytes: a refusal travels through the pipeline's ring in a slot of
     * {@code input.maxEventBytes}, at least 1,024 bytes, and 400 chars of quoted non-ASCII text took up to 1,200
     * (review of 2026-12-06: such a refusal stopped the session as if the engine had failed).
     */
    static final int REASON_BYTES = 900;
    /** The longest encoded {@code Reject}. */
    static final int MAX_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + RejectEncoder.BLOCK_LENGTH
            + RejectEncoder.reasonHeaderLength() + REASON_BYTES;
    private final MutableDirectBuffer scratch = new UnsafeBuffer(new byte[MAX_LENGTH]);
    private final RejectEncoder encoder = new RejectEncoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    /** @return the encoded length; the message is in {@link #buffer()} at offset 0 */
    int encode(final long engineSeq, final long clientSeq, final RejectCode code, final String reason) {
        encoder.wrapAndApplyHeader(scratch, 0, header)
                .seq(engineSeq)
                .clientSeq(clientSeq)
                .code(code)
                .reason(fit(reason));
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /** The reason cut to {@link #REASON_CHARS} chars and {@link #REASON_BYTES} UTF-8 bytes, never inside a character. */
    static String fit(final String reason) {
        int bytes = 0;
        int end = 0;
        while (end < reason.length() && end < REASON_CHARS) {
            final int c = reason.codePointAt(end);
            final int n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            final int chars = Character.charCount(c);
            if (bytes + n > REASON_BYTES || end + chars > REASON_CHARS) {
                break;
            }
            bytes += n;
            end += chars;
        }
        return end == reason.length() ? reason : reason.substring(0, end);
    }

    MutableDirectBuffer buffer() {
        return scratch;
    }
}
