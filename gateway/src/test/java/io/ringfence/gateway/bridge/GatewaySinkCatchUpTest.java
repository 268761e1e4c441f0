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
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A returning subscriber's catch-up, on the dispatch side: a resume gets exactly the pushes of its subscriptions
 * it had not seen (after its position, minus the ones of that sequence it saw), in engine order, once each even
 * where two of its subscriptions match, none live while the catch-up is incomplete (those come in the next round),
 * and a CatchUp that says where it stands and whether pushes were lost to a history that no longer reaches back.
 */
class GatewaySinkCatchUpTest {
    private static final org.agrona.DirectBuffer EVENT = new org.agrona.concurrent.UnsafeBuffer(new byte[0]);

    private static final long WATCHER = 7;
    private static final long OTHER = 8;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final FraudAlertDecoder alert = new FraudAlertDecoder();
    private final CatchUpDecoder catchUp = new CatchUpDecoder();
    /** What each session was sent: "seq:user" for a fraud alert, "CatchUp after/held/through/pushes/complete". */
    private final List<String> toWatcher = new ArrayList<>();
    private final List<String> toOther = new ArrayList<>();

    private GatewaySink sink(final int historyBytes, final int budget) {
        final GatewaySink sink = notLive(historyBytes, budget);
        goLive(sink);
        return sink;
    }

    private static GatewaySink notLive(final int historyBytes, final int budget) {
        final ClientDirectory clients = new ClientDirectory(ClientRegistry.of(List.of(new ClientConfig("shop", "s3cret",
            List.of("SUBSCRIBE")))));
        return new GatewaySink(clients, 64, PushWindows.ANY, historyBytes, budget);
    }

    private void goLive(final GatewaySink sink) {
        sink.live((session, buffer, offset, length) -> {
            (session == WATCHER ? toWatcher : toOther).add(render(buffer, offset));
            return true;
        });
    }

    /** Events 1..n, each with a fraud alert of u-1 then one of u-2. */
    private void events(final GatewaySink sink, final long from, final long to) {
        for (long seq = from; seq <= to; seq++) {
            push(sink, seq, "u-1");
            push(sink, seq, "u-2");
            sink.onEventDispatched(seq, 0, 0, EVENT, 0);
        }
    }

    @Test
    void shouldCatchUpExactlyWhatTheSessionMissedInEngineOrderThenGoLive() {
        final GatewaySink sink = sink(1 << 20, 1 << 20);
        subscribe(sink, OTHER, 1, "u-1", 0, 0, 0); // live, never away
        events(sink, 1, 10);
        // the watcher saw up to seq 5's first push of its subscriptions (u-1's), then went away; it has two subscriptions
        subscribe(sink, WATCHER, 1, "u-1", 5, 1, 1);
        assertEquals(List.of(), toWatcher, "nothing before the resume's last Subscribe");
        subscribe(sink, WATCHER, 2, "u-2", 5, 1, 0);
        final List<String> expected = new ArrayList<>(List.of("5:u-2"));
        for (long seq = 6; seq <= 10; seq++) {
            expected.add(seq + ":u-1");
            expected.add(seq + ":u-2");
        }
        expected.add("CatchUp after 5 held 0 through 10 pushes 11 complete");
        assertEquals(expected, toWatcher);

        toWatcher.clear();
        events(sink, 11, 11);
        assertEquals(List.of("11:u-1", "11:u-2"), toWatcher, "live from there");
        assertEquals(11, toOther.size(), "the other session got u-1's pushes live all along, once each");
    }

    @Test
    void shouldSendAPushOnceWhereTwoSubscriptionsOfTheSessionMatch() {
        final GatewaySink sink = sink(1 << 20, 1 << 20);
        events(sink, 1, 3);
        subscribe(sink, WATCHER, 1, "u-1", 1, 2, 1); // saw both of seq 1
        subscribe(sink, WATCHER, 2, null, 1, 2, 0); // every fraud alert: overlaps u-1's
        assertEquals(List.of("2:u-1", "2:u-2", "3:u-1", "3:u-2", "CatchUp after 1 held 0 through 3 pushes 4 complete"), toWatcher);
    }

