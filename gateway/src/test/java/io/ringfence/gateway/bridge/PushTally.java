package io.ringfence.gateway.bridge;

import io.ringfence.gateway.client.ClientListener;
import io.ringfence.sbe.CatchUpDecoder;
import io.ringfence.sbe.RejectDecoder;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/** Keeps every push a subscriber receives, as bytes in arrival order, and what its catch-ups said. */
final class PushTally implements ClientListener {
    private final List<byte[]> pushes = new ArrayList<>();
    private final List<String> catchUps = new ArrayList<>();
    private final List<String> rejects = new ArrayList<>();

    @Override
    public synchronized void onPush(final int templateId, final DirectBuffer buffer, final int offset, final int length) {
        final byte[] b = new byte[length];
        buffer.getBytes(offset, b);
        pushes.add(b);
    }

    @Override
    public synchronized void onCatchUp(final CatchUpDecoder catchUp) {
        catchUps.add("after " + catchUp.resumeAfterSeq() + " held after " + catchUp.heldAfterSeq() + " through " + catchUp.throughSeq()
                + ": " + catchUp.pushes() + (catchUp.complete() == 1 ? " complete" : " partial"));
    }

    @Override
    public synchronized void onReject(final RejectDecoder reject) {
        rejects.add(reject.codeRaw() + " " + reject.reason());
    }

    synchronized List<byte[]> pushes() {
        return new ArrayList<>(pushes);
    }

    synchronized int count() {
        return pushes.size();
    }

    synchronized List<String> catchUps() {
        return new ArrayList<>(catchUps);
    }

    synchronized List<String> rejects() {
        return new ArrayList<>(rejects);
    }
}
