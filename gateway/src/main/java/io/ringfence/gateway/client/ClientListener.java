package io.ringfence.gateway.client;

import io.ringfence.sbe.AckDecoder;
import io.ringfence.sbe.CatchUpDecoder;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.RejectDecoder;
import org.agrona.DirectBuffer;

/**
 * What the client tells the application. Every method defaults to doing nothing.
 *
 * <h2>Threading and lifetime</h2>
 * <ul>
 *   <li>Every callback runs on the client's own I/O thread ({@code ringfence-client-<clientId>}),
 *       one at a time, in the order the server sent the messages. While a callback runs, the
 *       client neither reads nor writes: keep callbacks short and never block in them.</li>
 *   <li>The decoders and buffers passed in are flyweights over the receive buffer, valid only
 *       during the call: copy what must be kept.</li>
 *   <li>A callback may call {@link GatewayClient#send} (it never blocks on the I/O thread: the
 *       timed variant behaves like the non-blocking one there), but not {@link GatewayClient#close()}
 *       or {@link GatewayClient#awaitAcknowledged}.</li>
 *   <li>An exception or assertion failure thrown by a callback is logged and otherwise ignored. Any
 *       other {@link Error} stops the client (its I/O thread cannot be trusted after it): the listener
 *       gets {@link ClientDisconnectReason#CLIENT_ERROR}, {@code send} returns
 *       {@link GatewayClient#CLOSED}.</li>
 * </ul>
 */
public interface ClientListener {
    /** Does nothing. */
    ClientListener NONE = new ClientListener() {
    };

    /**
     * A logon, the first or after a reconnect, was accepted. Messages kept for resend are
     * written right after this returns, before any message sent later.
     */
    default void onLogon(final LogonAckDecoder ack) {
    }

    /**
     * The engine's answer to an Order or Payment; {@code decision.clientSeq()} is what {@code send} returned. After a
     * reconnect an answer can come twice (to the message the lost connection sent, and to its resend, answered again
     * from the engine's record, byte for byte): key what you keep by {@code clientSeq}. The same holds for
     * {@link #onAck} and for an engine's {@link #onReject}.
     */
    default void onDecision(final DecisionDecoder decision) {
    }

    /**
     * The answer to an OrderStatus, Inventory or Activity: journaled, no decision to make.
     * {@code ack.clientSeq()} is what {@code send} returned, {@code ack.seq()} its engine sequence.
     */
    default void onAck(final AckDecoder ack) {
    }

    /**
     * A message was refused: by the engine ({@code reject.seq()} an engine sequence; the message
     * counts as answered) or by the gateway before it closes the session ({@code reject.seq()} is
     * -1; the client then reconnects unless the code makes that pointless). A newer server may use
     * a code this codec does not know: read {@code reject.codeRaw()} rather than {@code code()},
     * which throws for unknown values.
     */
    default void onReject(final RejectDecoder reject) {
    }

    /**
     * A push: {@code OrderStatusPush}, {@code StockPush}, {@code FraudAlert}, {@code WindowResult},
     * {@code AnomalyAlert} or {@code TrendingPush}.
     *
     * @param templateId the SBE template id (22-27), to pick the decoder
     * @param buffer     holds the SBE message
     * @param offset     where its 8-byte message header starts
     * @param length     message header plus body
     */
    default void onPush(final int templateId, final DirectBuffer buffer, final int offset, final int length) {
    }

    /**
     * The server's answer to a resume: after a reconnect the client subscribes again saying which pushes it has
     * seen, and the server sends the ones it missed (before this call, through {@link #onPush}) from the pushes
     * it holds ({@code gateway.pushHistoryBytes}). {@code catchUp.pushes()} were caught up; when
     * {@code catchUp.heldAfterSeq() >= catchUp.resumeAfterSeq()} pushes of the engine sequences from resumeAfterSeq
     * (those not yet received) up to heldAfterSeq were no longer held: any of this client's among them are lost to
     * it (the journal has their causes: {@code replay} renders them). {@code complete() == 0}: more follow (the client asks for them
     * by itself). Also unasked, with {@code resumeAfterSeq() == 0}, {@code heldAfterSeq() == -1} (nothing lost by it),
     * {@code pushes() == 0} and {@code complete() == 0}: a push
     * found the server's buffer for this session full (the client reads too slowly for a burst), and rather than drop the
     * session the server stopped its live pushes; the client resumes from what arrived and is caught up from the history.
     */
    default void onCatchUp(final CatchUpDecoder catchUp) {
    }

    /**
     * The connection ended or the client gave up.
     *
     * @param reason       why
     * @param detail       a human-readable detail (the server's reject code and reason, the socket error...)
     * @param reconnecting {@code true} when the client will reconnect and resend by itself;
     *                     {@code false} when it has stopped for good (closed, or a fatal reason)
     */
    default void onDisconnect(final ClientDisconnectReason reason, final String detail, final boolean reconnecting) {
    }
}