    @Test
    void shouldCatchUpInRoundsWithinTheBudgetAndHoldLivePushesForTheNextRound() {
        final int pushBytes = pushLength();
        final GatewaySink sink = sink(1 << 20, 3 * (pushBytes + 24)); // three pushes per round
        events(sink, 1, 4);
        subscribe(sink, WATCHER, 1, "u-1", 1, 0, 1);
        subscribe(sink, WATCHER, 2, "u-2", 1, 0, 0);
        assertEquals(List.of("1:u-1", "1:u-2", "2:u-1", "CatchUp after 1 held 0 through 2 pushes 3 incomplete"), toWatcher);

        toWatcher.clear();
        events(sink, 5, 5);
        assertEquals(List.of(), toWatcher, "no live push while the catch-up is incomplete");
        subscribe(sink, WATCHER, 1, "u-1", 1, 0, 0); // from before where the round stopped: it would walk it all again (review)
        assertEquals(List.of("Reject BAD_VALUE subscription 1: after an incomplete CatchUp (through seq 2) the next round resumes"
            + " from there or later, not from 1"), toWatcher);
        toWatcher.clear();
        // the client asks again from what arrived: seq 2, of which it saw one
        subscribe(sink, WATCHER, 1, "u-1", 2, 1, 0);
        assertEquals(List.of("2:u-2", "3:u-1", "3:u-2", "CatchUp after 2 held 0 through 3 pushes 3 incomplete"), toWatcher);
        toWatcher.clear();
        subscribe(sink, WATCHER, 1, "u-1", 3, 2, 0);
        assertEquals(List.of("4:u-1", "4:u-2", "5:u-1", "CatchUp after 3 held 0 through 5 pushes 3 incomplete"), toWatcher);
        toWatcher.clear();
        subscribe(sink, WATCHER, 1, "u-1", 5, 1, 0);
        assertEquals(List.of("5:u-2", "CatchUp after 5 held 0 through 5 pushes 1 complete"), toWatcher);
        toWatcher.clear();
        events(sink, 6, 6);
        assertEquals(List.of("6:u-1", "6:u-2"), toWatcher, "live again");
    }

    /**
     * User trial: one event made 15,000 pushes (UNPAID_OVERDUE timers firing together); the subscriber, disconnected as a
     * slow consumer partway through them, resumed from there and was sent the rest of that sequence whole, over its
     * buffer, on every round: disconnected again each time, it never got further. The budget holds inside a sequence.
     */
    @Test
    void shouldSplitOneSequencesPushesIntoRoundsWithinTheBudgetFromWhereTheSessionStood() {
        final int pushBytes = pushLength();
        final int budget = 3 * (pushBytes + 24); // three pushes per round
        final GatewaySink sink = sink(1 << 20, budget);
        events(sink, 1, 1);
        for (int i = 0; i < 10; i++) {
            push(sink, 2, "u-" + i); // one event, ten pushes
        }
        sink.onEventDispatched(2, 0, 0, EVENT, 0);
        push(sink, 3, "u-0");
        sink.onEventDispatched(3, 0, 0, EVENT, 0);

        // like the client: its position is the sequence of the last push that came and how many of that sequence came
        long at = 2;
        int seen = 1; // it saw seq 2's first push, then was disconnected
        final List<String> got = new ArrayList<>();
        subscribe(sink, WATCHER, 1, null, at, seen, 0);
        for (int round = 0; ; round++) {
            assertEquals(true, round < 10, "progress: " + got);
            final long askedFrom = at;
            final String catchUpAnswer = toWatcher.remove(toWatcher.size() - 1);
            assertEquals(true, toWatcher.size() <= 3, "a round within the budget: " + toWatcher);
            for (final String push : toWatcher) {
                final long seq = Long.parseLong(push.split(":")[0]);
                seen = seq == at ? seen + 1 : 1;
                at = seq;
                got.add(push);
            }
            toWatcher.clear();
            if (catchUpAnswer.endsWith(" complete")) {
                assertEquals(true, catchUpAnswer.startsWith("CatchUp after " + askedFrom + " held 0 through 3 pushes "), catchUpAnswer);
                break;
            }
            assertEquals(true, catchUpAnswer.endsWith(" through " + at + " pushes 3 incomplete"), catchUpAnswer);
            subscribe(sink, WATCHER, 1, null, at, seen, 0); // asks again from what arrived
        }
        final List<String> expected = new ArrayList<>();
        for (int i = 1; i < 10; i++) {
            expected.add("2:u-" + i);
        }
        expected.add("3:u-0");
        assertEquals(expected, got, "every push it had not seen, once each, in order");
        events(sink, 4, 4);
        assertEquals(List.of("4:u-1", "4:u-2"), toWatcher, "live again");
    }

