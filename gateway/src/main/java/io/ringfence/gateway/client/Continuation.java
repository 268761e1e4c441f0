package io.ringfence.gateway.client;

import java.util.function.LongPredicate;

/**
 * What a client process that goes on with an earlier process's messages knows of them ({@link GatewayClient#logon(String,
 * String, long, long, LongPredicate)}): the first client sequence to send again, the last one it holds an answer for, and
 * which of those answers say the message was journaled (the rest were refusals).
 */
record Continuation(long resendFrom, long answeredThrough, LongPredicate journaledAnswer) {
    /** The schema version whose Logon carries answeredClientSeq. */
    static final int CLAIM_VERSION = 6;

    /** A client that starts after whatever the server journaled. */
    static final Continuation NONE = new Continuation(0, 0, seq -> true);

    /**
     * Where numbering starts after the first LogonAck: after {@code journaled}, or from {@link #resendFrom} when that is
     * earlier (the caller sends those messages again, the same ones, and the engine answers them from its record; at most
     * {@link GatewayClient#ANSWERS_HELD} back); past the refusals this caller holds after {@code journaled} when the
     * server took the Logon's claim (version 6: a server of version 5 or older expects them again), up to the first
     * journaled answer among them (a server that lost what it had journaled: from there everything is sent again).
     */
    long startAfter(final long journaled, final int serverVersion) {
        long start = resendFrom > 0 ? Math.min(journaled, Math.max(resendFrom - 1, journaled - GatewayClient.ANSWERS_HELD)) : journaled;
        if (answeredThrough > journaled && serverVersion >= CLAIM_VERSION) {
            long skip = journaled;
            while (skip < answeredThrough && !journaledAnswer.test(skip + 1)) {
                skip++;
            }
            start = Math.max(start, skip);
        }
        return start;
    }
}
