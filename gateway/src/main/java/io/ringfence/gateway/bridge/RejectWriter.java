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
    /** Longest reason kept, in chars: up to 3 UTF-8 bytes each (a reason may quote the client's text). */
    private static final int REASON_CHARS = 400;
    /** The longest encoded {@code Reject}. */
    static final int MAX_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + RejectEncoder.BLOCK_LENGTH
            + RejectEncoder.reasonHeaderLength() + 3 * REASON_CHARS;
    private final MutableDirectBuffer scratch = new UnsafeBuffer(new byte[MAX_LENGTH]);
    private final RejectEncoder encoder = new RejectEncoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    /** @return the encoded length; the message is in {@link #buffer()} at offset 0 */
    int encode(final long engineSeq, final long clientSeq, final RejectCode code, final String reason) {
        encoder.wrapAndApplyHeader(scratch, 0, header)
                .seq(engineSeq)
                .clientSeq(clientSeq)
                .code(code)
                .reason(reason.length() > REASON_CHARS ? reason.substring(0, REASON_CHARS) : reason);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    MutableDirectBuffer buffer() {
        return scratch;
    }
}