    @Test
    void shouldSayWhenTheHistoryNoLongerReachesBackToTheSessionsPosition() {
        final int pushBytes = pushLength();
        final GatewaySink sink = sink(65536, 1 << 20);
        final int perEvent = 2 * ((12 + pushBytes + 7) & ~7);
        final long events = 65536 / perEvent + 10; // more than it holds
        events(sink, 1, events);
        subscribe(sink, WATCHER, 1, "u-1", 3, 1, 0);
        final String last = toWatcher.get(toWatcher.size() - 1);
        final long heldAfter = Long.parseLong(last.split(" ")[4]);
        assertEquals("CatchUp after 3 held " + heldAfter + " through " + events + " pushes " + (events - heldAfter) + " complete", last);
        assertEquals(heldAfter + 1 + ":u-1", toWatcher.get(0), "from the oldest held");
        assertEquals(true, heldAfter > 3, "the history starts after the session's position: pushes were lost, and it says so");
    }

    @Test
    void shouldNeverMoveASessionPastAnEventNotDispatchedYet() {
        final GatewaySink sink = sink(1 << 20, 1 << 20);
        events(sink, 1, 6);
        subscribe(sink, WATCHER, 1, "u-1", 6, 2, 0);
        // the client is then at (7, 0); it comes back before event 7: the CatchUp must not say 7 is through
        toWatcher.clear();
        sessionClosed(sink, WATCHER); // a new connection (a session resumes once)
        subscribe(sink, WATCHER, 1, "u-1", 7, 0, 0);
        assertEquals(List.of("CatchUp after 7 held 0 through 6 pushes 0 complete"), toWatcher);
        toWatcher.clear();
        events(sink, 7, 7);
        assertEquals(List.of("7:u-1"), toWatcher);
        // it drops before reading that one and resumes from (7, 0) again: 7's push comes once more
        toWatcher.clear();
        sessionClosed(sink, WATCHER);
        subscribe(sink, WATCHER, 1, "u-1", 7, 0, 0);
        assertEquals(List.of("7:u-1", "CatchUp after 7 held 0 through 7 pushes 1 complete"), toWatcher);
    }

    @Test
    void shouldReportAGapWhenTheHistoryDroppedTheSequenceTheSessionStoodAt() {
        final GatewaySink sink = sink(0, 1 << 20); // keeps nothing
        events(sink, 1, 7); // the session stood at (7, 0): 7's pushes are made while it is away
        subscribe(sink, WATCHER, 1, "u-1", 7, 0, 0);
        assertEquals(List.of("CatchUp after 7 held 7 through 7 pushes 0 complete"), toWatcher,
            "held after 7 = the pushes of 7 are gone: lost, and said (heldAfter >= resumeAfter)");
        assertEquals(1, sink.catchUpGaps());
    }

    @Test
    void shouldCatchUpAResumeThatCameBeforeLiveAtTheNextStepBeforeAnyNewPush() {
        final GatewaySink sink = notLive(1 << 20, 1 << 20);
        events(sink, 1, 3); // recovery
        subscribe(sink, WATCHER, 1, "u-2", 2, 0, 0); // between the gateway's start and live()
        goLive(sink);
        events(sink, 4, 4);
        assertEquals(List.of("2:u-2", "3:u-2", "CatchUp after 2 held 0 through 3 pushes 2 complete", "4:u-2"), toWatcher);
    }

    @Test
    void shouldSayPushesMayBeLostAfterASnapshotWrittenWithoutAHistory() {
        final io.ringfence.engine.snapshot.StateWriter w = new io.ringfence.engine.snapshot.StateWriter(64);
        w.putInt(0x47415445).putInt(0); // "GATE": the section as builds before the history wrote it, no client
        final GatewaySink sink = sink(1 << 20, 1 << 20);
        sink.readState(reader(w));
        subscribe(sink, WATCHER, 1, "u-1", 5, 0, 0);
        assertEquals(1, sink.catchUpGaps(), "what was pushed before the restart is unknown");
        events(sink, 9, 9);
        toWatcher.clear(); // the session saw 9's push live, then went away
        sessionClosed(sink, WATCHER);
        subscribe(sink, WATCHER, 1, "u-1", 9, 1, 0);
        assertEquals(List.of("CatchUp after 9 held 8 through 9 pushes 0 complete"), toWatcher, "known from the next event on");
        assertEquals(1, sink.catchUpGaps());
    }

