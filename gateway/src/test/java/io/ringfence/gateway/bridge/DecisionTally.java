package io.ringfence.gateway.bridge;

import io.ringfence.gateway.client.ClientListener;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.RejectDecoder;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decisions by clientSeq for tests that submit orders 1..N through a resending client: the first
 * decision's bytes per order, every repeat compared with it, and anything refused. The client's
 * I/O thread writes; read after it stopped.
 */
final class DecisionTally implements ClientListener {
    final byte[][] first;
    final AtomicLong mismatched = new AtomicLong();
    final ConcurrentLinkedQueue<String> rejects = new ConcurrentLinkedQueue<>();
    private long distinct;
    private long duplicates;

    DecisionTally(final int orders) {
        first = new byte[orders + 1][];
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
        if (reject.seq() != -1 || reject.clientSeq() != 0) {
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
