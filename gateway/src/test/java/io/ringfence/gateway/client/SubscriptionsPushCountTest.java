package io.ringfence.gateway.client;

import io.ringfence.gateway.frame.SofhHeader;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.SubscribeDecoder;
import io.ringfence.sbe.Topic;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Review (MEDIUM, by reading): the count of the pushes of the current sequence was stamped with the application's
 * subscriptions version, changed at subscribe() / unsubscribe(), while the server changes a session's subscriptions
 * only when their message reaches it (no answer says when). Pushes of a sequence that began between the two were
 * routed under the old subscriptions but counted as if under the new, so the resume told the server to skip that many
 * of the sequence's pushes under the new ones: the wrong pushes. Driven through the client's own Subscriptions and
 * the Subscribe frames it writes; the server's part is played here: it routes an event's pushes, in the event's output
 * order, to the subscriptions it holds, and a resume's catch-up sends the resumed sequence's pushes under the
 * subscriptions resumed with, after the first resumeSkip of them.
 */
class SubscriptionsPushCountTest {
    private static final Subscriptions.Entry FRAUD = new Subscriptions.Entry(1, Topic.FRAUD_ALERT, FilterKind.ALL, "");
    private static final Subscriptions.Entry STOCK = new Subscriptions.Entry(2, Topic.STOCK, FilterKind.ALL, "");

    private final Subscriptions subscriptions = new Subscriptions();
    private final ControlPublisher control = new ControlPublisher();
    /** What reached the application, in order. */
    private final List<String> application = new ArrayList<>();

    /** A push of a topic: the bytes the server would send (the test only needs them to differ). */
    private record Push(Topic topic, String body) {
    }

    /** A Subscribe as written by the client. */
    private record Sent(long subscriptionId, long resumeAfterSeq, int resumeSkip, int following) {
    }

    @Test
    void shouldNotDeliverAPushTwiceWhenASubscriptionAddedWhileLiveTookEffectAfterItsSequenceBegan() throws IOException {
        subscriptions.add(FRAUD);
        subscriptions.onLogon(3); // first session, live from 4
        written();

        subscriptions.add(STOCK); // the application subscribes while live ...
        written(); // ... its Subscribe is on its way, but the server dispatches event 5 before it takes effect
        final List<Push> event5 = List.of(new Push(Topic.STOCK, "stock-5"), new Push(Topic.FRAUD_ALERT, "fraud-5"));
        live(5, event5, Topic.FRAUD_ALERT); // routed under FRAUD only
        // the Subscribe takes effect; the connection drops before any later push

        subscriptions.onLogon(5);
        final Sent last = lastResume(written());
        assertEquals(5, last.resumeAfterSeq());
        catchUp(5, event5, last.resumeSkip(), Topic.FRAUD_ALERT, Topic.STOCK);

        assertEquals(1, application.stream().filter("fraud-5"::equals).count(),
            "fraud-5 reached the application once: " + application + " (resumeSkip " + last.resumeSkip() + ")");
        assertEquals(List.of("fraud-5", "stock-5"), application);
    }

    @Test
    void shouldNotLoseAPushWhenAnUnsubscribeTookEffectAfterItsSequenceBegan() throws IOException {
        subscriptions.add(FRAUD);
        subscriptions.add(STOCK);
        subscriptions.onLogon(3);
        written();

        subscriptions.remove(STOCK.subscriptionId()); // on its way when event 5 is dispatched
        written();
        final List<Push> event5 = List.of(new Push(Topic.STOCK, "stock-5"), new Push(Topic.FRAUD_ALERT, "fraud-5a"),
            new Push(Topic.FRAUD_ALERT, "fraud-5b"));
        // routed under both; the connection drops after two of the three pushes came
        live(5, event5.subList(0, 2), Topic.FRAUD_ALERT, Topic.STOCK);

        subscriptions.onLogon(5);
        final Sent last = lastResume(written());
        catchUp(5, event5, last.resumeSkip(), Topic.FRAUD_ALERT);

        assertEquals(List.of("stock-5", "fraud-5a", "fraud-5b"), application,
            "fraud-5b was lost if missing (resumeSkip " + last.resumeSkip() + ")");
    }

