package io.ringfence.gateway.server;

import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.InboundHandler;
import io.ringfence.gateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The I/O thread gives the inbound handler its {@link InboundHandler#doWork} every loop, also with no session and no
 * message: the engine takes a due snapshot still pending there, so a quiet server does not keep it pending.
 */
class HandlerWorkTest {
    @Test
    void theHandlersOwnWorkRunsOnTheIoThreadWhileNothingArrives() throws Exception {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong otherThread = new AtomicLong();
        final InboundHandler handler = GatewayFixture.handlerWithWork(() -> {
            if (!"ringfence-gateway".equals(Thread.currentThread().getName())) {
                otherThread.incrementAndGet();
            }
            calls.incrementAndGet();
            return 0;
        });
        try (GatewayServer server = GatewayServer.start(GatewayFixture.config(), null, GatewayHandlers.of(handler))) {
            final long before = calls.get();
            GatewayFixture.await("the handler's work called again and again with nothing arriving", () -> calls.get() > before + 5);
        }
        assertEquals(0, otherThread.get(), "only on the gateway I/O thread");
    }
}
