package io.ringfence.gateway.server;

import io.ringfence.gateway.DisconnectReason;
import io.ringfence.gateway.GatewayCounter;
import io.ringfence.gateway.GatewayCounters;
import io.ringfence.gateway.GatewayHandlers;
import io.ringfence.gateway.StageLatencies;
import io.ringfence.gateway.ThrottledWarning;
import io.ringfence.gateway.frame.FrameDecoder;
import io.ringfence.gateway.frame.FrameError;
import io.ringfence.gateway.frame.ReceiveBuffer;
import io.ringfence.gateway.session.InboundAdapter;
import io.ringfence.gateway.session.OutboundQueue;
import io.ringfence.gateway.session.ReplyPublisher;
import io.ringfence.gateway.session.Session;
import io.ringfence.gateway.session.SessionState;
import io.ringfence.gateway.session.SessionTable;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The gateway I/O thread: one selector for the listening socket and every session. Each
 * {@link #doWork()} selects (blocking with a short timeout, or {@code selectNow} in busy-poll
 * mode), accepts, reads and decodes frames, then services every session: slow-consumer and idle
 * checks, heartbeats, and draining outbound queues into sockets.
 *
 * <p>Slow consumers, two bounds checked every loop (at least every tick, whether or not anything
 * new is queued): bytes, when a producer finds the session's outbound buffer full; and time, when
 * the socket has taken nothing of what is staged for {@code slowConsumerTimeout} (the kernel's
 * socket buffers can hide megabytes, so a stalled reader may never fill the buffer when pushes are
 * sparse).
 *
 * <p>Back-pressure: when a handler has no capacity, reading stops on every socket ({@code OP_READ}
 * interest off) and the held frame is offered again about every millisecond; when it is
 * accepted, reading resumes and no session is charged the pause as idle time.
 */
final class GatewayAgent implements Agent {
    /** How long a new connection may log on before a newer one may displace it (a quarter of the logon timeout at most). */
    private static final long MAX_LOGON_GRACE_NANOS = 250_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(GatewayAgent.class);
    private static final int PAUSED_SELECT_MILLIS = 1;
    private static final long REFUSED_WARN_PERIOD_NANOS = 10_000_000_000L;
    private static final long ACCEPT_BACKOFF_NANOS = 100_000_000L;
    private static final long MEMORY_RETRY_NANOS = 1_000_000_000L;
    private static final long RECLAIM_EVERY_NANOS = 2_000_000_000L;
    private static final java.lang.management.BufferPoolMXBean DIRECT_POOL = java.lang.management.ManagementFactory
        .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream().filter(p -> "direct".equals(p.getName()))
        .findFirst().orElse(null);
    /** A loop pass this late is said in the log (a pause of the process, a starved or blocked thread). */
    static final long STALL_WARN_NANOS = 5_000_000_000L;

    /** A session's receive buffer and outbound queue, kept for another connection. */
    private record SessionBuffers(ReceiveBuffer receive, OutboundQueue outbound) {
    }