    /**
     * Outside-client trial: a live Subscribe after a resuming one that said one more would follow left the session
     * without pushes and without a word for good; negative resume fields were taken.
     */
    @Test
    void shouldRefuseALiveSubscribeInTheMiddleOfAResumeAndNegativeResumeFields() {
        final GatewaySink sink = sink(1 << 20, 1 << 20);
        events(sink, 1, 3);
        subscribe(sink, WATCHER, 1, "u-1", 1, 0, 1);
        subscribe(sink, WATCHER, 2, "u-2", 0, 0, 0); // live, where the resume's last was promised
        assertEquals(List.of("Reject BAD_VALUE subscription 2: this session's resume expects 1 more resuming Subscribe(s)"
            + " (resumeAfterSeq > 0, resumeFollowing counting down to 0) before a live one; until its last comes the session"
            + " gets no live pushes"), toWatcher);
        toWatcher.clear();
        subscribe(sink, WATCHER, 2, "u-2", 1, 0, 0); // the resume's last: caught up on both
        assertEquals(List.of("1:u-1", "1:u-2", "2:u-1", "2:u-2", "3:u-1", "3:u-2", "CatchUp after 1 held 0 through 3 pushes 6 complete"),
            toWatcher);
        toWatcher.clear();
        subscribe(sink, WATCHER, 5, "u-1", 1, 0, 0); // re-trial: 100,000 of these in 4 s held every client's answers back
        assertEquals(List.of("Reject BAD_VALUE subscription 5: this session has been caught up (its CatchUp was complete): a"
            + " session resumes once, after its logon, and again only after an incomplete CatchUp; subscribe live (resumeAfterSeq 0),"
            + " or log on again to resume"), toWatcher);
        toWatcher.clear();
        subscribe(sink, WATCHER, 3, "u-1", 2, -1, 0);
        assertEquals(List.of("Reject BAD_VALUE subscription 3: a resume's resumeSkip and resumeFollowing must not be negative, got -1"
            + " and 0"), toWatcher);
        toWatcher.clear();
        subscribe(sink, WATCHER, 4, "u-3", -1, -5, -5); // live, as the Java client sends it (resumeAfterSeq -1): the rest unread
        assertEquals(List.of(), toWatcher);
        events(sink, 4, 4);
        assertEquals(List.of("4:u-1", "4:u-2"), toWatcher, "live, once each: the refused subscription 3 is not there");
        toWatcher.clear();
        push(sink, 5, "u-3");
        sink.onEventDispatched(5, 0, 0, EVENT, 0);
        assertEquals(List.of("5:u-3"), toWatcher, "the live subscription 4");
    }

    @Test
    void shouldTreatASubscribeWithoutAPositionAsLiveOnly() {
        final GatewaySink sink = sink(1 << 20, 1 << 20);
        events(sink, 1, 3);
        subscribe(sink, WATCHER, 1, "u-1", 0, 0, 0); // a version-2 client that leaves the fields zero
        events(sink, 4, 4);
        assertEquals(List.of("4:u-1"), toWatcher);
    }

    @Test
    void shouldKeepTheHistoryThroughASnapshot() {
        final GatewaySink sink = sink(1 << 20, 1 << 20);
        events(sink, 1, 4);
        final io.ringfence.engine.snapshot.StateWriter w = new io.ringfence.engine.snapshot.StateWriter(1 << 16);
        sink.writeState(w);
        final GatewaySink restored = sink(1 << 20, 1 << 20);
        restored.readState(reader(w));
        subscribe(restored, WATCHER, 1, "u-2", 3, 0, 0);
        assertEquals(List.of("3:u-2", "4:u-2", "CatchUp after 3 held 0 through 4 pushes 2 complete"), toWatcher,
            "the history and the last event dispatched come back with the snapshot");
        toWatcher.clear();
        events(restored, 5, 5);
        assertEquals(List.of("5:u-2"), toWatcher);
    }

