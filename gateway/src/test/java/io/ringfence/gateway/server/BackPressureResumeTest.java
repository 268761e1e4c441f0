package io.ringfence.gateway.server;

import io.ringfence.gateway.ClientSequences;
import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.InboundHandler;
import io.ringfence.gateway.SessionListener;
import io.ringfence.gateway.SubscriptionHandler;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.sbe.LogonAckDecoder;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ringfence.gateway.testing.GatewayFixture.SECRET;
import static io.ringfence.gateway.testing.GatewayFixture.SUBMITTER;
import static io.ringfence.gateway.testing.GatewayFixture.WATCHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Back-pressure must never strand a frame: when the handler has no capacity while two sessions
 * have frames ready in the same select round, both frames are handed on once capacity returns,
 * even though neither client sends anything more (a subscriber sends its Subscribes and then
 * only reads, so a Subscribe left in its receive buffer would never be looked at again).
 *
 * <p>The I/O thread remembers one paused session. That is enough only because a pause clears
 * {@code OP_READ} on every key and {@code Selector.select(Consumer)} masks the ready set of each
 * key by its interest at the moment it is handled, so no second session is read in the round of
 * the pause. Iterating {@code selectedKeys()} instead (ready sets fixed at select time) would read
 * the second session, pause on it and strand the first one's frame: this test is the guard.
 */
class BackPressureResumeTest {

    @Test
    @Timeout(30)
    void shouldHandOnFramesOfTwoSessionsThatMetAFullHandlerInTheSameRound() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.idleTimeout = "1m"; // neither client sends anything after its frame: only the gateway can move it on
        final Gate gate = new Gate();
        final GatewayServer server = GatewayServer.start(config, null,
            new GatewayHandlers(gate, gate, ClientSequences.NONE, SessionListener.NONE));
        try (server;
             TestClient submitter = TestClient.logOn(server.port(), SUBMITTER, SECRET);
             TestClient watcher = TestClient.logOn(server.port(), WATCHER, SECRET)) {
            // hold the I/O thread inside the handler so the next two frames are both ready when it returns
            gate.holdNext();
            submitter.send(Frames.order(1, "o-1", 1));
            assertTrue(gate.holding.await(5, TimeUnit.SECONDS), "the I/O thread took order 1");
            gate.full = true;
            watcher.send(Frames.subscribe(1));
            submitter.send(Frames.order(2, "o-2", 1));
            Thread.sleep(200); // both frames reach the gateway's sockets (loopback: well within this)
            gate.release.countDown();

            GatewayFixture.await("the handler refused a frame", () -> gate.refused.get() > 0);
            Thread.sleep(200); // the round in which both sessions are read is over
            gate.full = false;

            final Set<String> accepted = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                final String next = gate.accepted.poll(5, TimeUnit.SECONDS);
                assertNotNull(next, "accepted so far: " + accepted + "; still missing one of order 2, subscribe 1");
                accepted.add(next);
            }
            assertEquals(Set.of("order 1", "order 2", "subscribe 1"), accepted);
            assertTrue(server.counters().get(GatewayCounter.BACK_PRESSURE_PAUSES) >= 1);
        }
    }

    @Test
    @Timeout(30)
    void shouldNotTimeOutALogonThatWaitedUnreadThroughAPause() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.idleTimeout = "1m";
        config.logonTimeout = "300ms";
        final Gate gate = new Gate();
        final GatewayServer server = GatewayServer.start(config, null,
            new GatewayHandlers(gate, gate, ClientSequences.NONE, SessionListener.NONE));
        try (server; TestClient submitter = TestClient.logOn(server.port(), SUBMITTER, SECRET)) {
            gate.full = true;
            submitter.send(Frames.order(1, "o-1", 1));
            GatewayFixture.await("the gateway paused on a full handler", () -> gate.refused.get() > 0);
            try (TestClient late = TestClient.connect(server.port())) {
                late.send(Frames.logon(WATCHER, SECRET)); // unread while paused
                Thread.sleep(900); // three logon timeouts
                gate.full = false;
                assertEquals(LogonAckDecoder.TEMPLATE_ID, late.readSkippingHeartbeats().templateId(),
                    "logged on once the pause ended, not closed for a Logon the gateway had not read");
            }
            assertEquals(0, server.counters().get(GatewayCounter.LOGON_TIMEOUTS));
        }
    }

    /** Accepts until told the "ring" is full; can hold the I/O thread in one call (test only, bounded). */
    private static final class Gate implements InboundHandler, SubscriptionHandler {
        final BlockingQueue<String> accepted = new LinkedBlockingQueue<>();
        final AtomicInteger refused = new AtomicInteger();
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean full;
        private volatile boolean hold;

        void holdNext() {
            hold = true;
        }

        @Override
        public boolean onMessage(final long sessionId, final long clientKey, final int templateId, final long clientSeq,
                                 final DirectBuffer buffer, final int offset, final int length) {
            if (hold) {
                hold = false;
                holding.countDown();
                await(release);
                accepted.add("order " + clientSeq);
                return true;
            }
            return take("order " + clientSeq);
        }

        @Override
        public boolean onSubscribe(final long sessionId, final long clientKey, final long clientSeq,
                                   final DirectBuffer buffer, final int offset, final int length) {
            return take("subscribe " + clientSeq);
        }

        @Override
        public boolean onUnsubscribe(final long sessionId, final long clientKey, final long clientSeq,
                                     final DirectBuffer buffer, final int offset, final int length) {
            return take("unsubscribe " + clientSeq);
        }

        private boolean take(final String what) {
            if (full) {
                refused.incrementAndGet();
                return false;
            }
            accepted.add(what);
            return true;
        }

        private static void await(final CountDownLatch latch) {
            try {
                latch.await(5, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