    /** Two subscriptions sent at the first logon: an event can be dispatched between the two taking effect. */
    @Test
    void shouldNotDeliverAPushTwiceWhenAnEventCameBetweenTheFirstSessionsSubscribes() throws IOException {
        subscriptions.add(FRAUD);
        subscriptions.add(STOCK);
        subscriptions.onLogon(3);
        written();
        final List<Push> event5 = List.of(new Push(Topic.STOCK, "stock-5"), new Push(Topic.FRAUD_ALERT, "fraud-5"));
        live(5, event5, Topic.FRAUD_ALERT); // FRAUD took effect, STOCK not yet

        subscriptions.onLogon(5);
        final Sent last = lastResume(written());
        catchUp(5, event5, last.resumeSkip(), Topic.FRAUD_ALERT, Topic.STOCK);

        assertEquals(List.of("fraud-5", "stock-5"), application, "resumeSkip " + last.resumeSkip());
    }

    /** What a count stays good for: unchanged subscriptions after a resume, and a later resume skips by it. */
    @Test
    void shouldStillResumeWithTheCountWhenTheSubscriptionsTheServerHoldsAreKnown() throws IOException {
        subscriptions.add(FRAUD);
        subscriptions.onLogon(3);
        written();
        subscriptions.onLogon(3); // a reconnect: the server gets the subscriptions with the resume
        assertEquals(new Sent(1, 4, 0, 0), lastResume(written()));
        subscriptions.onCatchUp(true, 3);
        final List<Push> event5 = List.of(new Push(Topic.FRAUD_ALERT, "fraud-5a"), new Push(Topic.FRAUD_ALERT, "fraud-5b"));
        live(5, event5.subList(0, 1), Topic.FRAUD_ALERT);

        subscriptions.onLogon(5);
        final Sent last = lastResume(written());
        assertEquals(1, last.resumeSkip(), "the server skips the one that came");
        catchUp(5, event5, last.resumeSkip(), Topic.FRAUD_ALERT);
        assertEquals(List.of("fraud-5a", "fraud-5b"), application);
    }

    private static final Subscriptions.Entry ORDERS = new Subscriptions.Entry(3, Topic.ORDER_STATUS, FilterKind.ALL, "");

    /** One catch-up round of {@code seq} that sends at most {@code max} pushes after the skip; complete when all went. */
    private void round(final long seq, final List<Push> event, final int skip, final int max, final Topic... resumedWith) {
        subscriptions.onCatchUp(pushes(seq, event, skip, max, resumedWith), seq);
    }

    /** A round's pushes, its CatchUp not yet come: whether it is complete. */
    private boolean pushes(final long seq, final List<Push> event, final int skip, final int max, final Topic... resumedWith) {
        final List<Push> routed = event.stream().filter(p -> List.of(resumedWith).contains(p.topic())).toList();
        final List<Push> rest = routed.subList(Math.min(skip, routed.size()), routed.size());
        final int n = Math.min(max, rest.size());
        for (final Push push : rest.subList(0, n)) {
            deliver(seq, push);
        }
        return n == rest.size();
    }

    private void assertOnce(final List<String> expected) {
        assertEquals(expected.stream().sorted().toList(), application.stream().sorted().toList(),
            "each push once: " + application);
    }

    // Variants written by the review of the fix, and the preset count (resumeAfter) it found still sent under changed
    // subscriptions (MEDIUM, proved by these tests).

