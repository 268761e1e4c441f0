package io.ringfence.gateway.server;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.GatewayCounters;
import io.ringfence.gateway.StageLatencies;
import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.SessionOutbound;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.gateway.session.ClientRegistry;
import io.ringfence.gateway.session.InboundAdapter;
import io.ringfence.gateway.session.LogonThrottle;
import io.ringfence.gateway.session.ReplyPublisher;
import io.ringfence.gateway.session.SessionState;
import io.ringfence.gateway.session.SessionTable;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

/**
 * The TCP gateway: binds, runs the I/O thread ({@code ringfence-gateway}) and offers sessions'
 * outbound queues to the engine. Wiring only; the work is in {@link GatewayAgent} and the
 * session package.
 *
 * <pre>{@code
 * GatewayServer server = GatewayServer.start(config, dataDir, handlers);
 * int port = server.port();                      // the actual port when configured as 0
 * server.outbound().offer(sessionId, buf, 0, n); // from the dispatch thread
 * server.close();                                // Reject(SHUTTING_DOWN) to everyone, then stop
 * }</pre>
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    private static final int MAX_TRACKED_LOGON_FAILURES = 10_000; // address and (address, client id) records of the logon throttle
    /** Live id records per address of the logon throttle; failures with more ids from one address throttle the address. */
    private static final int MAX_LOGON_IDS_PER_ADDRESS = 16;
    /**
     * How long close waits for the I/O thread before interrupting it (and again between interrupts). Long: with the
     * inline pipeline layout that thread appends to the journal, and an interrupt during one of Chronicle's file
     * operations closes the file channel and fails the pipeline, which then skips its clean-shutdown snapshot; the
     * select is woken instead, so the thread ends within one loop.
     */
    private static final int CLOSE_WAIT_MILLIS = 5_000;

    private final InetSocketAddress address;
    private final SessionTable table;
    private final GatewayCounters counters;
    private final ClientRegistry clients;
    private final GatewayAgent agent;
    private final AgentRunner runner;
    /** Descriptors kept free beside the sessions': journal cycle files, snapshots, the admin endpoint's connections. */
    static final int FILE_DESCRIPTOR_MARGIN = 128;
    /** What ended the I/O thread, or null while it runs (or ended by close). */
    private final java.util.concurrent.atomic.AtomicReference<Throwable> failure;

    private GatewayServer(final InetSocketAddress address, final SessionTable table, final GatewayCounters counters,
                          final ClientRegistry clients, final GatewayAgent agent, final AgentRunner runner,
                          final java.util.concurrent.atomic.AtomicReference<Throwable> failure) {
        this.failure = failure;
        this.address = address;
        this.table = table;
        this.counters = counters;
        this.clients = clients;
        this.agent = agent;
        this.runner = runner;
    }

    /**
     * Validates the configuration, binds and starts the I/O thread.
     *
     * @param dataDir where the local client's credentials are generated when no clients are
     *                configured; may be {@code null} when clients are configured
     * @throws ConfigException      when the configuration is invalid
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static GatewayServer start(final GatewayConfig config, final Path dataDir, final GatewayHandlers handlers) {
        return start(config, dataDir, handlers, outbound -> { });
    }

    /**
     * The same, handing {@code beforeReading} the server's {@link #outbound()} after the address is bound and before
     * the I/O thread starts: a client may connect from then on (the kernel queues it), but nothing is read from it
     * until {@code beforeReading} has returned, so whatever answers the first messages can be in place first (the
     * engine's output sink: a message read in between was decided and its answer dropped, review of 2026-12-06).
     * If it throws, the server is closed and the exception passed on.
     */
    public static GatewayServer start(final GatewayConfig config, final Path dataDir, final GatewayHandlers handlers,
                                      final java.util.function.Consumer<SessionOutbound> beforeReading) {
        config.validate();
        final GatewaySettings settings = new GatewaySettings(config);
        final ClientRegistry clients = ClientRegistry.from(config, dataDir);
        final GatewayCounters counters = new GatewayCounters();
        final SessionTable table = new SessionTable(settings.maxSessions(), counters);
        final LogonThrottle throttle = new LogonThrottle(config.logonThrottle.maxFailures,
            config.logonThrottle.windowMillis(GatewayConfig.PATH + ".logonThrottle"),
            config.logonThrottle.backoffMillis(GatewayConfig.PATH + ".logonThrottle"), MAX_TRACKED_LOGON_FAILURES,
            MAX_LOGON_IDS_PER_ADDRESS);
        final ReplyPublisher replies = new ReplyPublisher(settings.maxFrameBytes(), settings.outboundBufferBytes());
        final InboundAdapter adapter = new InboundAdapter(clients, throttle, handlers, counters, replies,
            settings.heartbeatMillis(), SystemEpochClock.INSTANCE);

        Selector selector = null;
        ServerSocketChannel server = null;
        try {
            selector = Selector.open();
            server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress(config.bindInetAddress(), config.port), settings.maxSessions());
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (final IOException e) {
            closeQuietly(server);
            closeQuietly(selector);
            throw new UncheckedIOException("cannot listen on " + config.bindAddress + ":" + config.port, e);
        }
        final InetSocketAddress bound;
        try {
            bound = (InetSocketAddress) server.getLocalAddress();
        } catch (final IOException e) {
            closeQuietly(server);
            closeQuietly(selector);
            throw new UncheckedIOException(e);
        }
        final GatewayAgent agent = new GatewayAgent(selector, server, settings, table, adapter, replies, handlers,
            counters, SystemEpochClock.INSTANCE);
        final IdleStrategy idle = settings.busyPoll() ? new BusySpinIdleStrategy() : NoOpIdleStrategy.INSTANCE;
        final java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        final AgentRunner runner = new AgentRunner(idle, error -> {
            counters.increment(GatewayCounter.IO_ERRORS);
            if (error instanceof Error) {
                // the runner ends the thread on an Error: no connection is taken or answered from now on, and with the inline
                // layout no event decided (chaos trial: the server stayed up answering nobody); said so the server stops
                failure.compareAndSet(null, error);
                LOG.error("gateway I/O thread failed, it stops (and the server with it): {}", error.toString(), error);
            } else {
                LOG.error("gateway I/O thread error", error);
            }
        }, null, agent);
        try {
            beforeReading.accept(table);
        } catch (final RuntimeException | Error e) {
            closeQuietly(server);
            closeQuietly(selector);
            throw e;
        }
        warnIfDirectMemoryShort(settings, io.ringfence.engine.snapshot.DirectMemoryLimit.bytes());
        warnIfFewFileDescriptors(settings);
        AgentRunner.startOnThread(runner);
        LOG.info("gateway listening on {} ({} clients, max {} sessions, {} mode)", bound, clients.size(),
            settings.maxSessions(), settings.busyPoll() ? "busy-poll" : "blocking select");
        if (!bound.getAddress().isLoopbackAddress()) { // security trial: 0.0.0.0 started without a word
            LOG.warn("gateway listens on {}, which other hosts can reach: it speaks plain TCP, so secrets and events travel as"
                + " written; put a tunnel, VPN or TLS-terminating proxy in front and let only it reach this port (docs/gateway.md)", bound);
        }
        return new GatewayServer(bound, table, counters, clients, agent, runner, failure);
    }

    /**
     * What ended the I/O thread (an Error: out of memory, say), or null while it runs: nothing is accepted, read or answered
     * after it, so the server stops on it as on a failed pipeline. Any thread.
     */
    public Throwable failure() {
        return failure.get();
    }

    /**
     * Says at start when the process's open-file limit leaves less room than every session takes (chaos trial: at the
     * limit the gateway's accepts failed, and the JDK's admin HTTP server spun a core and answered no /health).
     *
     * @return the warning logged, or null (also when the limit cannot be read)
     */
    static String warnIfFewFileDescriptors(final GatewaySettings settings) {
        final java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean)) {
            return null;
        }
        final com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean) os;
        return warnIfFewFileDescriptors(settings, unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
    }

    static String warnIfFewFileDescriptors(final GatewaySettings settings, final long max, final long open) {
        final long needed = open + settings.maxSessions() + FILE_DESCRIPTOR_MARGIN;
        if (max <= 0 || max >= needed) {
            return null;
        }
        final String warning = String.format("the open-file limit (ulimit -n) is %,d with %,d open: gateway.maxSessions %,d"
            + " sessions and the journal's, snapshots' and admin endpoint's files need some %,d; at the limit new connections"
            + " wait and /health does not answer: raise it (LimitNOFILE= under systemd) or lower gateway.maxSessions", max, open,
            settings.maxSessions(), needed);
        LOG.warn(warning);
        return warning;
    }

    /**
     * Says at start when -XX:MaxDirectMemorySize cannot hold every session's buffers (chaos trial: 64m took 48 of the 64
     * sessions, and the next connection ended the I/O thread; such connections are refused now, and this says so first).
     *
     * @return the warning logged, or null
     */
    static String warnIfDirectMemoryShort(final GatewaySettings settings, final long limit) {
        final long perSession = settings.sessionBufferBytes();
        final long all = perSession * settings.maxSessions();
        if (all <= limit / 2) {
            return null; // room beside it for the snapshot buffers and the journal's own
        }
        final String warning = String.format("gateway.maxSessions %,d sessions take up to %,d MiB of direct memory (%,d KiB each),"
            + " %s -XX:MaxDirectMemorySize's %,d MiB, which snapshots and the journal use too: connections beyond what fits are"
            + " refused (SERVER_BUSY) and snapshots may not be written; raise it (RINGFENCE_JAVA_OPTS) or lower"
            + " gateway.maxSessions", settings.maxSessions(), all >> 20, perSession >> 10, all > limit ? "more than" : "over half of",
            limit >> 20);
        LOG.warn(warning);
        return warning;
    }

    /** The port actually bound (the ephemeral one when configured as 0). */
    public int port() {
        return address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Where the engine offers messages to sessions; thread-safe, never blocks. */
    public SessionOutbound outbound() {
        return table;
    }

    /** Shorthand for {@code outbound().offer(...)}. */
    public boolean offer(final long sessionId, final DirectBuffer buffer, final int offset, final int length) {
        return table.offer(sessionId, buffer, offset, length);
    }

    /**
     * Closes a session from the server side, on the I/O thread shortly after this returns: what is
     * already queued for it is flushed (best effort), then the connection closes without a Reject,
     * as a dropped link would; its client reconnects and resends. For operators (drop a misbehaving
     * session) and tests (disconnects at chosen moments). Any thread.
     *
     * @return false when no live session has this id now (it may still end before the request is served)
     */
    public boolean disconnect(final long sessionId) {
        if (table.find(sessionId) == null) {
            return false;
        }
        agent.requestDisconnect(sessionId);
        return true;
    }

    public GatewayCounters counters() {
        return counters;
    }

    /** Where the time of the answers written went, per stage ({@code pipeline.stageTimes}); see {@link StageLatencies}. */
    public StageLatencies stageLatencies() {
        return agent.stageLatencies();
    }

    /** Sessions in this state now (any thread; a scan of the session slots, for metrics). */
    public int sessions(final SessionState state) {
        return table.count(state);
    }

    /** Most sessions at once ({@code gateway.maxSessions}). */
    public int maxSessions() {
        return table.capacity();
    }

    /**
     * Whether the gateway accepts connections: the I/O thread runs and the listening socket is
     * open. False once closed, or if the I/O thread ended. Any thread (health check).
     */
    public boolean listening() {
        final Thread thread = runner.thread();
        return !runner.isClosed() && thread != null && thread.isAlive() && agent.listening();
    }

    /**
     * Nanoseconds since the I/O thread last came round its loop: at most a tick (100 ms) plus scheduling while it runs, even
     * with no traffic; longer while it is stuck (a long pause, a stage blocking on the inline layout). Any thread.
     */
    public long ioLoopAgeNanos() {
        return agent.nanosSinceLastPass();
    }

    public ClientRegistry clients() {
        return clients;
    }

    /** Sends Reject(SHUTTING_DOWN) to every session (best effort), closes them and stops the I/O thread. */
    @Override
    public void close() {
        agent.interruptSelect(); // a blocking select returns now; the loop then sees the runner stopping
        runner.close(CLOSE_WAIT_MILLIS, thread -> agent.interruptSelect());
        if (failure() != null && agent.listening()) {
            // the runner does not call onClose after an Error ended its thread (review): its sockets are closed here, so an
            // in-process caller gets its port back
            agent.onClose();
        }
    }

    private static void closeQuietly(final AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (final Exception ignored) {
                // already failing
            }
        }
    }
}
