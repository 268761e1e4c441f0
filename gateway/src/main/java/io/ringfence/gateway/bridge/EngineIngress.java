package io.ringfence.gateway.bridge;

import io.ringfence.gateway.frame.MessageFingerprint;
import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.gateway.InboundHandler;
import io.ringfence.gateway.SessionOutbound;
import io.ringfence.gateway.SubscriptionHandler;
import io.ringfence.sbe.RejectCode;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The gateway I/O thread's way into the engine: the single publisher of the input ring.
 *
 * <p>Exactly-once submission, per client (DESIGN §7): client sequences must go up by one. The
 * next expected one is validated and published (its engine sequence assigned here, the journal
 * and the answer follow in the pipeline); a sequence up to the last one published is a resend,
 * answered again from the dispatch side's record through a control message, never processed
 * twice (when it is the message journaled under that sequence, by {@link MessageFingerprint}; a
 * different message under a taken sequence is refused with {@code DUPLICATE}); a sequence beyond the next is a gap and is refused with {@code SEQUENCE_GAP}, naming the
 * expected one. An invalid message is refused with a {@code Reject} that goes through the ring
 * (not the journal), so it is answered like any other answer. Refused sequences after the last
 * published one (the refused tail) are not journaled, and the {@code LogonAck} reports only what
 * is journaled: a message under one of them is taken as new (validated again: the same bad
 * message is refused again, a client numbering from the {@code LogonAck} gets its new message
 * processed instead of an old refusal).
 *
 * <p>Back-pressure: when the ring is full nothing is published or counted and {@code false} goes
 * back to the gateway, which stops reading and presents the same message again.
 */
public final class EngineIngress implements InboundHandler, SubscriptionHandler {
    /** Checks a business message before it may be journaled; returns null when it is valid. */
    @FunctionalInterface
    public interface Validator {
        Validator NONE = (buffer, offset, length) -> null;

        /**
         * @return null for a valid message, otherwise the refusal (code and reason)
         */
        Refusal validate(DirectBuffer buffer, int offset, int length);
    }

    /** Why a message was refused. */
    public record Refusal(RejectCode code, String reason) {
    }

    // single-writer counters: the owning thread reads its own field plainly and publishes with a release store
    // (on x86 an ordinary store), so any thread (metrics) reads them whole and fresh with an acquire load
    private static final VarHandle PUBLISHED = field("published", long.class);
    private static final VarHandle DUPLICATES = field("duplicates", long.class);
    private static final VarHandle GAPS = field("gaps", long.class);
    private static final VarHandle REFUSED = field("refused", long.class);

    private final Pipeline pipeline;
    private final ClientDirectory clients;
    private final SessionOutbound outbound;
    private final Validator validator;
    private final RejectWriter rejects = new RejectWriter();
    private final MutableDirectBuffer control = new UnsafeBuffer(new byte[ControlMessage.PAYLOAD_OFFSET + RejectWriter.MAX_LENGTH]);
    /** Closed sessions whose SESSION_CLOSED control message met a full ring; sent before anything else. */
    private final org.agrona.collections.LongArrayList closedPending = new org.agrona.collections.LongArrayList();
    private long published;
    private long duplicates;
    private long gaps;
    private long refused;

    public EngineIngress(final Pipeline pipeline, final ClientDirectory clients, final SessionOutbound outbound,
                         final Validator validator) {
        this.pipeline = pipeline;
        this.clients = clients;
        this.outbound = outbound;
        this.validator = validator;
    }

    @Override
    public boolean onMessage(final long sessionId, final long clientKey, final int templateId, final long clientSeq,
                             final DirectBuffer buffer, final int offset, final int length) {
        if (!flushClosed()) {
            return false;
        }
        final int client = clients.index(clientKey);
        if (client < 0) {
            throw new IllegalStateException("client key " + clientKey + " is not configured");
        }
        final long expected = clients.accounted(client) + 1;
        if (clientSeq < 1) {
            // not a resend of anything: client sequences start at 1 (refused, not accounted, like a gap)
            return refuseGap(sessionId, clientSeq,
                    "clientSeq " + clientSeq + " is not a client sequence: they start at 1; the next expected is " + expected);
        }
        if (clientSeq <= clients.published(client)) {
            final Refusal again = validator.validate(buffer, offset, length);
            if (again != null) {
                // invalid now: a refused message resent (answer its refusal again, also when the answer store lost it: a
                // restart from the journal or a replica's snapshot keeps no refusals), or another message under a
                // journaled sequence, which the dispatch side answers with that sequence's stored answer; the refusal
                // is never stored, so it cannot replace a journaled event's answer
                final int r = rejects.encode(pipeline.lastSequence(), clientSeq, again.code(), again.reason());
                final int n = ControlMessage.write(control, ControlMessage.RESEND_REFUSED,
                    MessageFingerprint.of(buffer, offset, length), rejects.buffer(), 0, r);
                if (!pipeline.tryPublishControl(clientKey, clientSeq, control, 0, n)) {
                    return false;
                }
                DUPLICATES.setRelease(this, duplicates + 1);
                return true;
            }
            // with the message's fingerprint: the dispatch side answers it only if the journaled message under this
            // sequence is the same one (another message under it, e.g. from a second process of the client, is refused)
            final int n = ControlMessage.write(control, ControlMessage.REANSWER, MessageFingerprint.of(buffer, offset, length),
                buffer, offset, 0);
            if (!pipeline.tryPublishControl(clientKey, clientSeq, control, 0, n)) {
                return false;
            }
            DUPLICATES.setRelease(this, duplicates + 1);
            return true;
        }
        if (clientSeq > expected) {
            return refuseGap(sessionId, clientSeq, "clientSeq " + clientSeq + " leaves a gap: the next expected is " + expected);
        }
        final Refusal refusal = validator.validate(buffer, offset, length);
        if (refusal != null) {
            if (!publishRefusal(clientKey, clientSeq, MessageFingerprint.of(buffer, offset, length), refusal)) {
                return false;
            }
            REFUSED.setRelease(this, refused + 1);
            clients.refusedNow(client, clientSeq);
            return true;
        }
        final long ingestMicros = IngestClock.epochMicros();
        if (pipeline.tryPublish(ingestMicros, clientKey, clientSeq, buffer, offset, length) < 0) {
            return false;
        }
        PUBLISHED.setRelease(this, published + 1);
        clients.published(client, clientSeq);
        return true;
    }

