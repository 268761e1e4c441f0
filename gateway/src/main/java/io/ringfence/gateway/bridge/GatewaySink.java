package io.ringfence.gateway.bridge;

import io.ringfence.gateway.frame.MessageFingerprint;
import io.ringfence.engine.pipeline.StatefulSink;
import io.ringfence.engine.snapshot.SnapshotFormatException;
import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import io.ringfence.gateway.session.Client;
import io.ringfence.gateway.SessionOutbound;
import io.ringfence.sbe.AckEncoder;
import io.ringfence.sbe.CatchUpEncoder;
import io.ringfence.sbe.DecisionDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.OnOverflow;
import io.ringfence.sbe.RejectCode;
import io.ringfence.sbe.RejectDecoder;
import io.ringfence.sbe.SubscribeDecoder;
import io.ringfence.sbe.UnsubscribeDecoder;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The dispatch stage's end of the gateway: every output of the engine, in engine order, goes
 * where it belongs. A {@code Decision} or {@code Reject} answers the client that sent the event
 * (its live session, if any) and is kept in that client's {@link AnswerStore}; an event with
 * neither (an order status, inventory move or activity) is answered with an {@code Ack} once
 * journaled, so every business message gets exactly one answer; a push goes to the
 * sessions subscribed to it ({@link Subscriptions}); control messages from the I/O thread
 * (subscribe, unsubscribe, session closed, re-answer a resend) are applied here, in order with
 * the outputs. Dispatch thread only; nothing here blocks or allocates per message.
 *
 * <p>During recovery ({@link #live(SessionOutbound)} not yet called) it only rebuilds: answers
 * and journaled client sequences are recorded, nothing is sent.
 */
public final class GatewaySink implements StatefulSink {
    /** Answers to control messages in the instant before {@link #live} are dropped; the state they change is kept. */
    private static final SessionOutbound NOT_YET_LIVE = (sessionId, buffer, offset, length) -> false;

    private static final Logger LOG = LoggerFactory.getLogger(GatewaySink.class);
    /** A snapshot section without the push history (written before it existed): read, the history starts empty. */
    private static final int MARKER_WITHOUT_HISTORY = 0x47415445; // "GATE"
    /** A snapshot section with the push history but without the answers' fingerprints: read, the fingerprints unknown. */
    private static final int MARKER_WITHOUT_FINGERPRINTS = 0x47415433; // "GAT3"
    private static final int MARKER = 0x47415434; // "GAT4": with the last event dispatched, the push history, fingerprints
    /** What a push costs in a session's outbound ring beyond its bytes: SOFH header, record header, alignment. */
    private static final int FRAME_OVERHEAD = 24;

    // single-writer counters: the owning thread reads its own field plainly and publishes with a release store
    // (on x86 an ordinary store), so any thread (metrics) reads them whole and fresh with an acquire load
    private static final VarHandle ANSWERS_SENT = field("answersSent", long.class);
    private static final VarHandle ANSWERS_UNROUTED = field("answersUnrouted", long.class);
    private static final VarHandle REANSWERED = field("reanswered", long.class);
    private static final VarHandle CONFLICTS = field("conflicts", long.class);
    private static final VarHandle CAUGHT_UP = field("caughtUp", long.class);
    private static final VarHandle GAPS = field("gaps", long.class);
    private static final VarHandle HELD = field("held", int.class);
    private static final VarHandle OVERFLOW_CATCH_UPS = field("overflowCatchUps", long.class);

    private final ClientDirectory clients;
    private final AnswerStore[] answers;
    /** Per client: the last client sequence dispatched (hence journaled), as of the last dispatched event. */
    private final long[] dispatchedSeq;
    private final Subscriptions subscriptions;
    private final PushHistory history;
    /** Most bytes of pushes one catch-up round queues for a session; the client asks again for the rest. */
    private final int catchUpBudget;
    private final CatchUpEncoder catchUpEncoder = new CatchUpEncoder();
    private final org.agrona.MutableDirectBuffer catchUpBuffer = new org.agrona.concurrent.UnsafeBuffer(new byte[64]);
    private final MessageHeaderDecoder historyHeader = new MessageHeaderDecoder();
    /** The last event dispatched (kept in snapshots), -1 before any. */
    private long lastDispatched = -1;
    /** Restored from a snapshot written without a history, and no event since: what was pushed before is unknown. */
    private boolean historyUnknown;
    /** Resumes that came before live(): (session, subscription id, after, skip) each. Rare: allocates. */
    private final org.agrona.collections.LongArrayList pendingResumes = new org.agrona.collections.LongArrayList();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final SubscribeDecoder subscribe = new SubscribeDecoder();
    private final ResumeOrder resumeOrder = new ResumeOrder();
    private final UnsubscribeDecoder unsubscribe = new UnsubscribeDecoder();
    private final RejectWriter rejects = new RejectWriter();
    private final DispatchMetrics metrics = new DispatchMetrics();
    private final AckEncoder ackEncoder = new AckEncoder();
    private final MessageHeaderEncoder ackHeader = new MessageHeaderEncoder();
    private final org.agrona.MutableDirectBuffer ackBuffer = new org.agrona.concurrent.UnsafeBuffer(new byte[64]);
    private volatile SessionOutbound outbound;
    /** Where each answer is kept before it is sent ({@link #keepAnswersIn}), or null. */
    private AnswerLog answerLog;
    private long answersSent;
    private long answersUnrouted;
    private long reanswered;
    private long conflicts;
    private long caughtUp;
    private long gaps;
    private long overflowCatchUps;
    private int held;
    /** Stage times of the event being dispatched (metrics only), set by {@link #onStageTimes}. */
    private long receivedNanos;
    private long journalStartNanos;
    private long journaledNanos;
    private long decidedNanos;

    public GatewaySink(final ClientDirectory clients, final int maxSubscriptions) {
        this(clients, maxSubscriptions, PushWindows.ANY, 1 << 20, 1 << 19);
    }

    /**
     * @param windows          the window names WINDOW subscriptions may name (the others are refused)
     * @param pushHistoryBytes the newest pushes kept for catch-ups ({@link PushHistory}); 0 for none; never grows
     * @param catchUpBudget    most bytes of pushes a catch-up queues for a session in one go (its outbound buffer must
     *                         take them on top of what else waits there)
     */
    GatewaySink(final ClientDirectory clients, final int maxSubscriptions, final PushWindows windows,
                final int pushHistoryBytes, final int catchUpBudget) {
        this(clients, maxSubscriptions, windows, new PushHistory(pushHistoryBytes), catchUpBudget);
    }

    /**
     * @param history       the newest pushes kept for catch-ups, empty
     * @param catchUpBudget most bytes of pushes a catch-up queues for a session in one go (its outbound buffer must
     *                      take them on top of what else waits there)
     */
    GatewaySink(final ClientDirectory clients, final int maxSubscriptions, final PushWindows windows,
                final PushHistory history, final int catchUpBudget) {
        this.history = history;
        this.catchUpBudget = catchUpBudget;
        this.clients = clients;
        this.answers = new AnswerStore[clients.registry().size()];
        for (int i = 0; i < answers.length; i++) {
            answers[i] = new AnswerStore();
        }
        this.dispatchedSeq = new long[answers.length];
        this.subscriptions = new Subscriptions(maxSubscriptions, Math.max(1, maxSubscriptions / 16), windows);
    }

    /**
     * A sink for a snapshot replica: its own directory of the same clients, never live, so it keeps
     * the answers and client sequences this one keeps from the same outputs and sends nothing.
     */
    @Override
    public GatewaySink twin() {
        return new GatewaySink(new ClientDirectory(clients.registry()), 1, PushWindows.ANY,
            new PushHistory(history.baseCapacity(), history.maxCapacity(), false), catchUpBudget);
    }

    /**
     * Keeps every answer to a journaled event in {@code log} from now on (before recovery's replay: an answer a kill -9
     * left unsent is kept as recovery gives it). Not for a {@link #twin()}. Before the first output.
     */
    public void keepAnswersIn(final AnswerLog log) {
        this.answerLog = log;
    }

    /** The answers log's files of answers to archived events follow them to the archive ({@link AnswerLog#archiveThrough}). */
    @Override
    public void archiveThrough(final long engineSequence) {
        final AnswerLog log = answerLog;
        if (log != null) {
            log.archiveThrough(engineSequence);
        }
    }

    /** From now on outputs are sent (the gateway is up); before, they only rebuild state. */
    public void live(final SessionOutbound outbound) {
        this.outbound = outbound;
    }

    @Override
    public void onOutput(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer buffer,
                         final int offset, final int length) {
        final int templateId = header.wrap(buffer, offset).templateId();
        final SessionOutbound out = outbound;
        if (out != null && !pendingResumes.isEmpty()) {
            catchUpPending(out);
        }
        if (templateId == DecisionDecoder.TEMPLATE_ID || templateId == RejectDecoder.TEMPLATE_ID) {
            final int client = clients.index(sourceId);
            if (client < 0) {
                return;
            }
            answers[client].answer(clientSeq, sequence, buffer, offset, length);
            // before the client can see its answer: a client that logs on again right after it (a new process of the same
            // client) is told to resume after this sequence, not at it, where its next new message was taken for a resend
            // of this one and answered with this answer (a DELIVERED sent by a second load run was lost that way)
            if (templateId == DecisionDecoder.TEMPLATE_ID || isBusinessReject(buffer, offset)) {
                clients.journaled(client, clientSeq); // an input refused as invalid is not journaled: its sequence may be reused
                if (answerLog != null) { // before it is sent: whatever a client saw is kept
                    answerLog.answered(sequence, sourceId, clientSeq, buffer, offset, length);
                }
            }
            if (out != null) {
                metrics.answered(buffer, offset); // before the client can see it, so a scrape after the answer counts it
                sendToClient(out, client, buffer, offset, length);
            }
        } else {
            history.add(sequence, buffer, offset, length, resumeOrder.floor());
            HELD.setRelease(this, history.size());
            if (out != null) {
                subscriptions.route(templateId, buffer, offset, length, out);
                if (subscriptions.behindCount() > 0) {
                    fellBehind(out, sequence);
                }
            }
        }
    }

    /** A Reject of a journaled event (an order status the lifecycle refuses), not of an input refused before the journal. */
    private boolean isBusinessReject(final DirectBuffer buffer, final int offset) {
        final int code = buffer.getShort(offset + MessageHeaderDecoder.ENCODED_LENGTH + RejectDecoder.codeEncodingOffset(),
            java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        return code == RejectCode.INVALID_TRANSITION.value() || code == RejectCode.UNKNOWN_ORDER.value();
    }

    @Override
    public void onStageTimes(final long receivedNanos, final long journalStartNanos, final long journaledNanos,
                             final long decidedNanos) {
        this.receivedNanos = receivedNanos;
        this.journalStartNanos = journalStartNanos;
        this.journaledNanos = journaledNanos;
        this.decidedNanos = decidedNanos;
    }

    /** The refusal just stored for {@code clientSeq} was of the message with this fingerprint. */
    @Override
    public void onRefused(final long sourceId, final long clientSeq, final long tag) {
        final int client = clients.index(sourceId);
        if (client >= 0 && answers[client].holds(clientSeq)) {
            answers[client].fingerprint(clientSeq, tag);
        }
    }

    @Override
    public void onEventDispatched(final long sequence, final long sourceId, final long clientSeq, final DirectBuffer message,
                                  final int messageLength) {
        if (!pendingResumes.isEmpty() && outbound != null) {
            catchUpPending(outbound);
        }
        history.start(sequence);
        historyUnknown = false;
        lastDispatched = sequence;
        final int client = clients.index(sourceId);
        if (client < 0) {
            return;
        }
        final AnswerStore store = answers[client];
        final long fingerprint = MessageFingerprint.of(message, 0, messageLength);
        clients.journaled(client, clientSeq); // before the Ack goes out (see onOutput)
        clients.fingerprinted(client, clientSeq, fingerprint);
        // answered by this event's Decision or Reject, not by an earlier refusal under the same (reused) sequence
        if (!store.holds(clientSeq) || store.engineSeq(clientSeq) != sequence) {
            // no decision for this kind of event: an Ack answers it, so the client can let it go
            ackEncoder.wrapAndApplyHeader(ackBuffer, 0, ackHeader).seq(sequence).clientSeq(clientSeq);
            final int length = MessageHeaderEncoder.ENCODED_LENGTH + ackEncoder.encodedLength();
            store.answer(clientSeq, sequence, ackBuffer, 0, length);
            final SessionOutbound out = outbound;
            if (out != null) {
                sendToClient(out, client, ackBuffer, 0, length);
            }
        }
        store.fingerprint(clientSeq, fingerprint);
        dispatchedSeq[client] = clientSeq;
    }

    /**
     * Snapshot of what exactly-once needs after a restart, per client that has sent anything (in
     * configuration order, by client key so a reordered configuration still matches): the last
     * client sequence journaled and the answers held for resends.
     */
    @Override
    public void writeState(final StateWriter w) {
        w.putInt(MARKER);
        int n = 0;
        for (int i = 0; i < answers.length; i++) {
            if (dispatchedSeq[i] != 0) {
                n++;
            }
        }
        w.putInt(n);
        for (final Client c : clients.registry().clients()) {
            final int i = c.index();
            if (dispatchedSeq[i] != 0) {
                w.putLong(c.key()).putLong(dispatchedSeq[i]);
                answers[i].writeState(w);
            }
        }
        w.putLong(lastDispatched);
        history.writeState(w);
    }

    /** Every client with answers counted with a full answer store; racy reads are fine (a sizing hint). */
    @Override
    public long stateBytesBound() {
        long b = 8;
        for (int i = 0; i < dispatchedSeq.length; i++) {
            if (dispatchedSeq[i] != 0) {
                b += 16 + AnswerStore.STATE_BYTES_MAX;
            }
        }
        return b + 8 + history.stateBytesBound();
    }

    @Override
    public void readState(final StateReader r) {
        final int marker = r.getInt();
        if (marker != MARKER && marker != MARKER_WITHOUT_FINGERPRINTS && marker != MARKER_WITHOUT_HISTORY) {
            throw new SnapshotFormatException(String.format("expected the gateway section (marker 0x%08x, 0x%08x or 0x%08x) at content"
                    + " offset %d, found 0x%08x", MARKER, MARKER_WITHOUT_FINGERPRINTS, MARKER_WITHOUT_HISTORY,
                    r.position() - Integer.BYTES, marker));
        }
        final boolean fingerprints = marker == MARKER;
        final int n = r.getInt("clients", 0, 1 << 20);
        for (int k = 0; k < n; k++) {
            final long key = r.getLong();
            final long seq = r.getLong();
            final int i = clients.index(key);
            if (i < 0) {
                LOG.warn("snapshot holds answers of a client (key {}) that is no longer configured; dropped", key);
                new AnswerStore().readState(r, fingerprints);
                continue;
            }
            dispatchedSeq[i] = seq;
            clients.recovered(i, seq);
            answers[i].readState(r, fingerprints);
            clients.fingerprinted(i, seq, answers[i].holds(seq) ? answers[i].fingerprint(seq) : 0);
            // refusals answered after the last journaled sequence (a refused tail) are held there too: the client numbers
            // on after them, so they stay used up (a clean restart; a kill -9 or a replica's snapshot forgets them)
            long tail = seq;
            while (answers[i].holds(tail + 1)) {
                tail++;
            }
            if (tail > seq) {
                clients.refused(i, tail);
            }
        }
        if (marker != MARKER_WITHOUT_HISTORY) {
            lastDispatched = r.getLong();
            history.readState(r);
        } else {
            lastDispatched = -1;
            history.reset();
            historyUnknown = true;
        }
        HELD.setRelease(this, history.size());
    }

    @Override
    public long coveredThrough() {
        return lastDispatched;
    }

    @Override
    public void resetState() {
        for (int i = 0; i < answers.length; i++) {
            answers[i] = new AnswerStore();
            dispatchedSeq[i] = 0;
        }
        clients.resetRecovered();
        history.reset();
        HELD.setRelease(this, 0);
        lastDispatched = -1;
        historyUnknown = false;
    }

    @Override
    public void onControl(final long sourceId, final long clientSeq, final DirectBuffer buffer, final int offset,
                          final int length) {
        // subscriptions are recorded even before live(): a session can subscribe between the server's
        // start and live(), and dropping its Subscribe then would leave it without pushes for good
        final SessionOutbound out = outbound != null ? outbound : NOT_YET_LIVE;
        if (outbound != null && !pendingResumes.isEmpty()) {
            catchUpPending(outbound);
        }
        final int payload = offset + ControlMessage.PAYLOAD_OFFSET;
        switch (ControlMessage.kind(buffer, offset)) {
            case ControlMessage.SUBSCRIBE: {
                header.wrap(buffer, payload);
                subscribe.wrap(buffer, payload + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                // the frame decoder let no version-2 Subscribe through without its whole block; checked again, as reading
                // the fields past a shorter block would read whatever an earlier message left in the ring slot
                final boolean resumeFields = header.version() >= 2 && header.blockLength() >= SubscribeDecoder.onOverflowEncodingOffset();
                final short onOverflow = header.version() >= 5 && header.blockLength() >= SubscribeDecoder.BLOCK_LENGTH
                    ? subscribe.onOverflowRaw() : (short) OnOverflow.DISCONNECT.value();
                final String outOfOrder = resumeFields
                    ? resumeOrder.check(sourceId, true, subscribe.resumeAfterSeq(), subscribe.resumeSkip(), subscribe.resumeFollowing())
                    : resumeOrder.check(sourceId, false, 0, 0, 0);
                String refusal = outOfOrder;
                if (refusal == null) {
                    try {
                        refusal = subscriptions.subscribe(sourceId, subscribe, onOverflow);
                    } catch (final RuntimeException e) {
                        // a client's message must never stop the dispatch stage (and with it every client)
                        refusal = "cannot be read: " + e.getMessage();
                    }
                }
                if (refusal != null) {
                    reject(out, sourceId, 0, clientSeq, RejectCode.BAD_VALUE, "subscription " + subscribe.subscriptionId() + ": " + refusal);
                } else if (subscriptions.lastChanged()) {
                    resumeOrder.subscriptionsChanged(sourceId);
                }
                if (outOfOrder == null && resumeFields && subscribe.resumeAfterSeq() > 0) {
                    resume(out, sourceId, refusal == null);
                }
                break;
            }
            case ControlMessage.UNSUBSCRIBE: {
                header.wrap(buffer, payload);
                unsubscribe.wrap(buffer, payload + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
                if (!subscriptions.unsubscribe(sourceId, unsubscribe.subscriptionId())) {
                    reject(out, sourceId, 0, clientSeq, RejectCode.BAD_VALUE,
                            "no subscription " + unsubscribe.subscriptionId() + " on this session");
                } else if (!subscriptions.suspended(sourceId)) {
                    // nothing left to catch up on: it needs nothing from the history (review: a session that fell behind and
                    // then unsubscribed kept the history at its ceiling for as long as it stayed connected)
                    resumeOrder.notBehind(sourceId);
                }
                break;
            }
            case ControlMessage.SESSION_CLOSED:
                subscriptions.dropSession(sourceId);
                resumeOrder.drop(sourceId);
                break;
            case ControlMessage.REANSWER:
                reanswer(out, sourceId, clientSeq, ControlMessage.fingerprint(buffer, offset));
                break;
            case ControlMessage.RESEND_REFUSED:
                resendRefused(out, sourceId, clientSeq, ControlMessage.fingerprint(buffer, offset), buffer, payload,
                    length - ControlMessage.PAYLOAD_OFFSET);
                break;
            default:
                throw new IllegalStateException("unknown control message kind " + ControlMessage.kind(buffer, offset));
        }
    }

    /**
     * A Subscribe of a resume (the session's subscriptions sent again after a reconnect, each saying what the
     * session has seen): the session gets no live pushes from the first one on; the last one (none following)
     * catches it up from the history on every push of its subscriptions it has not seen, in engine order, and
     * answers with a CatchUp. A catch-up stops after {@link #catchUpBudget} bytes, inside a sequence if need be
     * (CatchUp incomplete, its throughSeq the sequence of the last push sent: the session stays without live pushes
     * until it asks again from what it got, that sequence and how many of its pushes it saw), so neither a long
     * absence nor one event with more pushes than the buffer takes overflows the session's buffer. Pushes older
     * than the history are lost to it, which the CatchUp says.
     */
    private void resume(final SessionOutbound out, final long session, final boolean accepted) {
        if (accepted) {
            subscriptions.suspend(session);
        }
        if (subscribe.resumeFollowing() > 0) {
            return;
        }
        final long after = subscribe.resumeAfterSeq();
        final int skip = Math.max(0, subscribe.resumeSkip());
        if (out == NOT_YET_LIVE) {
            // before live(): nothing can be sent yet; caught up at the next dispatch step after live(), before any
            // event's pushes (pushes come only with events, so none is missed; the CatchUp only comes later)
            pendingResumes.addLong(session);
            pendingResumes.addLong(subscribe.subscriptionId());
            pendingResumes.addLong(after);
            pendingResumes.addLong(skip);
            return;
        }
        catchUp(out, session, subscribe.subscriptionId(), after, skip);
    }

    /**
     * Sessions subscribed with {@code onOverflow CATCH_UP} whose buffer a push of {@code sequence} found full: kept, with
     * no live pushes from that one on (suspended), and told so by an unasked incomplete CatchUp (resumeAfterSeq 0, the
     * room for it kept by {@link SessionOutbound#offerKeepingRoom}; counted once sent); each asks again from what arrived, as after any
     * incomplete CatchUp, and is caught up from the history in rounds its buffer takes. A session that cannot take even
     * the CatchUp (its room taken by answers to its own orders) is disconnected as before.
     */
    private void fellBehind(final SessionOutbound out, final long sequence) {
        for (int i = 0; i < subscriptions.behindCount(); i++) {
            final long session = subscriptions.behind(i);
            resumeOrder.fellBehind(session, sequence);
            // heldAfterSeq -1: nothing is lost by this (a client's general rule, heldAfterSeq >= resumeAfterSeq means lost,
            // stays right for it); whether the history still reaches back is said when the session resumes
            catchUpEncoder.wrapAndApplyHeader(catchUpBuffer, 0, ackHeader)
                .subscriptionId(0)
                .resumeAfterSeq(0)
                .heldAfterSeq(-1)
                .throughSeq(sequence - 1)
                .pushes(0)
                .complete((short) 0);
            if (out.offer(session, catchUpBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + catchUpEncoder.encodedLength())) {
                OVERFLOW_CATCH_UPS.setRelease(this, overflowCatchUps + 1);
            } // else gone, or its room taken by answers to its own orders: disconnected as a slow consumer, as before
        }
        subscriptions.clearBehind();
    }

    /** The resumes that came before live(), now that pushes can be sent. */
    private void catchUpPending(final SessionOutbound out) {
        for (int i = 0; i < pendingResumes.size(); i += 4) {
            catchUp(out, pendingResumes.getLong(i), pendingResumes.getLong(i + 1), pendingResumes.getLong(i + 2),
                (int) pendingResumes.getLong(i + 3));
        }
        pendingResumes.clear();
    }

    /** One round of a catch-up: see {@link #resume}. */
    private void catchUp(final SessionOutbound out, final long session, final long subscriptionId, final long after,
                         final int skipFirst) {
        // the pushes of every sequence after heldAfter are held: one at or after the session's position means some it
        // had not seen are gone (of heldAfter itself, those after the ones it saw); unknown (-1 after an old snapshot
        // with nothing replayed since) counts as gone up to the last event
        final long held = history.heldAfter();
        // a session that fell behind at sequence S was queued every push of its subscriptions before S: it resumes from
        // its last push (before S when none of S had reached it), so pushes gone from the history before S were not lost to
        // it (review: the history let that last sequence go, below the floor, and the catch-up said a gap that was not)
        final long sentBefore = resumeOrder.behindAt(session);
        final boolean gap;
        final long heldAfter;
        if (sentBefore > after && !historyUnknown && held >= after && held < sentBefore) {
            heldAfter = -1; // as the unasked CatchUp of falling behind: nothing is lost
            gap = false;
        } else if (historyUnknown) {
            heldAfter = Math.max(lastDispatched, after); // restored from a snapshot without a history, nothing since
            gap = true;
        } else if (held < 0) {
            heldAfter = -1; // nothing dispatched at all yet: nothing to have missed
            gap = false;
        } else {
            heldAfter = held;
            gap = held >= after;
        }
        if (gap) {
            GAPS.setRelease(this, gaps + 1);
        }
        int skip = skipFirst;
        long through = -1;
        int sent = 0;
        long bytes = 0;
        boolean complete = true;
        if (subscriptions.collect(session) > 0) {
            final DirectBuffer pushes = history.buffer();
            for (int p = history.firstFrom(after); p >= 0; p = history.next(p)) {
                final long seq = history.seq(p);
                final int at = history.offset(p);
                if (!subscriptions.collectedWant(historyHeader.wrap(pushes, at).templateId(), pushes, at)) {
                    continue;
                }
                if (seq == after && skip > 0) {
                    skip--; // the session saw the first ones of this sequence before it went
                    continue;
                }
                final int length = history.length(p);
                // the budget holds inside a sequence too, the one the session stood at included: one event's pushes
                // can be more than the session's buffer takes (15,000 timers firing at one event; a trial's subscriber
                // resuming partway through them overflowed on every round and never got further). The client asks
                // again from (seq, pushes of it seen), and the next round skips those; at least one push goes per round
                if (bytes + length + FRAME_OVERHEAD > catchUpBudget && sent > 0) {
                    complete = false;
                    break;
                }
                if (!out.offer(session, pushes, at, length)) {
                    return; // gone, or being disconnected as a slow consumer: it resumes again from what it got
                }
                sent++;
                CAUGHT_UP.setRelease(this, caughtUp + 1);
                bytes += length + FRAME_OVERHEAD;
                through = seq;
            }
        }
        if (complete) {
            subscriptions.unsuspend(session);
            if (subscriptions.holds(session)) { // a session closed before live() is not brought back (review)
                resumeOrder.caughtUp(session);
            } else {
                resumeOrder.notBehind(session); // it needs nothing more from the history
            }
            // every push of every event dispatched so far has now been sent, live or caught up: the session's position
            // may move past them (never past an event not dispatched yet, whose pushes are still to come)
            through = Math.max(through, lastDispatched);
        } else {
            resumeOrder.incomplete(session, through);
        }
        catchUpEncoder.wrapAndApplyHeader(catchUpBuffer, 0, ackHeader)
            .subscriptionId(subscriptionId)
            .resumeAfterSeq(after)
            .heldAfterSeq(heldAfter)
            .throughSeq(through)
            .pushes(sent)
            .complete((short) (complete ? 1 : 0));
        out.offer(session, catchUpBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + catchUpEncoder.encodedLength());
    }

    /**
     * A message invalid now under a sequence already accounted for: what that sequence was answered when the
     * store holds it (a journaled event's answer stays its answer), else the refusal {@code reject}, not stored.
     */
    private void resendRefused(final SessionOutbound out, final long clientKey, final long clientSeq, final long fingerprint,
                               final DirectBuffer reject, final int offset, final int length) {
        final int client = clients.index(clientKey);
        if (client < 0) {
            return;
        }
        // held, or older than the store reaches (journaled then, the refused ones are only a short tail): answered
        // as any resend; else it was refused and never journaled (its refusal lost with a restart): refused again
        if (answers[client].holds(clientSeq) || clientSeq <= dispatchedSeq[client] - AnswerStore.CAPACITY) {
            reanswer(out, clientKey, clientSeq, fingerprint);
            return;
        }
        final long session = clients.liveSession(client);
        if (session != 0) {
            metrics.answered(reject, offset); // a refusal like any other (counted before the client can see it)
            out.offer(session, reject, offset, length);
        }
    }

    /**
     * A resend under a sequence already accounted for: its answer again when the store holds it and the message is the
     * one journaled under it (or either fingerprint is unknown); a different message is refused (DUPLICATE, naming the
     * engine sequence that took the client sequence), never answered with the other message's answer.
     */
    private void reanswer(final SessionOutbound out, final long clientKey, final long clientSeq, final long fingerprint) {
        final int client = clients.index(clientKey);
        if (client < 0) {
            return;
        }
        final AnswerStore store = answers[client];
        final long session = clients.liveSession(client);
        if (session == 0) {
            return;
        }
        if (!store.holds(clientSeq)) {
            if (clientSeq > dispatchedSeq[client] - AnswerStore.CAPACITY && store.passedOver(clientSeq)) {
                // within the store's reach and its slot never reached it: never journaled, refused before a restart that lost
                // the refusal (third-party client audit: a corrected message under a refused number was told "already
                // processed"); a slot holding a newer number was answered and overwritten (review: a refused tail overwrites
                // the oldest journaled answers' slots), so "already processed" is right there
                reject(out, session, 0, clientSeq, RejectCode.DUPLICATE, "clientSeq " + clientSeq + " was refused earlier and"
                        + " never journaled (the refusal was before a server restart), and later numbers were: this message was"
                        + " not processed; send it under a new number after the LogonAck's lastJournaledClientSeq");
                return;
            }
            reject(out, session, 0, clientSeq, RejectCode.DUPLICATE, "clientSeq " + clientSeq
                    + " was already processed; its answer is no longer held (the last " + AnswerStore.CAPACITY + " are)");
            return;
        }
        final long taken = store.fingerprint(clientSeq);
        if (taken != 0 && fingerprint != 0 && taken != fingerprint) {
            CONFLICTS.setRelease(this, conflicts + 1);
            final int at = store.answerOffset(clientSeq);
            final boolean refused = store.answerLength(clientSeq) > 0
                && header.wrap(store.answers(), at).templateId() == RejectDecoder.TEMPLATE_ID && !isBusinessReject(store.answers(), at);
            reject(out, session, store.engineSeq(clientSeq), clientSeq, RejectCode.DUPLICATE, "clientSeq " + clientSeq
                    + " is taken by another message (" + (refused ? "refused, not journaled" : "journaled as engine sequence "
                    + store.engineSeq(clientSeq)) + "); this one differs from it and was not processed: " + (refused
                    ? "a correction of the refused message goes under a new number; otherwise, is a second process sending as"
                    + " this client?" : "is a second process sending as this client?")
                    + " New messages go after the LogonAck's lastJournaledClientSeq");
            return;
        }
        final int length = store.answerLength(clientSeq);
        if (length > 0) {
            REANSWERED.setRelease(this, reanswered + 1);
            out.offer(session, store.answers(), store.answerOffset(clientSeq), length);
        } else if (length < 0) {
            reject(out, session, store.engineSeq(clientSeq), clientSeq, RejectCode.DUPLICATE, "clientSeq " + clientSeq
                    + " was already processed as engine sequence " + store.engineSeq(clientSeq) + "; its answer is too large to repeat");
        } else {
            // no answer stored (a snapshot from before Acks): an Ack, so a client resending for its answer gets one
            ackEncoder.wrapAndApplyHeader(ackBuffer, 0, ackHeader).seq(store.engineSeq(clientSeq)).clientSeq(clientSeq);
            REANSWERED.setRelease(this, reanswered + 1);
            out.offer(session, ackBuffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + ackEncoder.encodedLength());
        }
    }

    private void sendToClient(final SessionOutbound out, final int client, final DirectBuffer buffer, final int offset,
                              final int length) {
        final long session = clients.liveSession(client);
        if (session != 0 && out.offerTimed(session, buffer, offset, length, receivedNanos, journalStartNanos, journaledNanos, decidedNanos)) {
            ANSWERS_SENT.setRelease(this, answersSent + 1);
        } else {
            ANSWERS_UNROUTED.setRelease(this, answersUnrouted + 1);
        }
    }

    private void reject(final SessionOutbound out, final long session, final long engineSeq, final long clientSeq,
                        final RejectCode code, final String reason) {
        final int n = rejects.encode(engineSeq, clientSeq, code, reason);
        out.offer(session, rejects.buffer(), 0, n);
    }

    /** Answers queued for a live session. Any thread. */
    public long answersSent() {
        return (long) ANSWERS_SENT.getAcquire(this);
    }

    /** Answers whose client had no live session (kept for a resend). */
    public long answersUnrouted() {
        return (long) ANSWERS_UNROUTED.getAcquire(this);
    }

    /** Resends answered again from the store. */
    public long reanswered() {
        return (long) REANSWERED.getAcquire(this);
    }

    /** Resends refused because another message was journaled under their client sequence. */
    public long resendConflicts() {
        return (long) CONFLICTS.getAcquire(this);
    }

    /** Decisions by outcome, rejects by code, arrival-to-answer latency. */
    public DispatchMetrics metrics() {
        return metrics;
    }

    /** Pushes queued for subscribers. */
    public long pushesSent() {
        return subscriptions.routed();
    }

    /** Pushes held for catch-ups. Any thread. */
    public int pushesHeld() {
        return (int) HELD.getAcquire(this);
    }

    /** Bytes the push history may hold now: gateway.pushHistoryBytes, or more while grown for a burst. Any thread. */
    public int pushHistoryCapacity() {
        return history.capacity();
    }

    /** Pushes sent again to sessions that resumed. Any thread. */
    public long pushesCaughtUp() {
        return (long) CAUGHT_UP.getAcquire(this);
    }

    /** Sessions kept and sent to a catch-up when a push found their buffer full (onOverflow CATCH_UP). Any thread. */
    public long overflowCatchUps() {
        return (long) OVERFLOW_CATCH_UPS.getAcquire(this);
    }

    /** Resumes from before what the history held (pushes lost to that session). Any thread. */
    public long catchUpGaps() {
        return (long) GAPS.getAcquire(this);
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    private static VarHandle field(final String name, final Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(GatewaySink.class, name, type);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
