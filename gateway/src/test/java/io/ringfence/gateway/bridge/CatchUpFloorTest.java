package io.ringfence.gateway.bridge;

import io.ringfence.gateway.SessionOutbound;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.session.ClientRegistry;
import io.ringfence.sbe.CatchUpDecoder;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.FraudAlertDecoder;
import io.ringfence.sbe.FraudAlertEncoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OnOverflow;
import io.ringfence.sbe.Outcome;
import io.ringfence.sbe.SubjectKind;
import io.ringfence.sbe.SubscribeEncoder;
import io.ringfence.sbe.Topic;
import io.ringfence.sbe.UnsubscribeEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review of the push history's growth: the floor (ResumeOrder.needsFrom, the oldest sequence a session being caught up
 * still needs) is released however the session stops being caught up (it completes, unsubscribes, or goes live again),
 * and a session that fell behind before any push of an event reached it is not told of a gap that is not.
 */
class CatchUpFloorTest {
    private static final org.agrona.DirectBuffer EVENT = new UnsafeBuffer(new byte[0]);
    private static final long WATCHER = 7;
    private static final long OTHER = 8;
    private static final int BASE = 64 * 1024;
    private static final int CEILING = 1 << 20;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final FraudAlertDecoder alert = new FraudAlertDecoder();
    private final CatchUpDecoder catchUp = new CatchUpDecoder();
    private final List<String> toWatcher = new ArrayList<>();
    private final int[] room = {1_000_000};

    private GatewaySink sink() {
        final ClientDirectory clients = new ClientDirectory(ClientRegistry.of(List.of(new ClientConfig("shop", "s3cret",
            List.of("SUBSCRIBE")))));
        final GatewaySink sink = new GatewaySink(clients, 64, PushWindows.ANY, new PushHistory(BASE, CEILING, false), 1 << 20);
        sink.live(new SessionOutbound() {
            @Override
            public boolean offer(final long session, final DirectBuffer buffer, final int offset, final int length) {
                if (session == WATCHER) {
                    if (room[0]-- <= 0) {
                        return false;
                    }
                    toWatcher.add(render(buffer, offset));
                }
                return true;
            }

            @Override
            public int offerKeepingRoom(final long session, final DirectBuffer buffer, final int offset, final int length) {
                if (session == WATCHER && room[0] <= 1) {
                    return FULL;
                }
                return offer(session, buffer, offset, length) ? QUEUED : REFUSED;
            }
        });
        return sink;
    }

    /** The watcher (onOverflow CATCH_UP) falls behind at the first push of event 11. */
    private GatewaySink fallBehind() {
        final GatewaySink sink = sink();
        subscribe(sink, OTHER, 1, 0, 0);
        subscribe(sink, WATCHER, 1, 0, 0);
        room[0] = 21; // events 1..10 (20 pushes) fit, then only the room kept for the CatchUp
        events(sink, 1, 11);
        assertEquals("CatchUp after 0 held -1 through 10 pushes 0 incomplete", toWatcher.get(toWatcher.size() - 1));
        assertEquals("10:u-2", toWatcher.get(toWatcher.size() - 2), "its last push: both of event 10");
        toWatcher.clear();
        room[0] = 1_000_000;
        return sink;
    }

    /** Control: a session that resumes and completes releases the floor; the history goes back to its base. */
    @Test
    void controlResumedSessionReleasesTheFloor() {
        final GatewaySink sink = fallBehind();
        events(sink, 12, 3_000);
        assertTrue(sink.pushHistoryCapacity() > BASE, "held from event 11 for it: " + sink.pushHistoryCapacity());
        subscribe(sink, WATCHER, 1, 11, 0);
        assertTrue(toWatcher.get(toWatcher.size() - 1).endsWith(" complete"), toWatcher.get(toWatcher.size() - 1));
        events(sink, 3_001, 12_000);
        assertEquals(BASE, sink.pushHistoryCapacity(), "back once it was caught up");
    }

    /**
     * A session that fell behind and then unsubscribes (Subscriptions.unsubscribe unsuspends it: "nothing left to catch up
     * on") keeps its needsFrom: the floor stays at event 11 as long as the session is connected, and the history stays at
     * its ceiling for good (memory, and every snapshot then holds CEILING bytes of pushes).
     */
    @Test
    void aSessionThatUnsubscribesAfterFallingBehindReleasesTheHistory() {
        final GatewaySink sink = fallBehind();
        unsubscribe(sink, WATCHER, 1);
        events(sink, 12, 12_000);
        assertEquals(BASE, sink.pushHistoryCapacity(), "the session holds no subscription and is not being caught up");
    }

    /** The same, when it then subscribes live again (it gets live pushes: not being caught up), and forever after. */
    @Test
    void aSessionThatGoesLiveAgainAfterFallingBehindReleasesTheHistory() {
        final GatewaySink sink = fallBehind();
        unsubscribe(sink, WATCHER, 1);
        subscribe(sink, WATCHER, 2, 0, 0);
        events(sink, 12, 12_000);
        assertTrue(toWatcher.contains("12000:u-2"), "it is live");
        assertEquals(BASE, sink.pushHistoryCapacity(), "a live session needs nothing from the history");
    }