    /**
     * Slow-consumer audit: one event's pushes over a subscriber's buffer dropped it however fast it read. A session that
     * asked for it (onOverflow CATCH_UP) is kept instead: no live pushes from the one that did not fit, an unasked
     * incomplete CatchUp, and a resume from what arrived gets the rest from the history; it can fall behind again later.
     */
    @Test
    void shouldKeepASessionWhoseBufferFillsAndCatchItUpFromTheHistoryWhenItAskedTo() {
        final GatewaySink sink = notLive(1 << 20, 1 << 20);
        final int[] room = {4};
        sink.live(watcherWithRoom(room));
        subscribe(sink, OTHER, 1, null, 0, 0, 0); // live, drops on overflow: never full here
        subscribe(sink, WATCHER, 1, null, 0, 0, 0, OnOverflow.CATCH_UP.value(), SubscribeEncoder.SCHEMA_VERSION);
        events(sink, 1, 4);
        assertEquals(List.of("1:u-1", "1:u-2", "2:u-1", "CatchUp after 0 held -1 through 1 pushes 0 incomplete"), toWatcher,
            "the pushes that fit, then the unasked CatchUp in the room kept for it; nothing live after");
        assertEquals(8, toOther.size(), "the other session is not held back");
        assertEquals(2, sink.subscriptionCount(), "the session kept its subscription");
        assertEquals(1, sink.overflowCatchUps());

        toWatcher.clear();
        room[0] = 1_000; // it read what had come, up to seq 2 (one push of it), and asks as after any incomplete CatchUp
        subscribe(sink, WATCHER, 1, null, 2, 1, 0, OnOverflow.CATCH_UP.value(), SubscribeEncoder.SCHEMA_VERSION);
        assertEquals(List.of("2:u-2", "3:u-1", "3:u-2", "4:u-1", "4:u-2", "CatchUp after 2 held 0 through 4 pushes 5 complete"),
            toWatcher);
        toWatcher.clear();
        events(sink, 5, 5);
        assertEquals(List.of("5:u-1", "5:u-2"), toWatcher, "live again");

        // caught up, it falls behind again later: it may resume again (a caught-up session's resume is otherwise refused)
        toWatcher.clear();
        room[0] = 1;
        events(sink, 6, 6);
        assertEquals(List.of("CatchUp after 0 held -1 through 5 pushes 0 incomplete"), toWatcher);
        toWatcher.clear();
        room[0] = 1_000;
        subscribe(sink, WATCHER, 1, null, 5, 2, 0, OnOverflow.CATCH_UP.value(), SubscribeEncoder.SCHEMA_VERSION);
        assertEquals(List.of("6:u-1", "6:u-2", "CatchUp after 5 held 0 through 6 pushes 2 complete"), toWatcher);
        assertEquals(2, sink.overflowCatchUps());
    }

    @Test
    void shouldStillDropASessionThatDidNotAskToBeCaughtUpAndReadAVersion4SubscribeAsSuch() {
        final GatewaySink sink = notLive(1 << 20, 1 << 20);
        final int[] room = {1_000};
        sink.live(watcherWithRoom(room));
        events(sink, 1, 2);
        // a version-4 client's resume: its block stops before onOverflow; the resume fields are still read
        subscribe(sink, WATCHER, 1, null, 2, 1, 0, (short) 1, 4);
        assertEquals(List.of("2:u-2", "CatchUp after 2 held 0 through 2 pushes 1 complete"), toWatcher, "resumed");
        toWatcher.clear();
        room[0] = 2;
        events(sink, 3, 4);
        assertEquals(List.of("3:u-1", "3:u-2"), toWatcher, "what fitted, then dropped as before: no CatchUp");
        assertEquals(0, sink.subscriptionCount(), "its subscriptions went with it");
        assertEquals(0, sink.overflowCatchUps());

        toWatcher.clear();
        subscribe(sink, OTHER, 1, null, 0, 0, 0, (short) 7, SubscribeEncoder.SCHEMA_VERSION);
        assertEquals(List.of("Reject BAD_VALUE subscription 1: onOverflow 7 is not known (DISCONNECT 0, CATCH_UP 1)"), toOther);
        assertEquals(0, sink.subscriptionCount());
    }

