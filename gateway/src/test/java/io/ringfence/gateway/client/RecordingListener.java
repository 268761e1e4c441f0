package io.ringfence.gateway.client;

import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.fail;

/** Records every callback, for assertions from the test thread. */
final class RecordingListener implements ClientListener {
    static final long WAIT_MILLIS = 5_000;

    /** A disconnect as reported. */
    record Disconnect(ClientDisconnectReason reason, String detail, boolean reconnecting) {
    }

    /** A reject as reported. */
    record Reject(long seq, long clientSeq, RejectCode code, String reason) {
    }

    private final List<Long> decisions = new ArrayList<>();
    private final List<Long> acks = new ArrayList<>();
    private final List<Reject> rejects = new ArrayList<>();
    private final List<Integer> pushes = new ArrayList<>();
    private final AtomicInteger logons = new AtomicInteger();
    private final BlockingQueue<Disconnect> disconnects = new LinkedBlockingQueue<>();
    private volatile String ioThreadName;

    @Override
    public void onLogon(final LogonAckDecoder ack) {
        ioThreadName = Thread.currentThread().getName();
        logons.incrementAndGet();
    }

    @Override
    public synchronized void onDecision(final DecisionDecoder decision) {
        decisions.add(decision.clientSeq());
    }

    @Override
    public synchronized void onAck(final io.ringfence.sbe.AckDecoder ack) {
        acks.add(ack.clientSeq());
    }

    @Override
    public synchronized void onReject(final RejectDecoder reject) {
        rejects.add(new Reject(reject.seq(), reject.clientSeq(), reject.code(), reject.reason()));
    }

    @Override
    public synchronized void onPush(final int templateId, final DirectBuffer buffer, final int offset, final int length) {
        pushes.add(templateId);
    }

    @Override
    public void onDisconnect(final ClientDisconnectReason reason, final String detail, final boolean reconnecting) {
        disconnects.add(new Disconnect(reason, detail, reconnecting));
    }

    synchronized List<Long> decisions() {
        return new ArrayList<>(decisions);
    }

    synchronized List<Long> acks() {
        return new ArrayList<>(acks);
    }

    synchronized List<Reject> rejects() {
        return new ArrayList<>(rejects);
    }

    synchronized List<Integer> pushes() {
        return new ArrayList<>(pushes);
    }

    int logons() {
        return logons.get();
    }

    String ioThreadName() {
        return ioThreadName;
    }

    /** Disconnects reported so far, without waiting. */
    List<Disconnect> disconnectsSoFar() {
        return new ArrayList<>(disconnects);
    }

    /** The next disconnect, waiting at most 5 s. */
    Disconnect nextDisconnect() throws InterruptedException {
        final Disconnect next = disconnects.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (next == null) {
            fail("no disconnect reported within " + WAIT_MILLIS + " ms");
        }
        return next;
    }
}