    private final Selector selector;
    private final ServerSocketChannel server;
    private final GatewaySettings settings;
    private final SessionTable table;
    private final InboundAdapter adapter;
    private final ReplyPublisher replies;
    private final GatewayHandlers handlers;
    private final GatewayCounters counters;
    private final EpochClock clock;
    private final FrameDecoder decoder;
    /** What the decoder saw in the frame it refused last (set just before that session is closed). */
    private String frameErrorDetail = "";
    private final Connections connections = new Connections();
    private final ActiveSessions active;
    private final StageLatencies stageLatencies = new StageLatencies();
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    /** Session ids whose disconnect another thread requested; rare, so a plain concurrent queue. */
    private final ConcurrentLinkedQueue<Long> disconnectRequests = new ConcurrentLinkedQueue<>();
    private final Runnable wakeUp = this::wakeUp;
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final ByteBuffer refusal = ByteBuffer.allocateDirect(256);
    /**
     * Buffers of sessions that closed without logging on, for the next connections: no other thread ever reached them.
     * Hostile-client audit: ~9,000 connections in 15 s that never sent a byte each allocated 1.28 MiB of direct memory
     * (receive buffer, outbound ring, staging) on this thread, which also runs the engine's stages inline: page faults
     * and full GCs of the direct memory stalled every client for over a second.
     */
    private final java.util.ArrayDeque<SessionBuffers> spareBuffers = new java.util.ArrayDeque<>();
    /** Refused connections: at most one WARN line a period, with the count of those refused in between. */
    private final ThrottledWarning refusedWarning = new ThrottledWarning(REFUSED_WARN_PERIOD_NANOS);
    /** Failed accepts and connections refused for want of memory: likewise. */
    private final ThrottledWarning acceptWarning = new ThrottledWarning(REFUSED_WARN_PERIOD_NANOS);
    private final ThrottledWarning memoryWarning = new ThrottledWarning(REFUSED_WARN_PERIOD_NANOS);
    /**
     * When accepting starts again after a failed accept, 0 while it runs. Chaos trial: at the open-file limit the pending
     * connection stays in the backlog, the selector reports it ready at once, and the thread spun a core writing 35,000
     * WARN lines a second (104 MB in a minute) while every logged-on client's answers waited.
     */
    private long acceptResumeNanos;
    /** Until when new connections needing fresh buffers are refused without trying, after the limit refused one. */
    private long memoryRefusedUntilNanos = System.nanoTime();
    private final long directLimit = io.ringfence.engine.snapshot.DirectMemoryLimit.bytes();
    private long reclaimedAtNanos;
    private final UnsafeBuffer refusalBuffer = new UnsafeBuffer(refusal);
    private Session paused;
    /** This agent's thread, set as it starts: its own producers (the inline pipeline layout) need no wake-up. */
    private volatile Thread ioThread;
    /** Something was queued on this thread since the last select: the next one must not block. */
    private boolean queuedHere;
    /** When the current (or last) back-pressure pause began: the logon timeout does not count it. */
    private long pausedAtNanos;
    /**
     * When this thread last came round its loop ({@link System#nanoTime()}, release store; read by the admin thread): a pass
     * ends within a tick even when nothing arrives, so an old value means the thread is stuck (operator audit: the answer
     * latency summary cannot show a stalled I/O thread, as a stalled thread answers nothing).
     */
    private final AtomicLong passNanos = new AtomicLong(System.nanoTime());

    GatewayAgent(final Selector selector, final ServerSocketChannel server, final GatewaySettings settings,
                 final SessionTable table, final InboundAdapter adapter, final ReplyPublisher replies,
                 final GatewayHandlers handlers, final GatewayCounters counters, final EpochClock clock) {
        this.selector = selector;
        this.server = server;
        this.settings = settings;
        this.table = table;
        this.adapter = adapter;
        this.replies = replies;
        this.handlers = handlers;
        this.counters = counters;
        this.clock = clock;
        this.decoder = new FrameDecoder(settings.shapes(), settings.maxFrameBytes());
        this.active = new ActiveSessions(settings.maxSessions());
    }

    @Override
    public String roleName() {
        return "ringfence-gateway";
    }

    @Override
    public void onStart() {
        ioThread = Thread.currentThread();
        passNanos.set(System.nanoTime());
    }

    @Override
    public int doWork() throws IOException {
        int work = 0;
        if (acceptResumeNanos != 0 && System.nanoTime() - acceptResumeNanos >= 0) {
            acceptResumeNanos = 0;
            final SelectionKey key = server.keyFor(selector);
            if (key != null && key.isValid()) {
                key.interestOps(SelectionKey.OP_ACCEPT);
            }
        }
        if (paused != null) {
            work += retryPaused();
        }
        if (settings.busyPoll() || queuedHere) {
            queuedHere = false;
            work += selector.selectNow(onReady);
        } else {
            work += selector.select(onReady, paused != null ? PAUSED_SELECT_MILLIS : settings.tickMillis());
        }
        wakeUpPending.set(false);
        if (!disconnectRequests.isEmpty()) {
            work += closeRequested();
        }
        work += handlers.inbound().doWork();
        final long now = System.nanoTime();
        final long sinceLastPass = now - passNanos.get();
        if (sinceLastPass > STALL_WARN_NANOS) {
            // chaos trial: a SIGSTOP of 35 s left no trace in the log but the logons refused after it
            LOG.warn("gateway I/O thread came round its loop after {} s (a pass takes at most a tick, {} ms, plus its work): the"
                + " process was paused (SIGSTOP, a VM freeze, a long GC) or this thread starved or blocked (on the inline layout,"
                + " a long event or snapshot); nothing was read or answered meanwhile, and clients may have timed out",
                String.format(java.util.Locale.ROOT, "%.1f", sinceLastPass / 1e9), settings.tickMillis());
        }
        passNanos.lazySet(now);
        return work + serviceSessions(now);
    }