    /**
     * The Java client resumes after an unasked CatchUp from its last push (event 10, both of it seen), not from the
     * CatchUp's throughSeq. The floor is the sequence it fell behind at (11), so event 10 is dropped while 11 on are kept,
     * and its resume is told pushes were lost (heldAfter 10 >= resumeAfter 10) though it had every one: a false gap
     * (ringfence_catchup_gaps_total, the client's catchUpGaps and warning).
     */
    @Test
    void aSessionThatFellBehindAtAnEventsFirstPushIsToldOfNoGap() {
        final GatewaySink sink = fallBehind();
        events(sink, 12, 1_000); // more than the 64 KiB base: event 10 goes, 11 on are held by the floor
        subscribe(sink, WATCHER, 1, 10, 2);
        final String last = toWatcher.get(toWatcher.size() - 1);
        assertEquals(2 * (1_000 - 10), toWatcher.size() - 1, "every push from event 11 on came: " + last);
        assertTrue(last.startsWith("CatchUp after 10 held -1") || last.matches("CatchUp after 10 held [0-9] .*"),
            "nothing was lost, so no gap should be said: " + last);
    }

    /**
     * Second review: the no-gap rule holds for the subscriptions the session had when it fell behind. One added while it
     * was behind never had the pushes before that (Java client: a live Subscribe while suspended, then a resume of the whole
     * last sequence): a resume from before what is held must be told of the gap.
     */
    @Test
    void aSubscriptionAddedAfterFallingBehindIsToldOfItsGap() {
        final GatewaySink sink = sink();
        subscribe(sink, OTHER, 1, 0, 0);
        subscribe(sink, WATCHER, 1, FilterKind.USER, "u-1", 0, 0);
        room[0] = 11; // events 1..10: one push each for u-1, then only the room kept for the CatchUp
        events(sink, 1, 11);
        assertEquals("CatchUp after 0 held -1 through 10 pushes 0 incomplete", toWatcher.get(toWatcher.size() - 1));
        assertEquals("10:u-1", toWatcher.get(toWatcher.size() - 2));
        toWatcher.clear();
        room[0] = 1_000_000;
        events(sink, 12, 1_000); // event 10 goes; 11 on are held by the floor
        subscribe(sink, WATCHER, 2, FilterKind.USER, "u-2", 0, 0); // live Subscribe while behind: accepted
        subscribe(sink, WATCHER, 1, FilterKind.USER, "u-1", 10, 0); // the resume, the whole of event 10 asked for
        final String last = toWatcher.get(toWatcher.size() - 1);
        assertTrue(!toWatcher.contains("10:u-2"), "event 10 is no longer held");
        assertTrue(last.startsWith("CatchUp after 10 held ") && !last.contains(" held -1 "),
            "10:u-2 was never sent to this session and is gone: " + last);
    }

    private void events(final GatewaySink sink, final long from, final long to) {
        for (long seq = from; seq <= to; seq++) {
            push(sink, seq, "u-1");
            push(sink, seq, "u-2");
            sink.onEventDispatched(seq, 0, 0, EVENT, 0);
        }
    }

    private static void push(final GatewaySink sink, final long seq, final String user) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final FraudAlertEncoder encoder = new FraudAlertEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .seq(seq).eventTime(seq).subjectKind(SubjectKind.ORDER).subjectId("o-" + seq).userId(user).outcome(Outcome.DECLINE)
            .score(1).orderId("o-" + seq).reasonsCount(0);
        sink.onOutput(seq, 0, 0, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static void subscribe(final GatewaySink sink, final long session, final long id, final long after, final int skip) {
        subscribe(sink, session, id, FilterKind.ALL, "", after, skip);
    }

    private static void subscribe(final GatewaySink sink, final long session, final long id, final FilterKind kind,
                                  final String filter, final long after, final int skip) {
        final UnsafeBuffer subscribe = new UnsafeBuffer(new byte[256]);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new SubscribeEncoder()
            .wrapAndApplyHeader(subscribe, 0, new MessageHeaderEncoder())
            .clientSeq(0).subscriptionId(id).topic(Topic.FRAUD_ALERT).filterKind(kind)
            .filter(filter).resumeAfterSeq(after).resumeSkip(skip).resumeFollowing(0).onOverflow(OnOverflow.CATCH_UP).encodedLength();
        final UnsafeBuffer control = new UnsafeBuffer(new byte[512]);
        sink.onControl(session, 0, control, 0, ControlMessage.write(control, ControlMessage.SUBSCRIBE, subscribe, 0, length));
    }

    private static void unsubscribe(final GatewaySink sink, final long session, final long id) {
        final UnsafeBuffer unsubscribe = new UnsafeBuffer(new byte[64]);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + new UnsubscribeEncoder()
            .wrapAndApplyHeader(unsubscribe, 0, new MessageHeaderEncoder()).clientSeq(0).subscriptionId(id).encodedLength();
        final UnsafeBuffer control = new UnsafeBuffer(new byte[256]);
        sink.onControl(session, 0, control, 0, ControlMessage.write(control, ControlMessage.UNSUBSCRIBE, unsubscribe, 0, length));
    }

    private String render(final DirectBuffer buffer, final int offset) {
        header.wrap(buffer, offset);
        final int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (header.templateId() == FraudAlertDecoder.TEMPLATE_ID) {
            alert.wrap(buffer, body, header.blockLength(), header.version());
            return alert.seq() + ":" + alert.userId();
        }
        if (header.templateId() == CatchUpDecoder.TEMPLATE_ID) {
            catchUp.wrap(buffer, body, header.blockLength(), header.version());
            return "CatchUp after " + catchUp.resumeAfterSeq() + " held " + catchUp.heldAfterSeq() + " through " + catchUp.throughSeq()
                + " pushes " + catchUp.pushes() + (catchUp.complete() == 1 ? " complete" : " incomplete");
        }
        return "template " + header.templateId();
    }
}
