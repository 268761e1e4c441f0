package io.ringfence.gateway.client;

import io.ringfence.gateway.server.GatewayServer;
import io.ringfence.gateway.testing.GatewayFixture;
import io.ringfence.sbe.DecisionDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Once warm, neither the sending thread nor the client's I/O thread allocates per message:
 * send copies into the preallocated ring, the I/O thread writes from it, decodes answers with
 * flyweights and releases in place. Measured with the JVM's per-thread allocation counters.
 */
class ClientSteadyStateAllocationTest {
    private static final int BATCH = 200;
    private static final int WARM_UP_BATCHES = 20;
    private static final int MEASURED_BATCHES = 20;
    /** Slack for JDK-internal one-offs (selector bookkeeping), far below one byte per message. */
    private static final long ALLOWED_BYTES = 2 * 1024;
    /** A store that holds a whole batch. */
    private static final int STORE_BYTES = 256 * 1024;

    @Test
    void shouldNotAllocatePerMessageOnTheSenderOrTheIoThread() throws Exception {
        final com.sun.management.ThreadMXBean threads = threadBean();
        final FakeEngine engine = new FakeEngine();
        final AtomicLong decided = new AtomicLong();
        final ClientListener counting = new ClientListener() {
            @Override
            public void onDecision(final DecisionDecoder decision) {
                decided.lazySet(decision.clientSeq());
            }
        };
        final UnsafeBuffer order = Messages.order();
        try (GatewayServer server = engine.start(ClientTests.serverConfig());
             GatewayClient client = GatewayClient.open(ClientTests.clientConfig(STORE_BYTES), counting, ClientTests.HOST,
                 server.port(), GatewayFixture.SUBMITTER, GatewayFixture.SECRET)) {
            final long ioThread = findThread("ringfence-client-" + GatewayFixture.SUBMITTER);
            long ioFrom = 0;
            long senderBytes = 0;
            for (int batch = 0; batch < WARM_UP_BATCHES + MEASURED_BATCHES; batch++) {
                final boolean measured = batch >= WARM_UP_BATCHES;
                if (batch == WARM_UP_BATCHES) {
                    ioFrom = threads.getThreadAllocatedBytes(ioThread);
                }
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < BATCH; i++) {
                    if (client.send(order, 0, order.capacity()) <= 0) {
                        fail("send refused in batch " + batch);
                    }
                }
                final long after = threads.getCurrentThreadAllocatedBytes();
                if (measured) {
                    senderBytes += after - before;
                }
                assertTrue(client.awaitAcknowledged(5, TimeUnit.SECONDS));
            }
            final long ioBytes = threads.getThreadAllocatedBytes(ioThread) - ioFrom;
            final int messages = MEASURED_BATCHES * BATCH;
            System.out.println("client allocated " + senderBytes + " bytes on the sender and " + ioBytes
                + " on the I/O thread for " + messages + " messages");
            assertEquals((long) (WARM_UP_BATCHES + MEASURED_BATCHES) * BATCH, decided.get());
            assertTrue(senderBytes < ALLOWED_BYTES, "send() allocated " + senderBytes + " bytes for " + messages + " messages");
            assertTrue(ioBytes < ALLOWED_BYTES, "the I/O thread allocated " + ioBytes + " bytes for " + messages + " messages");
        }
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        return threads;
    }

    private static long findThread(final String name) {
        for (final Thread thread : Thread.getAllStackTraces().keySet()) {
            if (name.equals(thread.getName())) {
                return thread.getId();
            }
        }
        throw new AssertionError("no thread named " + name);
    }
}