    /** Nanoseconds since this thread last came round its loop (any thread). */
    long nanosSinceLastPass() {
        return Math.max(0, System.nanoTime() - passNanos.get());
    }

    @Override
    public void onClose() {
        for (int i = active.size() - 1; i >= 0; i--) {
            close(active.get(i), DisconnectReason.SHUTDOWN, null);
        }
        try {
            server.close();
            selector.close();
        } catch (final IOException e) {
            LOG.warn("closing the gateway selector failed: {}", e.toString());
        }
        LOG.info("gateway stopped: {}", counters);
    }

    /** Tells the I/O thread an outbound queue has something (any thread); one selector wake-up per loop at most. */
    void wakeUp() {
        if (Thread.currentThread() == ioThread) {
            // queued by the I/O thread itself (an inline pipeline deciding on it, a SEQUENCE_GAP refusal): no system
            // call to end a select it is not in; the queues are drained later in this loop and the next select polls
            queuedHere = true;
            return;
        }
        if (!settings.busyPoll() && !wakeUpPending.getAndSet(true)) {
            selector.wakeup();
        }
    }

    /** Asks the I/O thread to close a session (any thread); see {@link GatewayServer#disconnect}. */
    void requestDisconnect(final long sessionId) {
        disconnectRequests.add(sessionId);
        selector.wakeup();
    }

    private int closeRequested() {
        int closed = 0;
        Long sessionId;
        while ((sessionId = disconnectRequests.poll()) != null) {
            final Session session = table.find(sessionId);
            if (session != null && session.state() != SessionState.CLOSED) {
                close(session, DisconnectReason.REQUESTED, null);
                closed++;
            }
        }
        return closed;
    }

    /** Per-stage latencies of the answers written (recorded on this thread). */
    StageLatencies stageLatencies() {
        return stageLatencies;
    }

    /** Whether the listening socket is open (any thread). */
    boolean listening() {
        return server.isOpen();
    }

    /** Makes a blocking select return now (shutdown). */
    void interruptSelect() {
        selector.wakeup();
    }

