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
    private final MutableDirectBuffer scratch = new UnsafeBuffer(new byte[1024]);
    private final RejectEncoder encoder = new RejectEncoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    /** @return the encoded length; the message is in {@link #buffer()} at offset 0 */
    int encode(final long engineSeq, final long clientSeq, final RejectCode code, final String reason) {
        encoder.wrapAndApplyHeader(scratch, 0, header)
                .seq(engineSeq)
                .clientSeq(clientSeq)
                .code(code)
                .reason(reason.length() > 400 ? reason.substring(0, 400) : reason);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    MutableDirectBuffer buffer() {
        return scratch;
    }
}
