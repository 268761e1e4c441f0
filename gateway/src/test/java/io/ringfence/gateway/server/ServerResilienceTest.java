package io.ringfence.gateway.server;

import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.gateway.testing.RecordingHandler;
import io.ringfence.gateway.testing.TestClient;
import io.ringfence.sbe.HeartbeatDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.RejectCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.ringfence.gateway.testing.GatewayFixture.ADMIN;
import static io.ringfence.gateway.testing.GatewayFixture.SECRET;
import static io.ringfence.gateway.testing.GatewayFixture.SUBMITTER;
import static io.ringfence.gateway.testing.GatewayFixture.WATCHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerResilienceTest {
    private GatewayFixture gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void shouldCloseAPeerThatStallsMidFrameOnIdleTimeoutWhileOthersKeepWorking() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.heartbeatInterval = "100ms";
        config.idleTimeout = "400ms";
        gateway = new GatewayFixture(config);
        try (TestClient good = TestClient.logOn(gateway.port(), ADMIN, SECRET);
             TestClient staller = TestClient.logOn(gateway.port(), SUBMITTER, SECRET)) {
            final byte[] order = Frames.order(1, "o-1", 1);
            staller.send(order, 0, order.length / 2);
            long seq = 0;
            while (gateway.server().counters().get(GatewayCounter.IDLE_DISCONNECTS) == 0) {
                good.send(Frames.payment(++seq));
                final RecordingHandler.Received received = gateway.inbound().next();
                assertNotNull(received, "the good session is served while the other stalls");
                assertEquals(seq, received.clientSeq());
                assertTrue(seq < 200, "the staller was not closed within 200 round trips");
                Thread.sleep(20);
            }
            staller.expectClosed();
            good.send(Frames.payment(++seq));
            assertEquals(seq, gateway.inbound().next().clientSeq());
        }
        assertEquals(1, gateway.server().counters().get(GatewayCounter.IDLE_DISCONNECTS));
    }

    @Test
    void shouldCloseAConnectionThatDoesNotLogOnInTimeEvenWhileItTricklesBytes() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.maxSessions = 1;
        config.logonTimeout = "300ms";
        gateway = new GatewayFixture(config);
        final long start = System.nanoTime();
        try (TestClient squatter = TestClient.connect(gateway.port())) {
            final byte[] logon = Frames.logon(SUBMITTER, SECRET);
            // half a Logon, a byte at a time: each byte is activity, but the slot is held only until the logon timeout
            for (int i = 0; i < logon.length / 2 && System.nanoTime() - start < 250_000_000L; i++) {
                squatter.send(logon, i, 1);
                Thread.sleep(20);
            }
            final TestClient.Frame reject = squatter.readSkippingHeartbeats();
            assertEquals(RejectCode.NOT_LOGGED_ON, reject.reject().code(), reject.toString());
            assertEquals("no Logon within gateway.logonTimeout of connecting", reject.reject().reason());
            squatter.expectClosed();
        }
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "closed at the logon timeout, not the 10 s idle timeout");
        // counted once the close is done, just after the Reject was written: wait for it rather than race the I/O thread
        GatewayFixture.await("the logon timeout counted", () -> gateway.server().counters().get(GatewayCounter.LOGON_TIMEOUTS) == 1);
        try (TestClient client = TestClient.logOn(gateway.port(), SUBMITTER, SECRET)) {
            client.send(Frames.order(1, "o-1", 0));
            assertEquals(1, gateway.inbound().next().clientSeq(), "the one slot is free for a client that logs on");
        }
    }

    @Test
    void shouldGiveTheSlotOfTheOldestConnectionNotLoggedOnToANewOneAndRefuseBeyondLoggedOnSessions() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.maxSessions = 2;
        gateway = new GatewayFixture(config);
        try (TestClient first = TestClient.logOn(gateway.port(), SUBMITTER, SECRET);
             TestClient squatter = TestClient.connect(gateway.port())) {
            GatewayFixture.await("the squatter holds the second slot", () -> gateway.server().counters().get(GatewayCounter.CONNECTIONS_ACCEPTED) == 2);
            try (TestClient early = TestClient.connect(gateway.port())) {
                // the squatter connected just now: it has a quarter of the logon timeout (250 ms at most) to log on
                early.expectRejectAndClose(RejectCode.SERVER_BUSY);
            }
            Thread.sleep(300);
            try (TestClient second = TestClient.connect(gateway.port())) {
                // every slot taken: the connection that has not logged on yields to the new one (gateway trial: a
                // reconnect loop kept every slot and no client could log on)
                final TestClient.Frame displaced = squatter.readSkippingHeartbeats();
                assertEquals(RejectCode.SERVER_BUSY, displaced.reject().code(), displaced.toString());
                assertEquals("too many sessions: not logged on yet, and a newer connection needed the slot", displaced.reject().reason());
                squatter.expectClosed();
                second.send(Frames.logon(WATCHER, SECRET));
                assertEquals(io.ringfence.sbe.LogonAckDecoder.TEMPLATE_ID, second.readSkippingHeartbeats().templateId());
                try (TestClient third = TestClient.connect(gateway.port())) {
                    third.expectRejectAndClose(RejectCode.SERVER_BUSY); // both slots hold logged-on sessions: never displaced
                }
                assertEquals(1, gateway.server().counters().get(GatewayCounter.CONNECTIONS_DISPLACED));
                assertEquals(2, gateway.server().counters().get(GatewayCounter.CONNECTIONS_REFUSED_BUSY));
                first.send(Frames.order(3, "o-3", 0));
                assertEquals(3, gateway.inbound().next().clientSeq());
            }
        }
        GatewayFixture.await("both slots freed", () -> gateway.server().counters().get(GatewayCounter.SESSIONS_CLOSED) == 5);
        try (TestClient again = TestClient.logOn(gateway.port(), SUBMITTER, SECRET)) {
            again.send(Frames.order(4, "o-4", 0));
            assertEquals(4, gateway.inbound().next().clientSeq(), "a freed slot is usable again");
        }
    }

    @Test
    void shouldRefuseMoreConnectionsAwaitingTheirLogonFromOneAddressThanItsShare() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.maxSessions = 8; // a quarter of 8 is 2, at least 4 from one address
        gateway = new GatewayFixture(config);
        final java.util.List<TestClient> waiting = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                waiting.add(TestClient.connect(gateway.port()));
            }
            GatewayFixture.await("four awaiting their logon", () -> gateway.server().counters().get(GatewayCounter.CONNECTIONS_ACCEPTED) == 4);
            try (TestClient fifth = TestClient.connect(gateway.port())) {
                final TestClient.Frame refused = fifth.readSkippingHeartbeats();
                assertEquals(RejectCode.SERVER_BUSY, refused.reject().code(), refused.toString());
                assertEquals("too many connections from this address are awaiting their logon", refused.reject().reason());
                fifth.expectClosed();
            }
            assertEquals(1, gateway.server().counters().get(GatewayCounter.CONNECTIONS_REFUSED_ADDRESS));
            waiting.get(0).send(Frames.logon(SUBMITTER, SECRET));
            assertEquals(io.ringfence.sbe.LogonAckDecoder.TEMPLATE_ID, waiting.get(0).readSkippingHeartbeats().templateId());
            // one of them logged on: room for another from the address (logOn asserts its LogonAck)
            TestClient.logOn(gateway.port(), WATCHER, SECRET).close();
        } finally {
            for (final TestClient c : waiting) {
                c.close();
            }
        }
    }

    /**
     * Security trial: behind a proxy every client shares one address, and idle connections held from it (16, its share)
     * refused every client's logon, 0 of 50. The address's oldest connection awaiting its logon past its grace now
     * yields its place to a newer one from the address, as the oldest of all does when every slot is taken.
     */
    @Test
    void shouldLetANewConnectionFromACrowdedAddressDisplaceItsOldestIdleOne() throws Exception {
        final GatewayConfig config = GatewayFixture.config();
        config.maxSessions = 8; // a share of 4 from one address
        gateway = new GatewayFixture(config);
        final java.util.List<TestClient> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                idle.add(TestClient.connect(gateway.port()));
            }
            GatewayFixture.await("four awaiting their logon", () -> gateway.server().counters().get(GatewayCounter.CONNECTIONS_ACCEPTED) == 4);
            Thread.sleep(300); // past their grace
            for (int i = 0; i < 3; i++) {
                // each logon displaces the oldest idle one; a new idle one keeps the address at its share, and is not the
                // one the next logon displaces
                TestClient.logOn(gateway.port(), SUBMITTER, SECRET).close(); // asserts its LogonAck
                final TestClient displaced = idle.get(i);
                final TestClient.Frame frame = displaced.readSkippingHeartbeats();
                assertEquals(RejectCode.SERVER_BUSY, frame.reject().code(), frame.toString());
                assertTrue(frame.reject().reason().startsWith("too many connections from this address awaiting their logon"),
                    frame.reject().reason());
                displaced.expectClosed();
                final long accepted = gateway.server().counters().get(GatewayCounter.CONNECTIONS_ACCEPTED);
                idle.add(TestClient.connect(gateway.port()));
                GatewayFixture.await("the new idle one accepted", () -> gateway.server().counters().get(GatewayCounter.CONNECTIONS_ACCEPTED) > accepted);
            }
            assertEquals(3, gateway.server().counters().get(GatewayCounter.CONNECTIONS_DISPLACED), "the oldest first, one each");
            assertEquals(0, gateway.server().counters().get(GatewayCounter.CONNECTIONS_REFUSED_ADDRESS));
        } finally {
            for (final TestClient c : idle) {
                c.close();
            }
        }
    }

    @Test
    void shouldTakeAsManyConnectionsAwaitingTheirLogonFromOneAddressAsConfigured() throws Exception {
        // clients behind one proxy address reconnecting at once after a restart: the default share (4 of 8 here) is raised
        final GatewayConfig config = GatewayFixture.config();
        config.maxSessions = 8;
        config.maxAwaitingLogonPerAddress = 6;
        gateway = new GatewayFixture(config);
        final java.util.List<TestClient> waiting = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                waiting.add(TestClient.connect(gateway.port()));
            }
            GatewayFixture.await("six awaiting their logon", () -> gateway.server().counters().get(GatewayCounter.CONNECTIONS_ACCEPTED) == 6);
            assertEquals(0, gateway.server().counters().get(GatewayCounter.CONNECTIONS_REFUSED_ADDRESS));
            try (TestClient seventh = TestClient.connect(gateway.port())) {
                assertEquals(RejectCode.SERVER_BUSY, seventh.readSkippingHeartbeats().reject().code());
                seventh.expectClosed();
            }
            assertEquals(1, gateway.server().counters().get(GatewayCounter.CONNECTIONS_REFUSED_ADDRESS));
        } finally {
            for (final TestClient c : waiting) {
                c.close();
            }
        }
    }

    @Test
    void shouldDisconnectASlowConsumerWithoutEverBlockingTheProducer() throws Exception {
        gateway = new GatewayFixture(GatewayFixture.config());
        try (TestClient slow = TestClient.connect(gateway.port(), 4096)) {
            slow.send(Frames.logon(WATCHER, SECRET));
            final long slowId = gateway.nextLogon();
            final TestClient fast = TestClient.logOn(gateway.port(), ADMIN, SECRET);
            final long fastId = gateway.nextLogon();
            final UnsafeBuffer push = Frames.message(Frames.order(1, "push", 10));
            final int[] offered = new int[1];
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                while (gateway.server().offer(slowId, push, 0, push.capacity())) {
                    offered[0]++;
                }
            }, "offer() never blocks: it returns false once the slow session's buffer is full");
            assertTrue(offered[0] > 0);
            GatewayFixture.await("slow consumer disconnected",
                () -> gateway.server().counters().get(GatewayCounter.SLOW_CONSUMER_DISCONNECTS) == 1);
            assertFalse(gateway.server().offer(slowId, push, 0, push.capacity()), "offers to a closed session fail");

            final UnsafeBuffer reply = Frames.message(Frames.heartbeat(77));
            assertTrue(gateway.server().offer(fastId, reply, 0, reply.capacity()));
            assertEquals(77, new HeartbeatDecoder().wrap(skipHeartbeatsUntil(fast, 77).message(),
                MessageHeaderDecoder.ENCODED_LENGTH, HeartbeatDecoder.BLOCK_LENGTH, 0).sendTime());
            fast.close();
        }
        assertTrue(gateway.server().counters().get(GatewayCounter.OFFERS_FULL) >= 1);
    }

    @Test
    void shouldStopReadingWhileTheHandlerIsFullAndLoseNothing() throws Exception {
        gateway = new GatewayFixture(GatewayFixture.config());
        gateway.inbound().refuseNext(25);
        try (TestClient a = TestClient.logOn(gateway.port(), SUBMITTER, SECRET);
             TestClient b = TestClient.logOn(gateway.port(), ADMIN, SECRET)) {
            for (int i = 1; i <= 50; i++) {
                a.send(Frames.payment(i));
                b.send(Frames.payment(1000 + i));
            }
            long nextA = 1;
            long nextB = 1001;
            for (int i = 0; i < 100; i++) {
                final RecordingHandler.Received received = gateway.inbound().next();
                assertNotNull(received, "message " + i + " arrived");
                if (received.clientSeq() < 1000) {
                    assertEquals(nextA++, received.clientSeq(), "session a in order, none lost");
                } else {
                    assertEquals(nextB++, received.clientSeq(), "session b in order, none lost");
                }
            }
        }
        assertEquals(25, gateway.inbound().refused());
        assertTrue(gateway.server().counters().get(GatewayCounter.BACK_PRESSURE_PAUSES) >= 1);
    }

    @Test
    void shouldTellSessionsTheServerIsShuttingDown() throws Exception {
        gateway = new GatewayFixture(GatewayFixture.config());
        try (TestClient client = TestClient.logOn(gateway.port(), SUBMITTER, SECRET)) {
            gateway.close();
            gateway = null;
            client.expectRejectAndClose(RejectCode.SHUTTING_DOWN);
        }
    }

    private static TestClient.Frame skipHeartbeatsUntil(final TestClient client, final long sendTime) throws Exception {
        while (true) {
            final TestClient.Frame frame = client.read();
            if (new HeartbeatDecoder().wrap(frame.message(), MessageHeaderDecoder.ENCODED_LENGTH,
                HeartbeatDecoder.BLOCK_LENGTH, 0).sendTime() == sendTime) {
                return frame;
            }
        }
    }
}