    private void onReady(final SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.channel() == server) {
            acceptAll();
            return;
        }
        final Session session = (Session) key.attachment();
        final int ready = key.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            flush(session, System.nanoTime());
        }
        if ((ready & SelectionKey.OP_READ) != 0 && session.state() != SessionState.CLOSED) {
            read(session);
        }
    }

    private void acceptAll() {
        while (true) {
            final SocketChannel channel;
            try {
                channel = server.accept();
            } catch (final IOException e) {
                acceptFailed(e);
                return;
            }
            if (channel == null) {
                return;
            }
            counters.increment(GatewayCounter.CONNECTIONS_ACCEPTED);
            final InetAddress address = remoteAddress(channel);
            if (address == null) {
                continue;
            }
            // connections that never log on must not keep the slots from clients that do: one address may have only
            // so many awaiting their logon at once, and when every slot is taken the oldest of those yields its slot
            if (awaitingLogonFrom(address) >= settings.maxAwaitingLogonPerAddress()) {
                // the address's oldest connection awaiting its logon past its grace yields its place, as the oldest of all
                // does when every slot is taken: behind a proxy every client shares one address, and 16 idle connections
                // held from it refused every client's logon (security trial: 0 of 50); one just made keeps its grace
                final Session oldest = paused == null ? oldestAwaitingLogon(System.nanoTime(), address) : null;
                if (oldest == null) {
                    counters.increment(GatewayCounter.CONNECTIONS_REFUSED_ADDRESS);
                    refuse(channel, DisconnectReason.CROWDED_ADDRESS);
                    continue;
                }
                counters.increment(GatewayCounter.CONNECTIONS_DISPLACED);
                close(oldest, DisconnectReason.DISPLACED_FROM_ADDRESS, null);
            }
            int slot = table.freeSlot();
            if (slot < 0 && paused == null) { // while reading is paused no Logon can be read: nobody is displaced then
                final Session oldest = oldestAwaitingLogon(System.nanoTime(), null);
                if (oldest != null) {
                    counters.increment(GatewayCounter.CONNECTIONS_DISPLACED);
                    close(oldest, DisconnectReason.DISPLACED, null);
                    slot = table.freeSlot();
                }
            }
            if (slot < 0) {
                counters.increment(GatewayCounter.CONNECTIONS_REFUSED_BUSY);
                refuse(channel, DisconnectReason.SERVER_BUSY);
            } else {
                open(channel, slot);
            }
        }
    }

    private void open(final SocketChannel channel, final int slot) {
        final long now = System.nanoTime();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
            final InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
            SessionBuffers buffers = spareBuffers.pollFirst();
            if (buffers == null) {
                buffers = newBuffers(channel);
                if (buffers == null) {
                    return; // refused: no memory for them
                }
            }
            final Session session = new Session(table.nextId(slot), slot, channel, peer.getAddress(),
                peer.getAddress().getHostAddress() + ':' + peer.getPort(), buffers.receive(), buffers.outbound(), now);
            session.key(channel.register(selector, paused == null ? SelectionKey.OP_READ : 0, session));
            table.add(session);
            active.add(session);
            LOG.info("{}: connected", session);
        } catch (final IOException e) {
            counters.increment(GatewayCounter.IO_ERRORS);
            LOG.warn("setting up an accepted connection failed: {}", e.toString());
            connections.close(channel);
        }
    }

    /**
     * A new session's buffers, or null when the direct memory they take cannot be reserved (-XX:MaxDirectMemorySize): the
     * connection is then refused (SERVER_BUSY, saying why) and the server goes on (chaos trial: the OutOfMemoryError ended this
     * thread, which also runs the engine's stages inline, and the server stayed up answering nobody).
     */
    private SessionBuffers newBuffers(final SocketChannel channel) {
        final long now = System.nanoTime();
        final long needs = settings.sessionBufferBytes();
        // checked first, and not tried again for a while after a refusal: a direct allocation the limit refuses makes the JDK
        // run a full GC and retry for ~0.5 s on this thread, which also answers every client (review: a flood of 128
        // reconnecting connections at 64m stalled it for 54 s, and a logged-on load lost its connection)
        if (now - memoryRefusedUntilNanos < 0 || (DIRECT_POOL != null && DIRECT_POOL.getMemoryUsed() + needs > directLimit)) {
            reclaimDirectMemory(now);
            refuseForMemory(channel, needs, "the direct memory in use, " + (DIRECT_POOL == null ? "?" : DIRECT_POOL.getMemoryUsed())
                + " bytes, leaves less than that under -XX:MaxDirectMemorySize's " + directLimit);
            return null;
        }
        try {
            return new SessionBuffers(new ReceiveBuffer(settings.receiveBufferBytes()),
                new OutboundQueue(settings.outboundBufferBytes(), settings.maxFrameBytes(), wakeUp, stageLatencies));
        } catch (final OutOfMemoryError e) {
            if (!String.valueOf(e.getMessage()).startsWith("Cannot reserve")) {
                throw e; // not the direct-memory limit: the heap, say
            }
            memoryRefusedUntilNanos = System.nanoTime() + MEMORY_RETRY_NANOS;
            refuseForMemory(channel, needs, e.getMessage());
            return null;
        }
    }

    /**
     * Direct buffers no longer used are given back only when the heap objects holding them are collected, which the JDK
     * forces (a full GC, then waits) when an allocation fails. That is not done on this thread: a thread of its own runs
     * it, at most once per {@value #RECLAIM_EVERY_NANOS} ns, so connections refused now may be taken again once it has.
     */
    private void reclaimDirectMemory(final long now) {
        if (reclaimedAtNanos != 0 && now - reclaimedAtNanos < RECLAIM_EVERY_NANOS) {
            return;
        }
        reclaimedAtNanos = now == 0 ? 1 : now;
        final Thread gc = new Thread(System::gc, "ringfence-direct-memory-gc");
        gc.setDaemon(true);
        gc.start();
    }

    private void refuseForMemory(final SocketChannel channel, final long needs, final String why) {
        counters.increment(GatewayCounter.CONNECTIONS_REFUSED_MEMORY);
        final long now = System.nanoTime();
        if (memoryWarning.occurred(now)) {
            final long quiet = memoryWarning.quietSinceLast();
            LOG.warn("connection refused: its buffers ({} bytes of direct memory) cannot be allocated ({}); raise"
                + " -XX:MaxDirectMemorySize (RINGFENCE_JAVA_OPTS) or lower gateway.maxSessions{}", needs, why,
                quiet > 0 ? "; " + quiet + " more refused so since the last such line (said at most every 10 s; counted in"
                    + " ringfence_gateway_connections_refused_memory_total)" : "");
            memoryWarning.logged(now);
        }
        refuse(channel, DisconnectReason.NO_MEMORY);
    }

    /**
     * A failed accept (the open-file limit, say): accepting pauses {@value #ACCEPT_BACKOFF_NANOS} ns, since the connection
     * stays in the backlog and the selector would report it ready again at once; one WARN a period at most.
     */
    private void acceptFailed(final IOException e) {
        counters.increment(GatewayCounter.ACCEPT_FAILURES);
        final long now = System.nanoTime();
        acceptResumeNanos = now + ACCEPT_BACKOFF_NANOS;
        if (acceptResumeNanos == 0) {
            acceptResumeNanos = 1;
        }
        final SelectionKey key = server.keyFor(selector);
        if (key != null && key.isValid()) {
            key.interestOps(0);
        }
        if (acceptWarning.occurred(now)) {
            final long quiet = acceptWarning.quietSinceLast();
            final String message = String.valueOf(e.getMessage());
            LOG.warn("accept failed: {}{}; new connections wait in the backlog, tried again every 100 ms{}", e,
                message.contains("Too many open files") ? " (the process is at its open-file limit, ulimit -n: raise it, e.g."
                    + " LimitNOFILE= under systemd, or lower gateway.maxSessions)" : "",
                quiet > 0 ? "; " + quiet + " more failed since the last such line (said at most every 10 s; counted in"
                    + " ringfence_gateway_accept_failures_total)" : "");
            acceptWarning.logged(now);
        }
    }

    /** A connection refused before it gets a session: its Reject (best effort), then closed. */
    private void refuse(final SocketChannel channel, final DisconnectReason reason) {
        try {
            channel.configureBlocking(false);
            final int length = replies.reject(refusalBuffer, 0, reason);
            refusal.limit(length).position(0);
            channel.write(refusal);
            // one WARN a period at most: a flood of connections must not write the log at its own pace (audit: 9,615 lines)
            final long now = System.nanoTime();
            if (reason != DisconnectReason.NO_MEMORY && refusedWarning.occurred(now)) { // that one has its own line
                final long quiet = refusedWarning.quietSinceLast();
                LOG.warn("refused {}: {} ({}){}", channel.getRemoteAddress(), reason.reason(), reason == DisconnectReason.CROWDED_ADDRESS
                    ? "gateway.maxAwaitingLogonPerAddress " + settings.maxAwaitingLogonPerAddress()
                    : "gateway.maxSessions " + settings.maxSessions(), quiet > 0
                    ? "; " + quiet + " more connections refused since the last such line (said at most every 10 s;"
                        + " counted in ringfence_gateway_connections_refused_*)" : "");
                refusedWarning.logged(now);
            } else {
                LOG.debug("refused {}: {}", channel.getRemoteAddress(), reason.reason());
            }
        } catch (final IOException e) {
            LOG.debug("refusing a connection failed: {}", e.toString());
        }
        connections.close(channel);
        counters.increment(GatewayCounter.SESSIONS_CLOSED);
        handlers.sessions().onDisconnect(0, reason);
    }

    private InetAddress remoteAddress(final SocketChannel channel) {
        try {
            return ((InetSocketAddress) channel.getRemoteAddress()).getAddress();
        } catch (final IOException | RuntimeException e) {
            counters.increment(GatewayCounter.IO_ERRORS);
            LOG.debug("an accepted connection has no peer address: {}", e.toString());
            connections.close(channel);
            return null;
        }
    }

    private int awaitingLogonFrom(final InetAddress address) {
        int n = 0;
        for (int i = 0; i < active.size(); i++) {
            final Session session = active.get(i);
            if (session.state() == SessionState.AWAITING_LOGON && address.equals(session.remoteAddress())) {
                n++;
            }
        }
        return n;
    }

    /**
     * The connection awaiting its logon the longest (from {@code from}, or from anywhere when null), if it has waited at
     * least a quarter of the logon timeout (250 ms at most): a client that connected just now has that long to log on
     * before a newer connection may take its slot.
     */
    private Session oldestAwaitingLogon(final long now, final InetAddress from) {
        final long grace = Math.min(MAX_LOGON_GRACE_NANOS, settings.logonTimeoutNanos() / 4);
        Session oldest = null;
        for (int i = 0; i < active.size(); i++) {
            final Session session = active.get(i);
            if (session.state() == SessionState.AWAITING_LOGON && now - session.logonClockNanos() >= grace
                && (from == null || from.equals(session.remoteAddress()))
                && (oldest == null || session.logonClockNanos() - oldest.logonClockNanos() < 0)) {
                oldest = session;
            }
        }
        return oldest;
    }

    /*
     * The last looks before a timer closes a session: after this process did not run for a while
     * (stopped, a long pause) the select that resumes may return nothing although the peer's bytes
     * wait in the socket, or its socket took what was blocked meanwhile. Each is true when the
     * timer still holds and the session is still open.
     */

    /** Reads once more before calling the session idle. */
    private boolean stillIdle(final Session session, final long now) {
        read(session);
        return session.state() != SessionState.CLOSED && paused == null && now - session.lastReadNanos() > settings.idleTimeoutNanos();
    }

    /** Reads once more before the logon timeout: its Logon may be waiting (the logon clock runs from the accept). */
    private boolean stillAwaitingLogon(final Session session) {
        read(session);
        return session.state() == SessionState.AWAITING_LOGON && paused == null;
    }

    /** Writes once more before calling the session a stalled consumer. */
    private boolean stillStalled(final Session session, final long now) {
        flush(session, now);
        return session.state() != SessionState.CLOSED && session.writeStalledNanos(now) > settings.slowConsumerTimeoutNanos();
    }

    private void read(final Session session) {
        final int read;
        try {
            read = session.receive().readFrom(session.channel());
        } catch (final IOException e) {
            close(session, DisconnectReason.IO_ERROR, null);
            return;
        }
        if (read < 0) {
            close(session, DisconnectReason.PEER_CLOSED, null);
        } else if (read > 0) {
            counters.add(GatewayCounter.BYTES_IN, read);
            session.lastReadNanos(System.nanoTime());
            if (decodeFrames(session) == InboundAdapter.BACK_PRESSURED) {
                pause(session);
            }
        }
    }

    /** Decodes and hands on every whole frame held; returns CONSUMED, BACK_PRESSURED or DISCONNECT. */
    private int decodeFrames(final Session session) {
        final ReceiveBuffer receive = session.receive();
        while (true) {
            final int result = decoder.decode(receive.buffer(), receive.start(), receive.end());
            if (result == FrameDecoder.NEED_MORE) {
                return InboundAdapter.CONSUMED;
            }
            if (result < 0) {
                final FrameError error = FrameError.ofCode(result);
                counters.increment(GatewayCounter.of(error));
                frameErrorDetail = decoder.explain(receive.buffer(), receive.start(), receive.end(), error);
                close(session, DisconnectReason.BAD_FRAME, error);
                return InboundAdapter.DISCONNECT;
            }
            final int outcome = adapter.onFrame(session, receive.buffer(), decoder);
            if (outcome == InboundAdapter.DISCONNECT) {
                close(session, session.disconnectReason(), null);
                return outcome;
            }
            if (outcome == InboundAdapter.BACK_PRESSURED) {
                return outcome;
            }
            counters.increment(GatewayCounter.FRAMES_IN);
            receive.consume(result);
        }
    }

    private void pause(final Session session) {
        paused = session;
        pausedAtNanos = System.nanoTime();
        counters.increment(GatewayCounter.BACK_PRESSURE_PAUSES);
        for (int i = 0; i < active.size(); i++) {
            final Session other = active.get(i);
            interest(other, other.writeBlocked() ? SelectionKey.OP_WRITE : 0);
        }
    }

    private int retryPaused() {
        final Session session = paused;
        if (session.state() != SessionState.CLOSED && decodeFrames(session) == InboundAdapter.BACK_PRESSURED) {
            return 0;
        }
        if (paused == session) { // not when decodeFrames closed it: close() has resumed already (once is the rule)
            resume();
        }
        return 1;
    }

    private void resume() {
        paused = null;
        final long now = System.nanoTime();
        for (int i = 0; i < active.size(); i++) {
            final Session session = active.get(i);
            session.lastReadNanos(now);
            if (session.state() == SessionState.AWAITING_LOGON) {
                session.skipPausedTime(pausedAtNanos, now); // its Logon may have waited unread through the pause
            }
            interest(session, SelectionKey.OP_READ | (session.writeBlocked() ? SelectionKey.OP_WRITE : 0));
        }
    }

    private int serviceSessions(final long now) {
        int work = 0;
        for (int i = active.size() - 1; i >= 0; i--) {
            final Session session = active.get(i);
            final OutboundQueue outbound = session.outbound();
            if (outbound.overflowed()) {
                close(session, DisconnectReason.SLOW_CONSUMER, null);
                work++;
            } else if (session.writeStalledNanos(now) > settings.slowConsumerTimeoutNanos() && stillStalled(session, now)) {
                close(session, DisconnectReason.SLOW_CONSUMER_STALLED, null);
                work++;
            } else if (session.state() == SessionState.CLOSED) {
                work++; // closed by the last look (a write or read failed, the peer had gone, a bad frame)
            } else if (paused == null && session.state() == SessionState.AWAITING_LOGON
                && now - session.logonClockNanos() > settings.logonTimeoutNanos() && stillAwaitingLogon(session)) {
                // counted from the accept (or the last pause's end), not the last byte: trickling bytes must not
                // keep a slot from logged-on clients
                close(session, DisconnectReason.LOGON_TIMEOUT, null);
                work++;
            } else if (session.state() == SessionState.CLOSED) {
                work++;
            } else if (paused == null && now - session.lastReadNanos() > settings.idleTimeoutNanos() && stillIdle(session, now)) {
                close(session, DisconnectReason.IDLE_TIMEOUT, null);
                work++;
            } else if (session.state() == SessionState.CLOSED) {
                work++;
            } else {
                if (session.state() == SessionState.ACTIVE && now - session.lastWriteNanos() >= settings.heartbeatNanos()
                    && !outbound.hasPending() && replies.heartbeat(outbound, TimeUnit.MILLISECONDS.toMicros(clock.time()))) {
                    counters.increment(GatewayCounter.HEARTBEATS_SENT);
                }
                if (!session.writeBlocked() && outbound.hasPending()) {
                    work += flush(session, now);
                }
            }
        }
        return work;
    }

    private int flush(final Session session, final long now) {
        final OutboundQueue outbound = session.outbound();
        final int written;
        try {
            written = outbound.drainTo(session.channel());
        } catch (final IOException e) {
            close(session, DisconnectReason.IO_ERROR, null);
            return 1;
        }
        if (written > 0) {
            counters.add(GatewayCounter.BYTES_OUT, written);
            session.lastWriteNanos(now);
        }
        counters.add(GatewayCounter.FRAMES_OUT, outbound.takeFramesStaged());
        final boolean blocked = outbound.writeStalled();
        if (blocked != session.writeBlocked()) {
            session.writeBlocked(blocked, now);
            interest(session, (paused == null ? SelectionKey.OP_READ : 0) | (blocked ? SelectionKey.OP_WRITE : 0));
        }
        return written > 0 ? 1 : 0;
    }

    private void interest(final Session session, final int ops) {
        final SelectionKey key = session.key();
        if (key.isValid()) {
            key.interestOps(ops);
        }
    }

    private void close(final Session session, final DisconnectReason reason, final FrameError frameError) {
        if (session.state() == SessionState.CLOSED) {
            return;
        }
        final boolean loggedOn = session.state() == SessionState.ACTIVE;
        final boolean neverLoggedOn = session.state() == SessionState.AWAITING_LOGON;
        if (reason != DisconnectReason.PEER_CLOSED && reason != DisconnectReason.IO_ERROR) {
            if (reason == DisconnectReason.SLOW_CONSUMER || reason == DisconnectReason.SLOW_CONSUMER_STALLED) {
                session.outbound().discardQueued();
            }
            if (frameError != null) {
                replies.reject(session.outbound(), frameError, frameErrorDetail);
            } else {
                replies.reject(session.outbound(), reason, session.disconnectClientSeq());
            }
            try {
                counters.add(GatewayCounter.BYTES_OUT, session.outbound().drainTo(session.channel()));
                counters.add(GatewayCounter.FRAMES_OUT, session.outbound().takeFramesStaged());
            } catch (final IOException ignored) {
                // best effort: the connection is ending
            }
        }
        session.closed();
        adapter.onClosed(session);
        table.remove(session);
        active.remove(session);
        session.key().cancel();
        connections.close(session.channel());
        // every never-logged-on session's buffers are kept, up to one set per session slot, so a flood of connections that
        // never log on allocates nothing once that many were open (security trial: kept up to 16 of 64, connections
        // from 4 addresses, 64 open at a time, grew direct memory to its 2 GiB limit and stalled every client's answers
        // to p99 910 ms until full GCs freed it); ~1.3 MiB each with the default buffer sizes
        if (neverLoggedOn && spareBuffers.size() < settings.maxSessions()) {
            session.receive().clear();
            session.outbound().reset();
            spareBuffers.addFirst(new SessionBuffers(session.receive(), session.outbound()));
        }
        count(reason);
        if (loggedOn && (reason == DisconnectReason.IDLE_TIMEOUT || reason == DisconnectReason.SLOW_CONSUMER
                || reason == DisconnectReason.SLOW_CONSUMER_STALLED)) {
            // the server dropped a logged-on client: operators see which, and why in terms they can act on (rare, not per
            // message; operator audit: "closed, idle timeout" named neither the setting nor the likely cause)
            LOG.warn("{}: closed, {}", session, reason.reason() + (reason == DisconnectReason.IDLE_TIMEOUT
                ? " (nothing received for gateway.idleTimeout, " + settings.idleTimeoutNanos() / 1_000_000 + " ms, not even a"
                    + " heartbeat: the client stopped, hung or lost its network; it may reconnect and resend)"
                : reason == DisconnectReason.SLOW_CONSUMER_STALLED
                    ? " (gateway.slowConsumerTimeout, " + settings.slowConsumerTimeoutNanos() / 1_000_000 + " ms; a subscriber may"
                        + " reconnect and resume, a sender reconnect and resend)"
                    : " (gateway.outboundBufferBytes = " + settings.outboundBufferBytes() + ")"));
        } else {
            LOG.info("{}: closed, {}", session, frameError != null ? frameError.reason() + ": " + frameErrorDetail : reason.reason());
        }
        try {
            if (loggedOn) {
                handlers.subscriptions().onSessionClosed(session.id());
            }
        } finally { // the client's live session is forgotten and a paused read resumed even when the engine refused the word
            handlers.sessions().onDisconnect(session.id(), reason);
            if (paused == session) {
                resume();
            }
        }
    }

    private void count(final DisconnectReason reason) {
        counters.increment(GatewayCounter.SESSIONS_CLOSED);
        if (reason == DisconnectReason.IDLE_TIMEOUT) {
            counters.increment(GatewayCounter.IDLE_DISCONNECTS);
        } else if (reason == DisconnectReason.LOGON_TIMEOUT) {
            counters.increment(GatewayCounter.LOGON_TIMEOUTS);
        } else if (reason == DisconnectReason.SLOW_CONSUMER) {
            counters.increment(GatewayCounter.SLOW_CONSUMER_DISCONNECTS);
        } else if (reason == DisconnectReason.SLOW_CONSUMER_STALLED) {
            counters.increment(GatewayCounter.SLOW_CONSUMER_DISCONNECTS);
            counters.increment(GatewayCounter.SLOW_CONSUMER_STALLS);
        } else if (reason == DisconnectReason.IO_ERROR) {
            counters.increment(GatewayCounter.IO_ERRORS);
        }
    }
}
