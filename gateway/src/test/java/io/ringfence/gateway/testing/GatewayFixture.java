package io.ringfence.gateway.testing;

import io.ringfence.gateway.ClientSequences;
import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.SessionListener;
import io.ringfence.gateway.SubscriptionHandler;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.server.GatewayServer;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** A gateway on an ephemeral loopback port with three clients of different roles. */
public final class GatewayFixture implements AutoCloseable {
    public static final String SUBMITTER = "submitter";
    public static final String WATCHER = "watcher";
    public static final String ADMIN = "admin";
    public static final String SECRET = "correct-horse-battery-staple";

    private final RecordingHandler inbound = new RecordingHandler();
    private final BlockingQueue<Long> logons = new LinkedBlockingQueue<>();
    private final GatewayServer server;

    public GatewayFixture(final GatewayConfig config) {
        final SessionListener listener = new SessionListener() {
            @Override
            public void onLogon(final long sessionId, final long clientKey, final String clientId) {
                logons.add(sessionId);
            }
        };
        server = GatewayServer.start(config, null,
            new GatewayHandlers(inbound, SubscriptionHandler.IGNORE, ClientSequences.NONE, listener));
    }

    /** Quick timers, three clients, small limits; tweak before passing to the constructor. */
    /** An inbound handler that takes every message and does {@code work} as its own work on the I/O thread each loop. */
    public static io.ringfence.gateway.InboundHandler handlerWithWork(final java.util.function.IntSupplier work) {
        return new io.ringfence.gateway.InboundHandler() {
            @Override
            public boolean onMessage(final long sessionId, final long clientKey, final int templateId, final long clientSeq,
                                     final org.agrona.DirectBuffer buffer, final int offset, final int length) {
                return true;
            }

            @Override
            public int doWork() {
                return work.getAsInt();
            }
        };
    }

    public static GatewayConfig config() {
        final GatewayConfig config = new GatewayConfig();
        config.heartbeatInterval = "1s";
        config.idleTimeout = "5s";
        config.maxFrameBytes = 4096;
        config.outboundBufferBytes = 64 * 1024;
        config.clients = List.of(
            new ClientConfig(SUBMITTER, SECRET, List.of("SUBMIT")),
            new ClientConfig(WATCHER, SECRET, List.of("SUBSCRIBE")),
            new ClientConfig(ADMIN, SECRET, List.of("ADMIN")));
        return config;
    }

    public GatewayServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public RecordingHandler inbound() {
        return inbound;
    }

    /** The session id of the next logon, waiting at most 5 s. */
    public long nextLogon() throws InterruptedException {
        final Long id = logons.poll(TestClient.READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (id == null) {
            fail("no logon within " + TestClient.READ_TIMEOUT_MILLIS + " ms");
        }
        return id;
    }

    /** Waits (sleeping, never spinning) until the condition holds, at most 5 s. */
    public static void await(final String what, final BooleanSupplier condition) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TestClient.READ_TIMEOUT_MILLIS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
