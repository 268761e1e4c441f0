package io.ringfence.gateway.client;

import io.ringfence.gateway.ClientSequences;
import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.InboundHandler;
import io.ringfence.gateway.SessionListener;
import io.ringfence.gateway.SubscriptionHandler;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.server.GatewayServer;
import io.ringfence.engine.model.Ids;
import io.ringfence.sbe.DecisionEncoder;
import io.ringfence.sbe.InventoryDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderDecoder;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.PaymentDecoder;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectEncoder;
import io.ringfence.sbe.SubjectKind;
import io.ringfence.sbe.SubscribeDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the engine behind a real {@link GatewayServer}: de-duplicates by (client, clientSeq) the
 * way the engine does, "journals" what it accepts (its {@link ClientSequences} report that), and
 * answers each Order and Payment with a Decision; a duplicate gets the original answer again, a
 * gap a Reject(SEQUENCE_GAP), an Inventory a Reject(BAD_VALUE) (to have an engine reject to
 * correlate). Survives server restarts, like a journal in a data directory.
 */
final class FakeEngine implements InboundHandler, ClientSequences, SubscriptionHandler, SessionListener {
    private static final long SEQ_BASE = 1_000_000;

    private final Map<Long, Long> journaled = new ConcurrentHashMap<>();
    private final List<Long> accepted = new ArrayList<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger gaps = new AtomicInteger();
    private final Set<Long> failOnce = ConcurrentHashMap.newKeySet();
    private final Set<Long> loseOnce = ConcurrentHashMap.newKeySet();
    private final Set<Long> loseAlways = ConcurrentHashMap.newKeySet();
    private final Set<Long> unanswered = ConcurrentHashMap.newKeySet();
    private final AtomicLong engineSeq = new AtomicLong(-1);
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();
    private final BlockingQueue<long[]> subscribes = new LinkedBlockingQueue<>();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[512]);
    private final DecisionEncoder decision = new DecisionEncoder();
    private final io.ringfence.sbe.AckEncoder ack = new io.ringfence.sbe.AckEncoder();
    private final RejectEncoder reject = new RejectEncoder();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final byte[] noId = new byte[Ids.MAX_ID_BYTES];
    private volatile GatewayServer server;
    private volatile RejectCode inventoryCode = RejectCode.BAD_VALUE;
    private volatile boolean inventoryRejectUnsequenced;

    /** Starts (or restarts) the gateway in front of this engine. */
    GatewayServer start(final GatewayConfig config) {
        server = GatewayServer.start(config, (Path) null, new GatewayHandlers(this, this, this, this));
        return server;
    }

    GatewayServer server() {
        return server;
    }

    /** Pretends the journal already holds this client's messages up to {@code clientSeq}. */
    void seed(final String clientId, final long clientSeq) {
        journaled.put(key(clientId), clientSeq);
    }

    /** Throws (the gateway then drops the session) the first time this clientSeq arrives. */
    void failOnce(final long clientSeq) {
        failOnce.add(clientSeq);
    }

    /** Swallows this clientSeq the first time, as if it never reached the journal. */
    void loseOnce(final long clientSeq) {
        loseOnce.add(clientSeq);
    }

    /** Journals these clientSeqs without answering them (an answer lost to a disconnect); a resend is answered. */
    void journalWithoutAnswer(final long... clientSeqs) {
        for (final long clientSeq : clientSeqs) {
            unanswered.add(clientSeq);
        }
    }

    /** Swallows this clientSeq every time (a broken engine). */
    void loseAlways(final long clientSeq) {
        loseAlways.add(clientSeq);
    }

    /**
     * Refuses Inventory with this code and, when {@code unsequenced}, engine sequence -1 (what an
     * engine that has sequenced nothing yet sends).
     */
    void rejectInventoryWith(final RejectCode code, final boolean unsequenced) {
        inventoryCode = code;
        inventoryRejectUnsequenced = unsequenced;
    }

    /** Client sequences accepted ("journaled"), in order. */
    synchronized List<Long> accepted() {
        return new ArrayList<>(accepted);
    }

    int duplicates() {
        return duplicates.get();
    }

    int gaps() {
        return gaps.get();
    }

    /** The live session of a client id, or null. */
    Long session(final String clientId) {
        return sessions.get(clientId);
    }

    /** [sessionId, clientSeq, subscriptionId] of each Subscribe received. */
    BlockingQueue<long[]> subscribes() {
        return subscribes;
    }

    @Override
    public boolean onMessage(final long sessionId, final long clientKey, final int templateId, final long clientSeq,
                             final DirectBuffer buffer, final int offset, final int length) {
        if (failOnce.remove(clientSeq)) {
            throw new IllegalStateException("injected failure at clientSeq " + clientSeq);
        }
        if (loseOnce.remove(clientSeq) || loseAlways.contains(clientSeq)) {
            return true;
        }
        final long last = journaled.getOrDefault(clientKey, 0L);
        if (clientSeq <= last) {
            duplicates.incrementAndGet();
            answer(sessionId, templateId, clientSeq);
            return true;
        }
        if (clientSeq != last + 1) {
            gaps.incrementAndGet();
            reject(sessionId, SEQ_BASE + clientSeq, clientSeq, RejectCode.SEQUENCE_GAP, "expected clientSeq " + (last + 1));
            return true;
        }
        synchronized (this) {
            accepted.add(clientSeq);
        }
        journaled.put(clientKey, clientSeq);
        engineSeq.set(SEQ_BASE + clientSeq);
        if (!unanswered.contains(clientSeq)) {
            answer(sessionId, templateId, clientSeq);
        }
        return true;
    }

    private void answer(final long sessionId, final int templateId, final long clientSeq) {
        if (templateId == OrderDecoder.TEMPLATE_ID || templateId == PaymentDecoder.TEMPLATE_ID) {
            header.wrap(out, 0).blockLength(decision.sbeBlockLength()).templateId(decision.sbeTemplateId())
                .schemaId(decision.sbeSchemaId()).version(decision.sbeSchemaVersion());
            decision.wrap(out, MessageHeaderEncoder.ENCODED_LENGTH)
                .seq(SEQ_BASE + clientSeq)
                .clientSeq(clientSeq)
                .eventTime(1)
                .subjectKind(templateId == OrderDecoder.TEMPLATE_ID ? SubjectKind.ORDER : SubjectKind.PAYMENT)
                .putSubjectId(noId, 0)
                .putUserId(noId, 0)
                .outcome(Outcome.APPROVE)
                .score(0.5)
                .ingestTime(2)
                .reasonsCount(0);
            server.offer(sessionId, out, 0, MessageHeaderEncoder.ENCODED_LENGTH + decision.encodedLength());
        } else if (templateId == InventoryDecoder.TEMPLATE_ID) {
            reject(sessionId, inventoryRejectUnsequenced ? -1 : SEQ_BASE + clientSeq, clientSeq, inventoryCode, "inventory refused");
        } else {
            // like the real engine: an event without a decision is answered with an Ack once journaled
            header.wrap(out, 0).blockLength(ack.sbeBlockLength()).templateId(ack.sbeTemplateId())
                .schemaId(ack.sbeSchemaId()).version(ack.sbeSchemaVersion());
            ack.wrap(out, MessageHeaderEncoder.ENCODED_LENGTH).seq(SEQ_BASE + clientSeq).clientSeq(clientSeq);
            server.offer(sessionId, out, 0, MessageHeaderEncoder.ENCODED_LENGTH + ack.encodedLength());
        }
    }

    private void reject(final long sessionId, final long seq, final long clientSeq, final RejectCode code, final String reason) {
        header.wrap(out, 0).blockLength(reject.sbeBlockLength()).templateId(reject.sbeTemplateId())
            .schemaId(reject.sbeSchemaId()).version(reject.sbeSchemaVersion());
        reject.wrap(out, MessageHeaderEncoder.ENCODED_LENGTH).seq(seq).clientSeq(clientSeq).code(code).reason(reason);
        server.offer(sessionId, out, 0, MessageHeaderEncoder.ENCODED_LENGTH + reject.encodedLength());
    }

    @Override
    public long lastJournaledClientSeq(final long clientKey) {
        return journaled.getOrDefault(clientKey, 0L);
    }

    @Override
    public long lastEngineSequence() {
        return engineSeq.get();
    }

    @Override
    public boolean onSubscribe(final long sessionId, final long clientKey, final long clientSeq,
                               final DirectBuffer buffer, final int offset, final int length) {
        final SubscribeDecoder subscribe = new SubscribeDecoder().wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH,
            SubscribeDecoder.BLOCK_LENGTH, SubscribeDecoder.SCHEMA_VERSION);
        subscribes.add(new long[] {sessionId, clientSeq, subscribe.subscriptionId()});
        return true;
    }

    @Override
    public boolean onUnsubscribe(final long sessionId, final long clientKey, final long clientSeq,
                                 final DirectBuffer buffer, final int offset, final int length) {
        return true;
    }

    @Override
    public void onLogon(final long sessionId, final long clientKey, final String clientId) {
        sessions.put(clientId, sessionId);
    }

    @Override
    public void onDisconnect(final long sessionId, final io.ringfence.gateway.DisconnectReason reason) {
        sessions.values().remove(sessionId);
    }

    static long key(final String clientId) {
        final byte[] bytes = clientId.getBytes(StandardCharsets.UTF_8);
        return Ids.hash(bytes, 0, bytes.length);
    }
}
