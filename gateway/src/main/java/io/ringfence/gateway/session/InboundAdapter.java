package io.ringfence.gateway.session;

import io.ringfence.gateway.ClientSequences;
import io.ringfence.gateway.DisconnectReason;
import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.GatewayCounters;
import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.ThrottledWarning;
import io.ringfence.gateway.frame.FrameDecoder;
import io.ringfence.sbe.HeartbeatDecoder;
import io.ringfence.sbe.LogonDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.SubscribeDecoder;
import io.ringfence.sbe.UnsubscribeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The session protocol for one decoded frame: Logon first (throttle of the client id bytes
 * presented from this address, configured or not, credentials, one live session per client), then each message checked
 * against the session's roles and handed to the application, or a reason to disconnect. I/O
 * thread only.
 *
 * <p>A second Logon of a client id that already has a live session is refused and the
 * newcomer disconnected ({@link DisconnectReason#DUPLICATE_LOGON}); the live session is left
 * alone. Replacing it instead would let anyone holding a leaked secret silently take over a
 * working session; the cost of refusing is that a client whose old connection died unnoticed
 * waits until the server notices (end of stream, a reset, or at worst the idle timeout) before
 * it can log on again. This follows FIX practice for duplicate logons.
 */
public final class InboundAdapter {
    /** {@link #onFrame} result: the frame is dealt with; consume it. */
    public static final int CONSUMED = 0;
    /** {@link #onFrame} result: the application has no capacity; keep the frame and retry later. */
    public static final int BACK_PRESSURED = 1;
    /** {@link #onFrame} result: the session must end, see {@link Session#disconnectReason()}. */
    public static final int DISCONNECT = 2;

    /** Longest secret looked at; anything longer cannot match a configured one and is not copied. */
    static final int MAX_SECRET_BYTES = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(InboundAdapter.class);
    private static final int CLIENT_SEQ_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH;

    private final ClientRegistry clients;
    private final LogonThrottle throttle;
    private final GatewayHandlers handlers;
    private final GatewayCounters counters;
    private final ReplyPublisher replies;
    private final int heartbeatMillis;
    private final EpochClock clock;
    private final Session[] liveByClient;
    private final LogonDecoder logon = new LogonDecoder();
    private final byte[] clientIdBytes = new byte[LogonDecoder.clientIdLength()];
    /**
     * Failed and throttled logons are warned of once per 10 s each per configured client id, and once per 10 s for all
     * the ids no client has, with the count kept quiet since (security trial: a guessing client wrote 4 MB of log in 5 s,
     * a line per try, about 3 GB an hour; review: one warning for all ids let a scanner's line hide that a configured
     * client's logons failed). The last of each array is the unknown ids'.
     */
    private final ThrottledWarning[] failedWarnings;
    private final ThrottledWarning[] throttledWarnings;
    /**
     * Logons refused because the client already has a live session, warned of once per 10 s per client id: a client
     * that waits for its other session to end tries every 250 ms ({@code load}/{@code subscribe} within
     * --wait-for-server; review: ~120 WARN lines for one 30 s wait).
     */
    private final ThrottledWarning[] duplicateWarnings;

    public InboundAdapter(final ClientRegistry clients, final LogonThrottle throttle, final GatewayHandlers handlers,
                          final GatewayCounters counters, final ReplyPublisher replies, final int heartbeatMillis,
                          final EpochClock clock) {
        this.clients = clients;
        this.failedWarnings = warnings(clients.size() + 1);
        this.throttledWarnings = warnings(clients.size() + 1);
        this.duplicateWarnings = warnings(clients.size() + 1);
        this.throttle = throttle;
        this.handlers = handlers;
        this.counters = counters;
        this.replies = replies;
        this.heartbeatMillis = heartbeatMillis;
        this.clock = clock;
        this.liveByClient = new Session[clients.size()];
    }

    /**
     * Handles the frame the decoder has just accepted.
     *
     * @return {@link #CONSUMED}, {@link #BACK_PRESSURED} or {@link #DISCONNECT}
     */
    public int onFrame(final Session session, final DirectBuffer buffer, final FrameDecoder frame) {
        final int templateId = frame.templateId();
        final int offset = frame.messageOffset();
        final int length = frame.messageLength();
        final long clientSeq = templateId == HeartbeatDecoder.TEMPLATE_ID
            ? 0 : buffer.getLong(offset + CLIENT_SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN);

        if (session.state() != SessionState.ACTIVE) {
            if (templateId != LogonDecoder.TEMPLATE_ID) {
                counters.increment(GatewayCounter.NOT_LOGGED_ON);
                return disconnect(session, DisconnectReason.NOT_LOGGED_ON, clientSeq);
            }
            return onLogon(session, buffer, frame, clientSeq, clock.time());
        }
        if (templateId == LogonDecoder.TEMPLATE_ID) {
            // a Logon on a session already logged on: "only the first" message is one (it used to be told that its
            // client already had a live session, as if another connection held it)
            counters.increment(GatewayCounter.NOT_LOGGED_ON);
            return disconnect(session, DisconnectReason.NOT_LOGGED_ON, clientSeq);
        }
        final Client client = session.client();
        if (!Permissions.allows(client.roles(), templateId)) {
            counters.increment(GatewayCounter.NOT_AUTHORIZED);
            return disconnect(session, DisconnectReason.NOT_AUTHORIZED, clientSeq);
        }
        if (templateId == HeartbeatDecoder.TEMPLATE_ID) {
            return CONSUMED;
        }
        final boolean accepted;
        try {
            if (templateId == SubscribeDecoder.TEMPLATE_ID) {
                accepted = handlers.subscriptions().onSubscribe(session.id(), client.key(), clientSeq, buffer, offset, length);
            } else if (templateId == UnsubscribeDecoder.TEMPLATE_ID) {
                accepted = handlers.subscriptions().onUnsubscribe(session.id(), client.key(), clientSeq, buffer, offset, length);
            } else {
                accepted = handlers.inbound().onMessage(session.id(), client.key(), templateId, clientSeq, buffer, offset, length);
            }
        } catch (final RuntimeException e) {
            counters.increment(GatewayCounter.HANDLER_ERRORS);
            if (e instanceof io.ringfence.engine.pipeline.PipelineException) {
                // the pipeline has stopped and logged why, with its trace where it is a defect (operator audit: the disk
                // reserve's stop printed its cause twice, with two stack traces)
                LOG.error("{}: the engine has stopped, message template {} clientSeq {} not taken: {}", session, templateId, clientSeq,
                    e.getMessage());
            } else {
                LOG.error("{}: handler failed on template {} clientSeq {}", session, templateId, clientSeq, e);
            }
            return disconnect(session, DisconnectReason.HANDLER_ERROR, clientSeq);
        }
        return accepted ? CONSUMED : BACK_PRESSURED;
    }

    /** Releases the client's live-session mark when its session ends. */
    public void onClosed(final Session session) {
        final Client client = session.client();
        if (client != null && liveByClient[client.index()] == session) {
            liveByClient[client.index()] = null;
        }
    }

    private static ThrottledWarning[] warnings(final int n) {
        final ThrottledWarning[] warnings = new ThrottledWarning[n];
        for (int i = 0; i < n; i++) {
            warnings[i] = new ThrottledWarning(10_000_000_000L);
        }
        return warnings;
    }

    /** The warning of failures of {@code clientId}: its client's, or the one of all ids no client has (padded false: no client's). */
    private ThrottledWarning warningOf(final ThrottledWarning[] warnings, final String clientId, final boolean padded) {
        // an id with bytes after its NUL is no client's, though it decodes as one (review: "warehouse\0x" used
        // warehouse's warning, and its real failures went unnamed for 10 s)
        final Client client = padded ? clients.find(clientId) : null;
        return warnings[client == null ? warnings.length - 1 : client.index()];
    }

    /** What a throttled warning adds about the occurrences it kept quiet since its last line. */
    private String quietSince(final ThrottledWarning warning, final ThrottledWarning[] warnings, final String metric) {
        final long quiet = warning.quietSinceLast();
        final boolean unknown = warning == warnings[warnings.length - 1];
        return quiet == 0 ? "" : "; " + quiet + " more " + (unknown ? "of ids no client has" : "of this client id")
            + " since the last such line (said at most every 10 s " + (unknown ? "for all ids no client has" : "per client id")
            + "; counted in " + metric + ")";
    }

    private int onLogon(final Session session, final DirectBuffer buffer, final FrameDecoder frame,
                        final long clientSeq, final long nowMillis) {
        logon.wrap(buffer, frame.messageOffset() + MessageHeaderDecoder.ENCODED_LENGTH, frame.blockLength(), frame.version());
        logon.getClientId(clientIdBytes, 0);
        final String clientId = new String(clientIdBytes, 0, idLength(clientIdBytes), StandardCharsets.UTF_8);
        // an id with bytes hidden after its NUL is no client's (a re-trial logged on as 'shop-1' with "shop-1\0garbage")
        final boolean padded = nulPaddedAfter(clientIdBytes, idLength(clientIdBytes));
        // failures count per (address, id bytes presented), for any id, configured or not: the throttle never asks the
        // registry, so THROTTLED cannot tell configured ids from unknown ones (as BAD_CREDENTIALS cannot), and one client
        // failing from a proxy's address does not lock the other clients behind it out (integrator trial); an address
        // failing with more ids than LogonThrottle's per-address cap is throttled as a whole
        if (throttle.isThrottled(session.remoteAddress(), clientIdBytes, nowMillis)) {
            counters.increment(GatewayCounter.LOGONS_THROTTLED);
            final long now = System.nanoTime();
            final ThrottledWarning throttledWarning = warningOf(throttledWarnings, clientId, padded);
            if (throttledWarning.occurred(now)) {
                LOG.warn("{}: logon refused for client id '{}', too many recent failed logons {}{}", session, printable(clientId),
                    throttle.isAddressThrottled(session.remoteAddress(), nowMillis)
                        ? "with too many different client ids from this address" : "of this client id from this address",
                    quietSince(throttledWarning, throttledWarnings, "ringfence_gateway_logons_throttled_total"));
                throttledWarning.logged(now);
            }
            return disconnect(session, DisconnectReason.THROTTLED, clientSeq);
        }
        final int secretLength = logon.secretLength();
        Client client = null;
        if (secretLength <= MAX_SECRET_BYTES && padded) {
            final byte[] secret = new byte[secretLength];
            logon.getSecret(secret, 0, secretLength);
            client = clients.authenticate(clientId, secret);
            Arrays.fill(secret, (byte) 0);
        }
        if (client == null) {
            throttle.onFailure(session.remoteAddress(), clientIdBytes, nowMillis);
            counters.increment(GatewayCounter.LOGONS_FAILED);
            final long now = System.nanoTime();
            final ThrottledWarning failedWarning = warningOf(failedWarnings, clientId, padded);
            if (failedWarning.occurred(now)) {
                LOG.warn("{}: logon refused for client id '{}': {}{}", session, printable(clientId),
                    padded ? "unknown client or wrong secret" : "bytes follow the NUL that ends the id (pad it with NUL bytes only)",
                    quietSince(failedWarning, failedWarnings, "ringfence_gateway_logons_failed_total"));
                failedWarning.logged(now);
            }
            return disconnect(session, DisconnectReason.BAD_CREDENTIALS, clientSeq);
        }
        throttle.onSuccess(session.remoteAddress(), clientIdBytes);
        if (liveByClient[client.index()] != null) {
            counters.increment(GatewayCounter.LOGONS_DUPLICATE);
            final long now = System.nanoTime();
            final ThrottledWarning duplicateWarning = duplicateWarnings[client.index()];
            if (duplicateWarning.occurred(now)) {
                LOG.warn("{}: logon refused for client '{}': it already has {}{}", session, client.id(),
                    liveByClient[client.index()], quietSince(duplicateWarning, duplicateWarnings,
                        "ringfence_gateway_logons_duplicate_total"));
                duplicateWarning.logged(now);
            }
            return disconnect(session, DisconnectReason.DUPLICATE_LOGON, clientSeq);
        }
        liveByClient[client.index()] = session;
        session.loggedOn(client);
        final long answered = logon.answeredClientSeq(); // null (Long.MIN_VALUE) from a version 1-5 client
        if (answered > 0) {
            final long forgotten = handlers.sequences().answeredByClient(client.key(), answered);
            if (forgotten == ClientSequences.IGNORED_CLAIM) {
                LOG.warn("{}: client '{}' says it holds answers up to clientSeq {}, past what this server accounts for, which"
                    + " has forgotten nothing of it since it started (or the number is too large): not taken; a message"
                    + " after the last it accounts for is expected next", session, client.id(), answered);
            } else if (forgotten > 0) {
                LOG.info("{}: client '{}' holds answers up to clientSeq {}: the {} after the last this server accounts for were"
                    + " refused before it restarted (refusals are not journaled) and count as refused; clientSeq {} is expected"
                    + " next", session, client.id(), answered, forgotten, answered + 1);
            }
        }
        final long journaled = handlers.sequences().lastJournaledClientSeq(client.key());
        replies.logonAck(session.outbound(), client, journaled, handlers.sequences().journaledFingerprint(client.key(), journaled),
            heartbeatMillis, handlers.sequences().lastEngineSequence());
        counters.increment(GatewayCounter.LOGONS_OK);
        LOG.info("{}: logged on", session);
        handlers.sessions().onLogon(session.id(), client.key(), client.id());
        return CONSUMED;
    }

    private static int disconnect(final Session session, final DisconnectReason reason, final long clientSeq) {
        session.disconnect(reason, clientSeq);
        return DISCONNECT;
    }

    private static boolean nulPaddedAfter(final byte[] id, final int length) {
        for (int i = length; i < id.length; i++) {
            if (id[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int idLength(final byte[] id) {
        int length = 0;
        while (length < id.length && id[length] != 0) {
            length++;
        }
        return length;
    }

    /** The id with control characters replaced, safe to put in a log line. */
    private static String printable(final String id) {
        final StringBuilder text = new StringBuilder(id.length());
        for (int i = 0; i < id.length(); i++) {
            final char c = id.charAt(i);
            text.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return text.toString();
    }
}
