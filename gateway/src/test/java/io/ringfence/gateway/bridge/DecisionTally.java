package io.ringfence.gateway.bridge;

import io.ringfence.gateway.client.ClientListener;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * Decisions by clientSeq for tests that submit orders 1..N through a resending client: the first
 * decision's bytes per order, every repeat compared with it, the refusals of the orders the test made
 * invalid on purpose (counted per order), and anything else refused. The client's I/O thread writes;
 * read after it stopped.
 */
final class DecisionTally implements ClientListener {
    final byte[][] first;
    final AtomicLong mismatched = new AtomicLong();
    final ConcurrentLinkedQueue<String> rejects = new ConcurrentLinkedQueue<>();
    /** Per order: how often it was refused BAD_VALUE, when the test made it invalid. */
    final int[] refusals;
    private final LongPredicate invalid;
    private long distinct;
    private long duplicates;

    DecisionTally(final int orders) {
        this(orders, seq -> false);
    }

    /** @param invalid the orders the test made invalid: their BAD_VALUE refusals are counted, not listed in {@link #rejects} */
    DecisionTally(final int orders, final LongPredicate invalid) {
        first = new byte[orders + 1][];
        refusals = new int[orders + 1];
        this.invalid = invalid;
    }

    @Override
    public void onDecision(final DecisionDecoder decision) {
        final int seq = (int) decision.clientSeq();
        final int start = decision.offset() - MessageHeaderDecoder.ENCODED_LENGTH;
        final int length = MessageHeaderDecoder.ENCODED_LENGTH + decision.sbeDecodedLength();
        final byte[] bytes = new byte[length];
        decision.buffer().getBytes(start, bytes);
        if (seq < 1 || seq >= first.length) {
            rejects.add("decision for unknown clientSeq " + seq);
        } else if (first[seq] == null) {
            first[seq] = bytes;
            distinct++;
        } else {
            duplicates++;
            if (!Arrays.equals(first[seq], bytes)) {
                mismatched.incrementAndGet();
            }
        }
    }

    @Override
    public void onReject(final RejectDecoder reject) {
        final long seq = reject.clientSeq();
        if (reject.code() == RejectCode.BAD_VALUE && seq >= 1 && seq < refusals.length && invalid.test(seq)) {
            refusals[(int) seq]++;
        } else if (reject.seq() != -1 || seq != 0) {
            rejects.add(reject.code() + " clientSeq " + reject.clientSeq() + ": " + reject.reason());
        }
    }

    long distinct() {
        return distinct;
    }

    long duplicates() {
        return duplicates;
    }
}