    /**
     * A preset position (resumeAfter) was sent with its count whatever the subscriptions: a subscription added while the
     * first session catches up inside the preset sequence (rounds) made the next round skip by a count made under
     * the old subscriptions (fraud-5b twice, stock-5 lost). Now the next round asks for the whole sequence: what came in
     * this process is recognised, and fraud-5a, which the application had before it, comes again (at least once).
     */
    @Test
    void presetCountIsNotSentUnderSubscriptionsAddedDuringItsCatchUp() throws IOException {
        subscriptions.add(FRAUD);
        subscriptions.presetPosition(5, 1); // the application had fraud-5a from an earlier process
        subscriptions.onLogon(9);
        final Sent first = lastResume(written());
        assertEquals(1, first.resumeSkip());
        final List<Push> event5 = List.of(new Push(Topic.STOCK, "stock-5"), new Push(Topic.FRAUD_ALERT, "fraud-5a"),
            new Push(Topic.FRAUD_ALERT, "fraud-5b"), new Push(Topic.FRAUD_ALERT, "fraud-5c"));
        final boolean complete = pushes(5, event5, first.resumeSkip(), 1, Topic.FRAUD_ALERT); // fraud-5b
        subscriptions.add(STOCK); // live, before the round's CatchUp came: taken before the next round
        written();
        subscriptions.onCatchUp(complete, 5);
        final Sent next = lastResume(written());
        round(5, event5, next.resumeSkip(), 100, Topic.FRAUD_ALERT, Topic.STOCK);
        assertEquals(0, next.resumeSkip(), "not the preset count, under other subscriptions");
        assertOnce(List.of("fraud-5b", "stock-5", "fraud-5a", "fraud-5c"));
    }

    /** Same, the first session dropped inside the preset sequence and a subscription added while away. */
    @Test
    void presetCountIsNotSentUnderSubscriptionsAddedWhileAwayInsideThePresetSequence() throws IOException {
        subscriptions.add(FRAUD);
        subscriptions.presetPosition(5, 1);
        subscriptions.onLogon(9);
        written();
        deliver(5, new Push(Topic.FRAUD_ALERT, "fraud-5b")); // the catch-up's first push; the connection drops
        subscriptions.add(STOCK);
        subscriptions.onLogon(9);
        final Sent last = lastResume(written());
        final List<Push> event5 = List.of(new Push(Topic.STOCK, "stock-5"), new Push(Topic.FRAUD_ALERT, "fraud-5a"),
            new Push(Topic.FRAUD_ALERT, "fraud-5b"), new Push(Topic.FRAUD_ALERT, "fraud-5c"));
        catchUp(5, event5, last.resumeSkip(), Topic.FRAUD_ALERT, Topic.STOCK);
        assertEquals(1, application.stream().filter("fraud-5b"::equals).count(), "fraud-5b once: " + application
            + " (resumeSkip " + last.resumeSkip() + ")");
        assertEquals(1, application.stream().filter("stock-5"::equals).count(), "stock-5 not lost: " + application);
        assertOnce(List.of("fraud-5b", "stock-5", "fraud-5a", "fraud-5c")); // fraud-5a, had before this process, again
    }

    /** The preset count still holds for a resume under the first session's subscriptions, unchanged. */
    @Test
    void presetCountIsSentAgainWhileTheSubscriptionsStayTheFirstSessions() throws IOException {
        subscriptions.add(FRAUD);
        subscriptions.presetPosition(5, 1);
        subscriptions.onLogon(9);
        assertEquals(1, lastResume(written()).resumeSkip());
        deliver(5, new Push(Topic.FRAUD_ALERT, "fraud-5b")); // the connection drops after it
        subscriptions.onLogon(9);
        final Sent again = lastResume(written());
        assertEquals(2, again.resumeSkip(), "fraud-5a (before this process) and fraud-5b, under the same subscriptions");
        catchUp(5, List.of(new Push(Topic.FRAUD_ALERT, "fraud-5a"), new Push(Topic.FRAUD_ALERT, "fraud-5b"),
            new Push(Topic.FRAUD_ALERT, "fraud-5c")), again.resumeSkip(), Topic.FRAUD_ALERT);
        assertOnce(List.of("fraud-5b", "fraud-5c"));
    }

