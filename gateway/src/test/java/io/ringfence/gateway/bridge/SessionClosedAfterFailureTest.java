package io.ringfence.gateway.bridge;

import io.ringfence.engine.pipeline.Pipeline;
import io.ringfence.engine.pipeline.PipelineException;
import io.ringfence.gateway.session.ClientRegistry;
import io.ringfence.gateway.testing.GatewayFixture;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Review of 2026-12-06: a pipeline that failed between {@code onSessionClosed}'s check and its publish (a stage thread,
 * or on the inline layout the SESSION_CLOSED slot's own stages) threw out of the gateway's close of that session, which
 * skipped forgetting the client's live session and, at shutdown, closing the other sessions and the listening socket.
 */
class SessionClosedAfterFailureTest {

    @Test
    void aPipelineThatFailsDuringTheCloseIsNotThrownToTheGateway() {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicInteger publishes = new AtomicInteger();
        final EngineIngress ingress = new EngineIngress(pipeline(failure, publishes, true),
                new ClientDirectory(ClientRegistry.from(GatewayFixture.config(), null)), (s, b, o, l) -> true,
                EngineIngress.Validator.NONE);
        assertDoesNotThrow(() -> ingress.onSessionClosed(7), "the pipeline failed during the publish");
        assertEquals(1, publishes.get(), "the close was offered to the pipeline once");
        assertDoesNotThrow(() -> ingress.onSessionClosed(8), "and a later close is not offered at all");
        assertEquals(1, publishes.get(), "nothing offered to a failed pipeline");
    }

    @Test
    void aPublishFailureOfARunningPipelineIsStillThrown() {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final EngineIngress ingress = new EngineIngress(pipeline(failure, new AtomicInteger(), false),
                new ClientDirectory(ClientRegistry.from(GatewayFixture.config(), null)), (s, b, o, l) -> true,
                EngineIngress.Validator.NONE);
        assertThrows(PipelineException.class, () -> ingress.onSessionClosed(7), "a pipeline that has not failed: a bug, not hidden");
    }

    /** A pipeline whose every control publish throws; {@code fails}: it has failed by then (its failure() says so). */
    private static Pipeline pipeline(final AtomicReference<Throwable> failure, final AtomicInteger publishes, final boolean fails) {
        return (Pipeline) Proxy.newProxyInstance(Pipeline.class.getClassLoader(), new Class<?>[] {Pipeline.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "failure":
                            return failure.get();
                        case "tryPublishControl":
                            publishes.incrementAndGet();
                            final PipelineException e = new PipelineException("engine stage failed at engine sequence 12");
                            if (fails) {
                                failure.set(e);
                            }
                            throw e;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
