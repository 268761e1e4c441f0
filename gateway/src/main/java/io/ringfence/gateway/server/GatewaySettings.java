package io.ringfence.gateway.server;

import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.frame.MessageShapes;

import java.util.concurrent.TimeUnit;

/**
 * The validated configuration in the units the I/O thread works in, fixed for the server's life.
 */
final class GatewaySettings {
    private static final int MIN_RECEIVE_BUFFER = 16 * 1024;
    private static final long MAX_TICK_MILLIS = 100;

    private final int maxSessions;
    private final int maxAwaitingLogonPerAddress;
    private final int maxFrameBytes;
    private final int receiveBufferBytes;
    private final int outboundBufferBytes;
    private final int heartbeatMillis;
    private final long heartbeatNanos;
    private final long idleTimeoutNanos;
    private final long logonTimeoutNanos;
    private final long slowConsumerTimeoutNanos;
    private final int tickMillis;
    private final boolean busyPoll;
    private final MessageShapes shapes = MessageShapes.clientToServer();

    GatewaySettings(final GatewayConfig config) {
        this.maxSessions = config.maxSessions;
        this.maxAwaitingLogonPerAddress = config.maxAwaitingLogonPerAddress != null ? config.maxAwaitingLogonPerAddress
            : Math.max(4, config.maxSessions / 4);
        this.maxFrameBytes = config.maxFrameBytes;
        this.receiveBufferBytes = Math.max(config.maxFrameBytes, MIN_RECEIVE_BUFFER);
        this.outboundBufferBytes = config.outboundBufferBytes;
        this.heartbeatMillis = (int) config.heartbeatMillis();
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
        final long idleMillis = config.idleTimeoutMillis();
        this.idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(idleMillis);
        final long logonMillis = config.logonTimeoutMillis();
        this.logonTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(logonMillis);
        final long slowMillis = config.slowConsumerTimeoutMillis();
        this.slowConsumerTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(slowMillis);
        final long shortestTimer = Math.min(Math.min(Math.min(heartbeatMillis, idleMillis), slowMillis), logonMillis);
        this.tickMillis = (int) Math.max(1, Math.min(MAX_TICK_MILLIS, shortestTimer / 10));
        this.busyPoll = config.busyPoll;
    }

    int maxSessions() {
        return maxSessions;
    }

    /**
     * Connections one address may have awaiting their logon at once ({@code gateway.maxAwaitingLogonPerAddress}; by
     * default a quarter of the slots, at least 4), so a reconnect loop or a scanner on one host cannot hold the slots
     * (logons take milliseconds; 16 by default). Clients behind one proxy address reconnecting at once may need more.
     */
    int maxAwaitingLogonPerAddress() {
        return maxAwaitingLogonPerAddress;
    }

    int maxFrameBytes() {
        return maxFrameBytes;
    }

    int receiveBufferBytes() {
        return receiveBufferBytes;
    }

    /** Direct memory one session's buffers take: receive buffer, outbound ring, staging (its trailer aside). */
    long sessionBufferBytes() {
        return (long) receiveBufferBytes() + outboundBufferBytes() + Math.max(maxFrameBytes(), 64 * 1024);
    }

    int outboundBufferBytes() {
        return outboundBufferBytes;
    }

    int heartbeatMillis() {
        return heartbeatMillis;
    }

    long heartbeatNanos() {
        return heartbeatNanos;
    }

    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    long logonTimeoutNanos() {
        return logonTimeoutNanos;
    }

    /** How long a session's socket may take nothing while bytes wait for it before it is closed as a slow consumer. */
    long slowConsumerTimeoutNanos() {
        return slowConsumerTimeoutNanos;
    }

    /** How long a blocking select waits at most, so timers are checked often enough. */
    int tickMillis() {
        return tickMillis;
    }

    boolean busyPoll() {
        return busyPoll;
    }

    MessageShapes shapes() {
        return shapes;
    }
}