    /**
     * A subscription added after the resume was queued but before its last Subscribe was written (so it goes after
     * it, live): the first round runs under the old subscriptions and stops inside the sequence; the next must not
     * skip by that count under the new ones. (Kills the mutation routedVersion = version regardless of what is queued.)
     */
    @Test
    void shouldRecountWhenAChangeWasQueuedBehindTheResume() throws IOException {
        subscriptions.add(FRAUD);
        subscriptions.onLogon(3);
        written();
        final List<Push> event5 = List.of(new Push(Topic.STOCK, "stock-5"), new Push(Topic.FRAUD_ALERT, "fraud-5a"),
            new Push(Topic.FRAUD_ALERT, "fraud-5b"));
        live(5, event5.subList(0, 2), Topic.FRAUD_ALERT); // fraud-5a; the connection drops
        subscriptions.onLogon(5);
        subscriptions.add(STOCK); // queued behind the resume
        final List<Sent> sent = written();
        assertEquals(2, sent.size(), sent.toString());
        final Sent resume = sent.get(0);
        assertEquals(0, resume.following());
        round(5, event5, resume.resumeSkip(), 1, Topic.FRAUD_ALERT); // fraud-5a again (a repeat), incomplete
        // the live Subscribe of STOCK takes effect
        final Sent next = lastResume(written());
        round(5, event5, next.resumeSkip(), 100, Topic.FRAUD_ALERT, Topic.STOCK);
        assertOnce(List.of("fraud-5a", "stock-5", "fraud-5b"));
    }

    /**
     * Several subscriptions, first session, a drop inside a sequence, a resume whose round stops inside it, a
     * subscription added live during that catch-up, another drop, a resume: every push once.
     */
    @Test
    void shouldDeliverEachOnceThroughAReconnectLoopWithAChangeDuringTheCatchUp() throws IOException {
        subscriptions.add(FRAUD);
        subscriptions.add(STOCK);
        subscriptions.onLogon(3);
        written();
        final List<Push> event5 = List.of(new Push(Topic.STOCK, "stock-5a"), new Push(Topic.ORDER_STATUS, "order-5a"),
            new Push(Topic.FRAUD_ALERT, "fraud-5a"), new Push(Topic.STOCK, "stock-5b"), new Push(Topic.ORDER_STATUS, "order-5b"),
            new Push(Topic.FRAUD_ALERT, "fraud-5b"), new Push(Topic.FRAUD_ALERT, "fraud-5c"));
        live(5, event5.subList(0, 3), Topic.FRAUD_ALERT); // STOCK not yet taken: fraud-5a; drop
        subscriptions.onLogon(5);
        Sent last = lastResume(written());
        final boolean complete = pushes(5, event5, last.resumeSkip(), 2, Topic.FRAUD_ALERT, Topic.STOCK); // stock-5a, fraud-5a(repeat)
        subscriptions.add(ORDERS); // live, during the catch-up
        written();
        subscriptions.onCatchUp(complete, 5);
        last = lastResume(written());
        round(5, event5, last.resumeSkip(), 2, Topic.FRAUD_ALERT, Topic.STOCK, Topic.ORDER_STATUS); // drop after this round's pushes
        subscriptions.onLogon(5);
        last = lastResume(written());
        round(5, event5, last.resumeSkip(), 100, Topic.FRAUD_ALERT, Topic.STOCK, Topic.ORDER_STATUS);
        subscriptions.onLogon(5); // and once more, after a complete catch-up, with nothing since
        last = lastResume(written());
        assertEquals(6, last.resumeAfterSeq(), last.toString());
        assertOnce(List.of("stock-5a", "order-5a", "fraud-5a", "stock-5b", "order-5b", "fraud-5b", "fraud-5c"));
    }