    /**
     * A live outbound whose watcher buffer takes {@code room[0]} more messages: a push that would leave none (kept for the
     * CatchUp) finds it full, as {@code OutboundQueue.offerKeepingRoom} does; a plain offer that finds none fails.
     */
    private SessionOutbound watcherWithRoom(final int[] room) {
        return new SessionOutbound() {
            @Override
            public boolean offer(final long session, final DirectBuffer buffer, final int offset, final int length) {
                if (session == WATCHER && room[0]-- <= 0) {
                    return false;
                }
                (session == WATCHER ? toWatcher : toOther).add(render(buffer, offset));
                return true;
            }

            @Override
            public int offerKeepingRoom(final long session, final DirectBuffer buffer, final int offset, final int length) {
                if (session == WATCHER && room[0] <= 1) {
                    return FULL;
                }
                return offer(session, buffer, offset, length) ? QUEUED : REFUSED;
            }
        };
    }

    /** The session ended (its connection closed): what the gateway tells the dispatch thread. */
    private static void sessionClosed(final GatewaySink sink, final long session) {
        final UnsafeBuffer control = new UnsafeBuffer(new byte[64]);
        final int length = ControlMessage.write(control, ControlMessage.SESSION_CLOSED, new UnsafeBuffer(new byte[0]), 0, 0);
        sink.onControl(session, 0, control, 0, length);
    }

    /** What a snapshot reader reads back of what {@code w} wrote. */
    static io.ringfence.engine.snapshot.StateReader reader(final io.ringfence.engine.snapshot.StateWriter w) {
        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(w.position());
        w.buffer().getBytes(0, bytes, w.position());
        bytes.flip();
        return new io.ringfence.engine.snapshot.StateReader(bytes);
    }

    private void push(final GatewaySink sink, final long seq, final String user) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final FraudAlertEncoder encoder = new FraudAlertEncoder();
        encoder.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .seq(seq).eventTime(seq).subjectKind(SubjectKind.ORDER).subjectId("o-" + seq).userId(user).outcome(Outcome.DECLINE)
            .score(1).orderId("o-" + seq).reasonsCount(0);
        sink.onOutput(seq, 0, 0, buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static int pushLength() {
        final FraudAlertEncoder encoder = new FraudAlertEncoder();
        encoder.wrapAndApplyHeader(new UnsafeBuffer(new byte[512]), 0, new MessageHeaderEncoder()).reasonsCount(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /** A FRAUD_ALERT subscription (of one user, or every alert when {@code user} is null), resuming when {@code after} > 0. */
    private static void subscribe(final GatewaySink sink, final long session, final long id, final String user, final long after,
                                  final int skip, final int following) {
        subscribe(sink, session, id, user, after, skip, following, OnOverflow.DISCONNECT.value(), SubscribeEncoder.SCHEMA_VERSION);
    }

    /** As above, with the Subscribe's onOverflow byte (any value) and header version (4: a block without onOverflow). */
    private static void subscribe(final GatewaySink sink, final long session, final long id, final String user, final long after,
                                  final int skip, final int following, final short onOverflow, final int version) {
        final UnsafeBuffer subscribe = new UnsafeBuffer(new byte[256]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        int length = MessageHeaderEncoder.ENCODED_LENGTH + new SubscribeEncoder()
            .wrapAndApplyHeader(subscribe, 0, header)
            .clientSeq(0).subscriptionId(id).topic(Topic.FRAUD_ALERT).filterKind(user == null ? FilterKind.ALL : FilterKind.USER)
            .filter(user == null ? "" : user).resumeAfterSeq(after).resumeSkip(skip).resumeFollowing(following).encodedLength();
        subscribe.putByte(MessageHeaderEncoder.ENCODED_LENGTH + SubscribeEncoder.onOverflowEncodingOffset(), (byte) onOverflow);
        if (version < 5) {
            header.version(version).blockLength(SubscribeEncoder.onOverflowEncodingOffset());
            length = MessageHeaderEncoder.ENCODED_LENGTH + SubscribeEncoder.onOverflowEncodingOffset();
        }
        final UnsafeBuffer control = new UnsafeBuffer(new byte[512]);
        final int controlLength = ControlMessage.write(control, ControlMessage.SUBSCRIBE, subscribe, 0, length);
        sink.onControl(session, 0, control, 0, controlLength);
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
        if (header.templateId() == io.ringfence.sbe.RejectDecoder.TEMPLATE_ID) {
            final io.ringfence.sbe.RejectDecoder reject = new io.ringfence.sbe.RejectDecoder()
                .wrap(buffer, body, header.blockLength(), header.version());
            return "Reject " + reject.code() + " " + reject.reason();
        }
        return "template " + header.templateId();
    }
}
