package io.ringfence.gateway.server;

import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.InboundHandler;
import io.ringfence.gateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The I/O thread's loop age, which {@code /health} and {@code ringfence_gateway_io_loop_age_seconds} read: small while the
 * thread comes round its loop with nothing arriving, growing while it is stuck, small again once it moves.
 */
class IoLoopAgeTest {
    private static final long TICK_AND_SCHEDULING_NANOS = TimeUnit.MILLISECONDS.toNanos(400);

    @Test
    void theAgeStaysWithinATickWhileIdleAndGrowsWhileTheThreadIsStuck() throws Exception {
        final AtomicBoolean stick = new AtomicBoolean();
        final CountDownLatch stuck = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final InboundHandler handler = GatewayFixture.handlerWithWork(() -> {
            if (stick.get()) {
                stuck.countDown();
                try {
                    release.await(); // a stage that blocks the I/O thread
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 0;
        });
        try (GatewayServer server = GatewayServer.start(GatewayFixture.config(), null, GatewayHandlers.of(handler))) {
            Thread.sleep(300); // idle: no session, no message
            long idle = Long.MAX_VALUE;
            for (int i = 0; i < 10; i++) { // the least of a few reads: a single read may land in a descheduled moment
                idle = Math.min(idle, server.ioLoopAgeNanos());
                Thread.sleep(20);
            }
            assertTrue(idle < TICK_AND_SCHEDULING_NANOS, "idle age " + idle + " ns");

            stick.set(true);
            assertTrue(stuck.await(5, TimeUnit.SECONDS));
            Thread.sleep(1_000);
            final long whileStuck = server.ioLoopAgeNanos();
            assertTrue(whileStuck >= TimeUnit.MILLISECONDS.toNanos(900), "stuck age " + whileStuck + " ns");

            stick.set(false);
            release.countDown();
            GatewayFixture.await("the age back within a tick once the thread moves",
                () -> server.ioLoopAgeNanos() < TICK_AND_SCHEDULING_NANOS);
        } finally {
            release.countDown();
        }
    }
}