    /** Remove while a resume's round stops inside a sequence, then a drop: nothing lost. */
    @Test
    void shouldNotLoseWhenAnUnsubscribeCameBetweenRounds() throws IOException {
        subscriptions.add(FRAUD);
        subscriptions.add(STOCK);
        subscriptions.onLogon(3);
        written();
        subscriptions.onLogon(3); // a resume: the server's subscriptions known from here
        lastResume(written());
        subscriptions.onCatchUp(true, 3);
        final List<Push> event5 = List.of(new Push(Topic.STOCK, "stock-5a"), new Push(Topic.FRAUD_ALERT, "fraud-5a"),
            new Push(Topic.STOCK, "stock-5b"), new Push(Topic.FRAUD_ALERT, "fraud-5b"), new Push(Topic.FRAUD_ALERT, "fraud-5c"));
        live(5, event5.subList(0, 2), Topic.FRAUD_ALERT, Topic.STOCK); // stock-5a, fraud-5a; drop
        subscriptions.onLogon(5);
        Sent last = lastResume(written());
        assertEquals(2, last.resumeSkip(), "known: counted under the resume's subscriptions");
        final boolean complete = pushes(5, event5, last.resumeSkip(), 1, Topic.FRAUD_ALERT, Topic.STOCK); // stock-5b
        subscriptions.remove(STOCK.subscriptionId());
        written();
        subscriptions.onCatchUp(complete, 5);
        last = lastResume(written());
        round(5, event5, last.resumeSkip(), 100, Topic.FRAUD_ALERT);
        assertOnce(List.of("stock-5a", "fraud-5a", "stock-5b", "fraud-5b", "fraud-5c"));
    }

    private void live(final long seq, final List<Push> pushes, final Topic... routedTo) {
        for (final Push push : pushes) {
            if (List.of(routedTo).contains(push.topic())) {
                deliver(seq, push);
            }
        }
    }

    /** The server's catch-up of {@code seq} under the subscriptions resumed with: its pushes after the first {@code skip}. */
    private void catchUp(final long seq, final List<Push> event, final int skip, final Topic... resumedWith) {
        final List<Push> routed = event.stream().filter(p -> List.of(resumedWith).contains(p.topic())).toList();
        for (final Push push : routed.subList(Math.min(skip, routed.size()), routed.size())) {
            deliver(seq, push);
        }
        subscriptions.onCatchUp(true, seq);
    }

    private void deliver(final long seq, final Push push) {
        final byte[] bytes = push.body().getBytes(StandardCharsets.UTF_8);
        if (subscriptions.onPush(seq, new UnsafeBuffer(bytes), 0, bytes.length)) {
            application.add(push.body());
        }
    }

    private static Sent lastResume(final List<Sent> sent) {
        final Sent last = sent.get(sent.size() - 1);
        assertEquals(0, last.following(), "the last Subscribe of a resume: " + sent);
        return last;
    }

    /** The Subscribes the client writes now. */
    private List<Sent> written() throws IOException {
        subscriptions.drainTo(control);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (control.hasPending()) {
            control.writeTo(Channels.newChannel(out));
        }
        final UnsafeBuffer frames = new UnsafeBuffer(out.toByteArray());
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final SubscribeDecoder subscribe = new SubscribeDecoder();
        final List<Sent> sent = new ArrayList<>();
        for (int at = 0; at < frames.capacity(); at += SofhHeader.messageLength(frames, at)) {
            header.wrap(frames, at + SofhHeader.LENGTH);
            if (header.templateId() == SubscribeDecoder.TEMPLATE_ID) {
                subscribe.wrap(frames, at + SofhHeader.LENGTH + header.encodedLength(), header.blockLength(), header.version());
                sent.add(new Sent(subscribe.subscriptionId(), subscribe.resumeAfterSeq(), subscribe.resumeSkip(),
                    subscribe.resumeFollowing()));
            }
        }
        return sent;
    }
}
