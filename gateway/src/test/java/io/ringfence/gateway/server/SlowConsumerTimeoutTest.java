package io.ringfence.gateway.server;

import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.GatewayCounters;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.testing.Frames;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.gateway.testing.TestClient;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.util.Arrays;

import static io.ringfence.gateway.testing.GatewayFixture.SECRET;
import static io.ringfence.gateway.testing.GatewayFixture.WATCHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The time bound of the slow-consumer policy ({@code gateway.slowConsumerTimeout}): a session
 * whose socket takes nothing while bytes wait for it is disconnected once that long has passed
 * without progress, however far its backlog is below {@code outboundBufferBytes}; a session that
 * keeps reading, however slowly, is not.
 *
 * <p>The backlog here stays far below the byte limit (a 32 MiB buffer, 12 MiB pushed, of which
 * the kernel's socket buffers take a few MiB at most), so only the time bound can act.
 */
class SlowConsumerTimeoutTest {
    private static final int BUFFER_BYTES = 32 << 20;
    private static final int PUSHED_BYTES = 12 << 20;
    /**
     * The subscribers' SO_RCVBUF. Not tiny: with a few KiB, Linux can settle on a window smaller
     * than one segment and feed the socket one persist probe per ~200 ms (see
     * SlowConsumerUnderLoadTest), which would make the steady reader look stalled.
     */
    private static final int RECEIVE_BUFFER = 64 * 1024;

    private GatewayFixture gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Timeout(30)
    void shouldDisconnectASubscriberThatStopsReadingWhileItsBacklogIsBelowTheByteLimit() throws Exception {
        gateway = new GatewayFixture(config("1s"));
        try (TestClient stalled = TestClient.connect(gateway.port(), RECEIVE_BUFFER)) {
            stalled.send(Frames.logon(WATCHER, SECRET));
            final long sessionId = gateway.nextLogon();
            final long pushedAt = System.nanoTime();
            final int pushes = push(sessionId);
            final GatewayCounters counters = gateway.server().counters();

            GatewayFixture.await("the stalled subscriber disconnected", // await allows 5 s: the bound is 1 s
                () -> counters.get(GatewayCounter.SLOW_CONSUMER_DISCONNECTS) == 1);
            final long afterMillis = (System.nanoTime() - pushedAt) / 1_000_000;
            assertTrue(afterMillis >= 1_000, "not before the timeout, from the first push: " + afterMillis + " ms");
            assertEquals(1, counters.get(GatewayCounter.SLOW_CONSUMER_STALLS), "for making no progress");
            assertEquals(0, counters.get(GatewayCounter.OFFERS_FULL), "its buffer never overflowed");
            final UnsafeBuffer one = Frames.message(Frames.heartbeat(1));
            assertFalse(gateway.server().offer(sessionId, one, 0, one.capacity()), "the session is gone");
            assertTrue(pushes > 0);
        }
    }

    @Test
    @Timeout(60)
    void shouldKeepASubscriberThatReadsSlowlyButSteadily() throws Exception {
        gateway = new GatewayFixture(config("2s"));
        try (TestClient slow = TestClient.connect(gateway.port(), RECEIVE_BUFFER)) {
            slow.send(Frames.logon(WATCHER, SECRET));
            final long sessionId = gateway.nextLogon();
            final long expected = (long) push(sessionId) * pushSize();
            final InputStream in = slow.socket().getInputStream();
            final byte[] chunk = new byte[64 * 1024];
            long read = 0;
            long sinceNap = 0;
            while (read < expected) {
                final int n = in.read(chunk, 0, (int) Math.min(chunk.length, expected - read));
                if (n < 0) {
                    fail("disconnected after " + read + " of " + expected + " bytes; counters " + gateway.server().counters());
                }
                read += n;
                sinceNap += n;
                if (sinceNap >= 512 * 1024) { // a slow reader: half a MiB, then a pause well inside the timeout
                    sinceNap = 0;
                    Thread.sleep(100);
                }
            }
            assertEquals(0, gateway.server().counters().get(GatewayCounter.SLOW_CONSUMER_DISCONNECTS));
            assertEquals(0, gateway.server().counters().get(GatewayCounter.SLOW_CONSUMER_STALLS));
        }
    }

    private static GatewayConfig config(final String slowConsumerTimeout) {
        final GatewayConfig config = GatewayFixture.config();
        config.maxFrameBytes = 64 * 1024;
        config.outboundBufferBytes = BUFFER_BYTES;
        config.idleTimeout = "1m"; // the subscribers send nothing after logon: they must go for being slow, not idle
        config.slowConsumerTimeout = slowConsumerTimeout;
        return config;
    }

    /** Offers {@link #PUSHED_BYTES} in large pushes; every offer must be queued. */
    private int push(final long sessionId) {
        final UnsafeBuffer push = pushMessage();
        int pushes = 0;
        for (long bytes = 0; bytes < PUSHED_BYTES; bytes += push.capacity()) {
            assertTrue(gateway.server().offer(sessionId, push, 0, push.capacity()), "push " + pushes + " queued");
            pushes++;
        }
        return pushes;
    }

    /** A 30 KB message: the gateway frames outbound messages without looking into them, and the readers here do not decode. */
    private static UnsafeBuffer pushMessage() {
        final byte[] bytes = new byte[30_000];
        Arrays.fill(bytes, (byte) 'p');
        return new UnsafeBuffer(bytes);
    }

    /** Framed size of one push on the wire. */
    private static int pushSize() {
        return pushMessage().capacity() + 6;
    }

}
