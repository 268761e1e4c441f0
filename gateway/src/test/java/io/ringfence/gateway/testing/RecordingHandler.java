package io.ringfence.gateway.testing;

import io.ringfence.gateway.InboundHandler;
import org.agrona.DirectBuffer;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what the gateway hands on; can refuse a number of calls to simulate a full ring. */
public final class RecordingHandler implements InboundHandler {
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger refusalsLeft = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    @Override
    public boolean onMessage(final long sessionId, final long clientKey, final int templateId, final long clientSeq,
                             final DirectBuffer buffer, final int offset, final int length) {
        if (refusalsLeft.get() > 0) {
            refusalsLeft.decrementAndGet();
            refused.incrementAndGet();
            return false;
        }
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        received.add(new Received(sessionId, clientKey, templateId, clientSeq, copy));
        return true;
    }

    /** The next n calls answer "no capacity". */
    public void refuseNext(final int calls) {
        refusalsLeft.set(calls);
    }

    public int refused() {
        return refused.get();
    }

    /** The next message handed on, waiting at most 5 s; null on timeout. */
    public Received next() throws InterruptedException {
        return received.poll(TestClient.READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    public int pending() {
        return received.size();
    }

    /** One message as the handler saw it. */
    public record Received(long sessionId, long clientKey, int templateId, long clientSeq, byte[] message) {
    }
}