    /** A SEQUENCE_GAP refusal straight to the session (not through the ring: it answers no accounted sequence). */
    private boolean refuseGap(final long sessionId, final long clientSeq, final String reason) {
        GAPS.setRelease(this, gaps + 1);
        final int n = rejects.encode(pipeline.lastSequence(), clientSeq, RejectCode.SEQUENCE_GAP, reason);
        outbound.offer(sessionId, rejects.buffer(), 0, n);
        return true;
    }

    /**
     * A refusal through the ring, answered in engine order like any answer, with the refused message's fingerprint (so a
     * different message resent under its sequence is not given this refusal); false when the ring is full.
     */
    private boolean publishRefusal(final long clientKey, final long clientSeq, final long fingerprint, final Refusal refusal) {
        final int n = rejects.encode(pipeline.lastSequence(), clientSeq, refusal.code(), refusal.reason());
        return pipeline.tryPublishReject(clientKey, clientSeq, fingerprint, rejects.buffer(), 0, n);
    }

    @Override
    public int doWork() {
        if (pipeline.failure() != null) {
            return 0;
        }
        try {
            if (!flushClosed()) {
                return 0; // SESSION_CLOSED first (the ring was full when the session closed; review: a quiet server never sent it)
            }
            return pipeline.offerDueSnapshot() ? 1 : 0;
        } catch (final io.ringfence.engine.pipeline.PipelineException e) {
            // the inline layout ran the stages here and one failed: the pipeline holds the failure and the server stops on
            // it, as after a message (not an I/O error of this thread)
            return 0;
        }
    }

    @Override
    public boolean onSubscribe(final long sessionId, final long clientKey, final long clientSeq,
                               final DirectBuffer buffer, final int offset, final int length) {
        return control(ControlMessage.SUBSCRIBE, sessionId, clientSeq, buffer, offset, length);
    }

    @Override
    public boolean onUnsubscribe(final long sessionId, final long clientKey, final long clientSeq,
                                 final DirectBuffer buffer, final int offset, final int length) {
        return control(ControlMessage.UNSUBSCRIBE, sessionId, clientSeq, buffer, offset, length);
    }

    @Override
    public void onSessionClosed(final long sessionId) {
        closedPending.addLong(sessionId);
        if (pipeline.failure() != null) {
            // nothing is dispatched any more, so the dispatch side needs no word of it; throwing here would stop the
            // gateway closing its other sessions and its listening socket (review: the port stayed bound in process)
            closedPending.clear();
            return;
        }
        try {
            flushClosed();
        } catch (final io.ringfence.engine.pipeline.PipelineException e) {
            if (pipeline.failure() == null) {
                throw e;
            }
            // it failed between the check above and the publish (a stage thread; on the inline layout this very
            // message's stages): as above, the session and the others are closed all the same (review of 2026-12-06)
            closedPending.clear();
        }
    }

    private boolean flushClosed() {
        while (!closedPending.isEmpty()) {
            final long sessionId = closedPending.getLong(closedPending.size() - 1);
            final int n = ControlMessage.write(control, ControlMessage.SESSION_CLOSED, control, 0, 0);
            if (!pipeline.tryPublishControl(sessionId, 0, control, 0, n)) {
                return false;
            }
            closedPending.removeAt(closedPending.size() - 1);
        }
        return true;
    }

    private boolean control(final byte kind, final long sessionId, final long clientSeq, final DirectBuffer buffer,
                            final int offset, final int length) {
        if (!flushClosed()) {
            return false;
        }
        final int n = ControlMessage.write(control, kind, buffer, offset, length);
        return pipeline.tryPublishControl(sessionId, clientSeq, control, 0, n);
    }

    /** Events published. Any thread. */
    public long published() {
        return (long) PUBLISHED.getAcquire(this);
    }

    /** Resends of messages already accounted for. */
    public long duplicates() {
        return (long) DUPLICATES.getAcquire(this);
    }

    /** Messages refused for a client sequence gap. */
    public long gaps() {
        return (long) GAPS.getAcquire(this);
    }

    /** Messages refused as invalid. */
    public long refused() {
        return (long) REFUSED.getAcquire(this);
    }

    private static VarHandle field(final String name, final Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(EngineIngress.class, name, type);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
