package io.ringfence.gateway.client;

import io.ringfence.gateway.frame.FrameDecoder;
import io.ringfence.sbe.AckDecoder;
import io.ringfence.sbe.CatchUpDecoder;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.HeartbeatDecoder;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes what the server sends, one frame the {@link FrameDecoder} accepted at a time, hands it
 * to the {@link ClientListener} and tells the connection's owner what it means: a LogonAck, an
 * answer that acknowledges, a session-level Reject, a sequence gap. I/O thread only; reuses its
 * flyweights and allocates nothing except the reason text of a Reject that ends the session.
 *
 * <p>Classification of a {@code Reject}: while logging on it refuses the logon; with
 * {@code seq} -1 and a session code ({@link RejectCodes#isSession}) the gateway is closing the
 * session (it acknowledges nothing);
 * SEQUENCE_GAP acknowledges nothing; any other Reject is the engine's answer and acknowledges its
 * clientSeq. Answers are acknowledged after the listener has seen them.
 */
final class ClientInboundAdapter {
    /** {@code Reject.seq} of a Reject the gateway itself sends (no engine sequence involved). */
    static final long NO_ENGINE_SEQUENCE = -1;

    private static final Logger LOG = LoggerFactory.getLogger(ClientInboundAdapter.class);

    /** What a frame means for the connection; implemented by its owner. */
    interface Session {
        /** Whether the Logon is sent and its answer awaited. */
        boolean loggingOn();

        /** The logon was accepted. */
        void logonAccepted(LogonAckDecoder ack);

        /** The logon was refused. */
        void logonRefused(RejectCode code, String detail, LogonRejectedException error);

        /**
         * An answer for {@code clientSeq}: {@code journaled} for a Decision, an Ack or the engine's reject of a journaled
         * order status change (given once the message is journaled), false for a refusal (never journaled).
         */
        void answered(long clientSeq, boolean journaled);

        /** The gateway refused something and is closing the session. */
        void sessionRejected(RejectCode code, String detail);

        /** The engine reported a gap in this client's sequence at {@code clientSeq}. */
        void sequenceGap(long clientSeq);

        /**
         * A push of engine sequence {@code seq} arrived (before the listener sees it).
         *
         * @return false for a repeat of one that arrived before a resume: the listener does not see it
         */
        boolean pushed(long seq, DirectBuffer buffer, int offset, int length);

        /** The server answered a resume (before the listener sees it, so its counts include it). */
        void caughtUp(CatchUpDecoder catchUp);
    }

    private final ClientListener listener;
    private final String clientId;
    private final LogonAckDecoder logonAck = new LogonAckDecoder();
    private final DecisionDecoder decision = new DecisionDecoder();
    private final RejectDecoder reject = new RejectDecoder();
    private final AckDecoder ack = new AckDecoder();
    private final CatchUpDecoder catchUp = new CatchUpDecoder();

    ClientInboundAdapter(final ClientListener listener, final String clientId) {
        this.listener = listener;
        this.clientId = clientId;
    }

    /** Handles the frame {@code frame} has just accepted in {@code buffer}. */
    void onFrame(final Session session, final DirectBuffer buffer, final FrameDecoder frame) {
        final int templateId = frame.templateId();
        final int offset = frame.messageOffset();
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (templateId) {
            case HeartbeatDecoder.TEMPLATE_ID:
                return;
            case LogonAckDecoder.TEMPLATE_ID:
                if (session.loggingOn()) {
                    session.logonAccepted(logonAck.wrap(buffer, bodyOffset, frame.blockLength(), frame.version()));
                } else {
                    LOG.warn("client '{}': LogonAck while not logging on, ignored", clientId);
                }
                return;
            case DecisionDecoder.TEMPLATE_ID:
                decision.wrap(buffer, bodyOffset, frame.blockLength(), frame.version());
                final long decided = decision.clientSeq();
                try {
                    listener.onDecision(decision);
                } catch (final RuntimeException | AssertionError e) {
                    LOG.warn("client listener onDecision failed", e);
                }
                session.answered(decided, true);
                return;
            case RejectDecoder.TEMPLATE_ID:
                reject.wrap(buffer, bodyOffset, frame.blockLength(), frame.version());
                onReject(session);
                return;
            case AckDecoder.TEMPLATE_ID:
                // an event without a decision (order status, inventory, activity) was journaled
                ack.wrap(buffer, bodyOffset, frame.blockLength(), frame.version());
                final long acked = ack.clientSeq();
                try {
                    listener.onAck(ack);
                } catch (final RuntimeException | AssertionError e) {
                    LOG.warn("client listener onAck failed", e);
                }
                session.answered(acked, true);
                return;
            case CatchUpDecoder.TEMPLATE_ID:
                catchUp.wrap(buffer, bodyOffset, frame.blockLength(), frame.version());
                // counted first, so a listener told of it reads counts that include it (a test woken by the last round
                // read caughtUpPushes 70 short under CI load)
                session.caughtUp(catchUp);
                try {
                    listener.onCatchUp(catchUp);
                } catch (final RuntimeException | AssertionError e) {
                    LOG.warn("client listener onCatchUp failed", e);
                }
                return;
            default:
                // every push starts with its engine sequence
                if (!session.pushed(buffer.getLong(bodyOffset, java.nio.ByteOrder.LITTLE_ENDIAN), buffer, offset, frame.messageLength())) {
                    return;
                }
                try {
                    listener.onPush(templateId, buffer, offset, frame.messageLength());
                } catch (final RuntimeException | AssertionError e) {
                    LOG.warn("client listener onPush failed", e);
                }
        }
    }

    private void onReject(final Session session) {
        final long seq = reject.seq();
        final long clientSeq = reject.clientSeq();
        final RejectCode code = RejectCodes.of(reject.codeRaw());
        if (session.loggingOn()) {
            final String reason = reject.reason();
            session.logonRefused(code, describe(code) + ": " + reason, new LogonRejectedException(clientId, code, reason));
            return;
        }
        if (seq == NO_ENGINE_SEQUENCE && RejectCodes.isSession(code, clientSeq)) {
            final String reason = reject.reason();
            reject.sbeRewind();
            deliverReject();
            session.sessionRejected(code, code + ": " + reason + " (clientSeq " + clientSeq + ")");
            return;
        }
        deliverReject();
        if (code == RejectCode.SEQUENCE_GAP) {
            session.sequenceGap(clientSeq);
        } else {
            // the engine's own rejects answer journaled order status changes; the others refuse what was never journaled
            session.answered(clientSeq, code == RejectCode.INVALID_TRANSITION || code == RejectCode.UNKNOWN_ORDER);
        }
    }

    private String describe(final RejectCode code) {
        return code != null ? code.name() : "reject code " + reject.codeRaw();
    }

    private void deliverReject() {
        try {
            listener.onReject(reject);
        } catch (final RuntimeException | AssertionError e) {
            LOG.warn("client listener onReject failed", e);
        }
    }
}
