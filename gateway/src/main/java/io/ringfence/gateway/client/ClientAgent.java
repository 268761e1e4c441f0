package io.ringfence.gateway.client;

import io.ringfence.gateway.frame.FrameDecoder;
import io.ringfence.gateway.frame.FrameError;
import io.ringfence.gateway.frame.MessageShapes;
import io.ringfence.gateway.frame.ReceiveBuffer;
import io.ringfence.sbe.CatchUpDecoder;
import org.agrona.DirectBuffer;
import io.ringfence.sbe.LogonAckDecoder;
import io.ringfence.sbe.RejectCode;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The client's I/O thread: one selector, one non-blocking connection at a time, and the
 * connection's life cycle.
 *
 * <pre>
 *            (first connection is made by GatewayClient.connect)
 *   CONNECTING ──connected──▶ LOGGING_ON ──LogonAck──▶ ACTIVE
 *        ▲                      │  refused/timeout        │ lost (EOF, error, session Reject,
 *        │                      ▼  (attempt failed)       │ silence, SEQUENCE_GAP)
 *        └──── back-off ◀── BACKING_OFF ◀─────────────────┘
 *   any state ──fatal reason, attempts exhausted, close()──▶ STOPPED
 * </pre>
 *
 * <p>Each {@link #doWork()} writes what is queued, waits in {@code select} (at most 100 ms, a
 * quarter of the heartbeat interval when shorter, until the next reconnect attempt when backing
 * off; senders wake it; no wait right after a write), reads and hands frames to the
 * {@link ClientInboundAdapter}, checks timers and writes again: session messages first, then kept
 * business frames from the {@link UnackedRing}. It never spins and allocates nothing per message.
 */
final class ClientAgent implements Agent, ClientInboundAdapter.Session {
    enum State { CONNECTING, LOGGING_ON, ACTIVE, BACKING_OFF, STOPPED }

    private static final Logger LOG = LoggerFactory.getLogger(ClientAgent.class);
    private static final long MAX_TICK_MILLIS = 100;
    private static final int HEARTBEATS_PER_RECEIVE_TIMEOUT = 3;
    private static final int MIN_RECEIVE_BUFFER = 64 * 1024;

    private final GatewayClientConfig config;
    private final ClientListener listener;
    private final UnackedRing ring;
    /** Client sequences answered before an older message was, at their sequence modulo the window. */
    private final long[] answeredAhead;
    private final long answeredMask;
    private final Subscriptions subscriptions;
    private final LogonOutcome firstLogon;
    private final Runnable onProgress;
    private final String host;
    private final int port;
    private final String clientId;
    private final byte[] wireClientId;
    private final byte[] secret;
    private final Selector selector;
    private final ReceiveBuffer receive;
    private final FrameDecoder decoder;
    private final ControlPublisher control = new ControlPublisher();
    private final ClientInboundAdapter inbound;
    private volatile long caughtUpPushes;
    private volatile long overflowCatchUps;
    private volatile int serverMaxFrameBytes = Integer.MAX_VALUE;
    private volatile int serverOutboundBufferBytes;
    private volatile long catchUpGaps;
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private final Consumer<SelectionKey> onReady = this::onReady;

    private volatile State state;
    private volatile long reconnects;
    private volatile long resentFrames;
    private volatile long heartbeatsSent;
    private SocketChannel channel;
    private SelectionKey key;
    private boolean firstLogonPending = true;
    private boolean stopNotified;
    private boolean writeBlocked;
    private int failedAttempts;
    /** When the connection was lost, and when the next "still reconnecting" WARN is due; 0 while connected. */
    private long lostAtNanos;
    private long stillWarnAtNanos;
    private long deadlineNanos;
    private long nextAttemptNanos;
    private long lastReadNanos;
    private long lastWriteNanos;
    private long heartbeatNanos;
    private long receiveTimeoutNanos;
    private long tickMillis;
    private long highestWritten;
    private long journaledAnswerSeq;
    private long ackedAtLastResync = -1;
    private long nowNanos;
    /** What this process knows of an earlier one's messages (where numbering starts at the first logon). */
    private final Continuation continuation;
    /** The server's lastJournaledClientSeq at the first logon: numbers up to it are this client's to send again. */
    private long firstJournaled;

    ClientAgent(final GatewayClientConfig config, final ClientListener listener, final UnackedRing ring,
                final Subscriptions subscriptions, final LogonOutcome firstLogon, final Runnable onProgress,
                final String host, final int port, final String clientId, final byte[] wireClientId, final byte[] secret,
                final SocketChannel connected, final Continuation continuation) throws IOException {
        this.config = config;
        this.continuation = continuation;
        this.listener = listener;
        this.ring = ring;
        // one slot per message that can be in the store at once (a business frame is at least 64 bytes)
        final int window = Integer.highestOneBit(Math.max(64, config.unackedBufferBytes / 64)) << 1;
        this.answeredAhead = new long[window];
        this.answeredMask = window - 1;
        this.subscriptions = subscriptions;
        this.firstLogon = firstLogon;
        this.onProgress = onProgress;
        this.host = host;
        this.port = port;
        this.clientId = clientId;
        this.wireClientId = wireClientId;
        this.secret = secret;
        this.receive = new ReceiveBuffer(Math.max(config.maxFrameBytes, MIN_RECEIVE_BUFFER));
        this.decoder = new FrameDecoder(MessageShapes.serverToClient(), config.maxFrameBytes);
        this.inbound = new ClientInboundAdapter(listener, clientId);
        useHeartbeat(config.heartbeatMillis, config.heartbeatMillis);
        this.selector = Selector.open();
        try {
            connected.configureBlocking(false);
            connected.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
            channel = connected;
            key = connected.register(selector, SelectionKey.OP_READ);
        } catch (final IOException e) {
            selector.close();
            throw e;
        }
        beginLogon(System.nanoTime());
    }

    @Override
    public String roleName() {
        return "ringfence-client-" + clientId;
    }

    State state() {
        return state;
    }

    long reconnects() {
        return reconnects;
    }

    long resentFrames() {
        // counted at the logon; those answered before their resend went were not. The subtrahend first: both only grow and
        // it never exceeds the other, so a reader racing a logon never sees a negative count (review)
        final long notResent = ring.answeredUnwritten();
        return resentFrames - notResent;
    }

    long heartbeatsSent() {
        return heartbeatsSent;
    }

    /** Tells the I/O thread there is something to write (any thread); at most one selector wake-up per loop. */
    void wakeUp() {
        if (!wakeUpPending.getAndSet(true)) {
            selector.wakeup();
        }
    }

    @Override
    public int doWork() throws IOException {
        if (state == State.STOPPED) {
            // nothing more to do: end the I/O thread, which would otherwise keep the JVM alive after a fatal stop
            throw new AgentTerminationException("client '" + clientId + "' stopped");
        }
        try {
            return work();
        } catch (final Error e) {
            // an Error (a listener's, or the JVM's) leaves this thread's state unknown: stop for good and say so, rather
            // than die with the client still looking logged on and send() handing out sequences nobody writes
            LOG.error("client '{}': its I/O thread failed; the client stops", clientId, e);
            try {
                stop(ClientDisconnectReason.CLIENT_ERROR, e.toString(), null);
            } catch (final Throwable again) { // e.g. the listener's onDisconnect failing the same way
                state = State.STOPPED;
                LOG.error("client '{}': stopping after the failure failed too", clientId, again);
            }
            throw new AgentTerminationException(e);
        }
    }

    private int work() throws IOException {
        int work = 0;
        long now = System.nanoTime();
        if (state == State.BACKING_OFF && now - nextAttemptNanos >= 0) {
            startConnect(now);
            work++;
        }
        if (state == State.ACTIVE || state == State.LOGGING_ON) {
            work += flush(now);
        }
        // having just written, only look for readiness; otherwise sleep until a socket, a sender or a timer needs us
        work += work > 0 ? selector.selectNow(onReady) : selector.select(onReady, selectTimeoutMillis(now));
        wakeUpPending.set(false);
        now = System.nanoTime();
        work += checkTimers(now);
        if (state == State.ACTIVE || state == State.LOGGING_ON) {
            work += flush(now);
        }
        return work;
    }

    @Override
    public void onClose() {
        closeChannel();
        try {
            selector.close();
        } catch (final IOException e) {
            LOG.debug("closing the client selector failed: {}", e.toString());
        }
        stop(ClientDisconnectReason.CLOSED, "closed by the application",
            new GatewayClientException("the client was closed while logging on"));
    }

    // ---------------------------------------------------------------- connection life cycle

    private void startConnect(final long now) {
        try {
            final SocketChannel opened = SocketChannel.open();
            channel = opened;
            opened.configureBlocking(false);
            opened.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
            final boolean connected = opened.connect(new InetSocketAddress(host, port));
            key = opened.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT);
            state = State.CONNECTING;
            deadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(config.connectTimeoutMillis);
            if (connected) {
                beginLogon(now);
            }
        } catch (final IOException | UnresolvedAddressException e) {
            state = State.CONNECTING;
            lost(now, ClientDisconnectReason.IO_ERROR, "cannot connect to " + host + ':' + port + ": " + e, true, null);
        }
    }

    private void finishConnect(final long now) {
        try {
            if (channel.finishConnect()) {
                key.interestOps(SelectionKey.OP_READ);
                beginLogon(now);
            }
        } catch (final IOException e) {
            lost(now, ClientDisconnectReason.IO_ERROR, "cannot connect to " + host + ':' + port + ": " + e, true, null);
        }
    }

    private void beginLogon(final long now) {
        receive.clear();
        control.reset();
        // at a reconnect: what this client holds answers for, so a server whose restart forgot refusals among them does
        // not wait for them again (it refused SEQUENCE_GAP, and the client kept refused messages to resend them)
        control.logon(wireClientId, secret, config.heartbeatMillis,
            firstLogonPending ? continuation.answeredThrough() : ring.ackedSeq());
        state = State.LOGGING_ON;
        deadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(config.logonTimeoutMillis);
        lastReadNanos = now;
        lastWriteNanos = now;
    }

    private void onLogonAck(final long now, final LogonAckDecoder logonAck) {
        final long journaled = logonAck.lastJournaledClientSeq();
        final int serverHeartbeat = logonAck.heartbeatMillis();
        if (firstLogonPending) {
            final long start = continuation.startAfter(journaled, logonAck.actingVersion());
            ring.startAfter(start);
            // not start: numbering may begin past refusals the caller holds after what the server journaled (second
            // review: the next reconnect stopped the client with a false MESSAGES_LOST)
            journaledAnswerSeq = Math.min(start, journaled);
            firstJournaled = journaled;
        } else {
            if (journaled > Math.max(ring.lastAssignedSeq(), firstJournaled)) {
                stop(ClientDisconnectReason.SEQUENCE_CONFLICT, "the server has journaled clientSeq " + journaled
                    + " but this client has assigned only up to " + ring.lastAssignedSeq()
                    + ": another process is sending as '" + clientId + "'", null);
                return;
            }
            if (journaled > ring.ackedSeq() && differsFromMine(journaled, logonAck)) {
                stop(ClientDisconnectReason.SEQUENCE_CONFLICT, "the server has journaled another message under clientSeq " + journaled
                    + " than the one this client sent under it: another process is sending as '" + clientId
                    + "'; nothing was sent again, and this client's unanswered messages from clientSeq " + (ring.ackedSeq() + 1)
                    + " were not processed (those the other process journaled under their numbers are its own)", null);
                return;
            }
            if (journaled < journaledAnswerSeq) {
                // a Decision, Ack or engine reject is given once the message is journaled: a server that lost it (a
                // journal restored from an older copy; journal.sync none and an OS crash) is told here, even though this
                // Logon said the numbers were answered (which the server takes for refusals it forgot)
                stop(ClientDisconnectReason.MESSAGES_LOST, "the server has journaled only up to clientSeq " + journaled
                    + " but already answered clientSeq " + journaledAnswerSeq + " as journaled; the difference cannot be resent",
                    null);
                return;
            }
            // with recoverAnswers nothing is let go here: every kept message is resent, and the engine answers each it
            // journaled from its record (Decision, Ack or Reject), or refuses it when another process's message took its
            // number; let go unanswered, an Activity, OrderStatus or Inventory under such a number was lost unreported
            if (!config.recoverAnswers) {
                ring.releaseAll(Math.min(journaled, ring.lastAssignedSeq())); // resendFrom: numbers past it are not assigned yet
            }
            ring.rewind();
            resentFrames += ring.countFrames(ring.sendPosition(), highestWritten);
            reconnects++;
        }
        fitServer(logonAck);
        useHeartbeat(serverHeartbeat, config.receiveTimeoutMillis > 0 ? config.receiveTimeoutMillis
            : HEARTBEATS_PER_RECEIVE_TIMEOUT * (long) (serverHeartbeat > 0 ? serverHeartbeat : config.heartbeatMillis));
        state = State.ACTIVE;
        if (lostAtNanos != 0) {
            LOG.info("client '{}' reconnected to {}:{} after {} s", clientId, host, port,
                String.format(java.util.Locale.ROOT, "%.1f", (now - lostAtNanos) / 1e9));
        }
        failedAttempts = 0;
        lostAtNanos = 0;
        stillWarnAtNanos = 0;
        lastReadNanos = now;
        logonAck.sbeRewind();
        if (!subscriptions.onLogon(logonAck.engineSeq())) {
            LOG.warn("client '{}': the server's last event (engine sequence {}) is before the last push this client saw: another"
                + " journal? Its pushes are taken live from here, nothing caught up", clientId, logonAck.engineSeq());
        }
        onProgress.run();
        logonAck.sbeRewind();
        try {
            listener.onLogon(logonAck);
        } catch (final RuntimeException | AssertionError e) {
            LOG.warn("client listener onLogon failed", e);
        }
        if (firstLogonPending) {
            firstLogonPending = false;
            logonAck.sbeRewind();
            firstLogon.succeed(new LogonResult(clientId, logonAck.role(), journaled, serverHeartbeat, logonAck.engineSeq()));
        }
        LOG.info("client '{}' logged on to {}:{}, server journaled clientSeq {}, resending {} bytes", clientId, host, port,
            journaled, ring.usedBytes());
    }

    /**
     * A version-5 server says its limits in the LogonAck: a frame over its maxFrameBytes is refused by {@code send} (the
     * server would refuse it TOO_LARGE and close the session, which stops the client), and the unacknowledged store holds
     * at most half its outboundBufferBytes ({@link GatewayClientConfig#answerRoom}: the server holds the answers owed to
     * this client there; owing more, a client whose reading lags is dropped as a slow consumer), as
     * {@link GatewayClientConfig#fitServer} sets by hand. An older server's (fields null) leaves the client's own settings.
     */
    private void fitServer(final LogonAckDecoder logonAck) {
        final int maxFrame = logonAck.maxFrameBytes();
        final int buffer = logonAck.outboundBufferBytes();
        if (maxFrame == LogonAckDecoder.maxFrameBytesNullValue() || buffer == LogonAckDecoder.outboundBufferBytesNullValue()
                || maxFrame <= 0 || buffer <= 0) {
            // an older server (or one that says nothing): the client's own settings, not a previous server's
            serverMaxFrameBytes = Integer.MAX_VALUE;
            serverOutboundBufferBytes = 0;
            ring.limit(ring.capacity());
            return;
        }
        serverMaxFrameBytes = maxFrame;
        serverOutboundBufferBytes = buffer;
        final int before = ring.limit();
        // each logon: a server restarted with another setting is followed. Messages kept over a lowered limit are resent
        // and let go by their answers, which every one gets (refused ones too: no refused tail is kept since schema
        // version 6, which is what wedged a client here before)
        ring.limit(Math.min(ring.capacity(), GatewayClientConfig.answerRoom(buffer)));
        if (ring.limit() != before) {
            LOG.info("client '{}': the server holds {} bytes for this session (gateway.outboundBufferBytes): at most {} bytes"
                + " of messages are kept unacknowledged (unackedBufferBytes {})", clientId, buffer, ring.limit(), ring.capacity());
        }
    }

    /** The server's gateway.maxFrameBytes as its last LogonAck said, {@link Integer#MAX_VALUE} before one or from an older server. */
    int serverMaxFrameBytes() {
        return serverMaxFrameBytes;
    }

    /** The server's gateway.outboundBufferBytes as its last LogonAck said, 0 before one or from an older server. */
    int serverOutboundBufferBytes() {
        return serverOutboundBufferBytes;
    }

    /**
     * Whether the server's fingerprint of the message it journaled under {@code journaled} (a version-3 LogonAck) is
     * not the one of this client's kept, unanswered message under that number. Unknown on either side: false.
     */
    private boolean differsFromMine(final long journaled, final LogonAckDecoder logonAck) {
        final long theirs = logonAck.lastJournaledFingerprint();
        if (theirs == 0 || theirs == LogonAckDecoder.lastJournaledFingerprintNullValue()) {
            return false;
        }
        final long mine = ring.fingerprintOf(journaled);
        return mine != 0 && mine != theirs;
    }

    /**
     * The connection ended or an attempt failed. Reconnects with back-off when {@code retryable}
     * and attempts are left, otherwise stops for good.
     */
    private void lost(final long now, final ClientDisconnectReason reason, final String detail, final boolean retryable,
                      final GatewayClientException firstLogonFailure) {
        if (state == State.STOPPED) {
            return;
        }
        final State was = state;
        if (was == State.ACTIVE) {
            highestWritten = Math.max(highestWritten, ring.sendPosition());
        }
        closeChannel();
        ring.rewind();
        if (firstLogonPending) {
            final String failed = "logon of '" + clientId + "' to " + host + ':' + port + " failed: " + reason + ", " + detail;
            stop(reason, detail, firstLogonFailure != null ? firstLogonFailure
                : reason == ClientDisconnectReason.IO_ERROR || reason == ClientDisconnectReason.PEER_CLOSED
                ? new LogonLostException(failed) : new GatewayClientException(failed));
            return;
        }
        if (!retryable) {
            stop(reason, detail, null);
            return;
        }
        if (was == State.ACTIVE) {
            if (!config.mayReconnect(0)) {
                stop(reason, detail, null);
                return;
            }
            failedAttempts = 0;
            lostAtNanos = now;
            stillWarnAtNanos = now + TimeUnit.MILLISECONDS.toNanos(config.stillReconnectingWarnMillis);
            LOG.warn("client '{}' lost its connection ({}: {}); reconnecting", clientId, reason, detail);
            notifyDisconnect(reason, detail, true);
        } else {
            failedAttempts++;
            LOG.info("client '{}' reconnect attempt {} failed ({}: {})", clientId, failedAttempts, reason, detail);
            if (!config.mayReconnect(failedAttempts)) {
                stop(ClientDisconnectReason.RECONNECT_FAILED, failedAttempts + " reconnect attempts failed, the last: "
                    + reason + ", " + detail, null);
                return;
            }
            if (stillWarnAtNanos != 0 && now - stillWarnAtNanos >= 0) {
                LOG.warn("client '{}' still reconnecting to {}:{}: {} attempts failed in {} s, the last: {}: {}", clientId, host, port,
                    failedAttempts, (now - lostAtNanos) / 1_000_000_000L, reason, detail);
                stillWarnAtNanos = now + TimeUnit.MILLISECONDS.toNanos(config.stillReconnectingWarnMillis);
            }
        }
        state = State.BACKING_OFF;
        nextAttemptNanos = now + TimeUnit.MILLISECONDS.toNanos(config.backoffMillis(failedAttempts));
    }

    private void stop(final ClientDisconnectReason reason, final String detail, final GatewayClientException firstLogonFailure) {
        closeChannel();
        state = State.STOPPED;
        if (firstLogonPending) {
            firstLogonPending = false;
            firstLogon.fail(firstLogonFailure != null ? firstLogonFailure
                : new GatewayClientException("logon of '" + clientId + "' failed: " + reason + ", " + detail));
        }
        if (!stopNotified) {
            stopNotified = true;
            if (reason != ClientDisconnectReason.CLOSED) {
                // info: the listener is told (final disconnect) and the application reports it; an error line here
                // printed the same failure twice in every command (e.g. a refused second subscriber)
                LOG.info("client '{}' stopped: {}: {}", clientId, reason, detail);
            }
            notifyDisconnect(reason, detail, false);
        }
        onProgress.run();
    }

    private void closeChannel() {
        if (channel != null) {
            if (key != null) {
                key.cancel();
            }
            try {
                channel.close();
            } catch (final IOException e) {
                LOG.debug("closing the client socket failed: {}", e.toString());
            }
            channel = null;
            key = null;
        }
        receive.clear();
        control.reset();
        writeBlocked = false;
    }

    private int checkTimers(final long now) {
        switch (state) {
            case CONNECTING:
                if (now - deadlineNanos > 0) {
                    lost(now, ClientDisconnectReason.IO_ERROR, "connect to " + host + ':' + port + " timed out after "
                        + config.connectTimeoutMillis + " ms", true, null);
                    return 1;
                }
                return 0;
            case LOGGING_ON:
                if (now - deadlineNanos > 0) {
                    lost(now, ClientDisconnectReason.LOGON_TIMEOUT, "no LogonAck within " + config.logonTimeoutMillis + " ms", true,
                        new GatewayTimeoutException("logon of '" + clientId + "' to " + host + ':' + port
                            + ": no answer within " + config.logonTimeoutMillis + " ms"));
                    return 1;
                }
                return 0;
            case ACTIVE:
                if (now - lastReadNanos > receiveTimeoutNanos) {
                    // read once more first: after this process did not run for a while (stopped, a long GC pause) the
                    // select that resumes may return nothing although the server's frames wait in the socket
                    // (a concurrency trial: a 5 s SIGSTOP of a subscriber dropped a healthy session and its pushes)
                    final SocketChannel before = channel;
                    read(now);
                    if (channel == before && state == State.ACTIVE && now - lastReadNanos > receiveTimeoutNanos) {
                        lost(now, ClientDisconnectReason.SERVER_SILENT, "nothing received for "
                            + TimeUnit.NANOSECONDS.toMillis(receiveTimeoutNanos) + " ms", true, null);
                    }
                    return 1;
                }
                return 0;
            default:
                return 0;
        }
    }

    private long selectTimeoutMillis(final long now) {
        if (state == State.BACKING_OFF) {
            final long untilAttempt = TimeUnit.NANOSECONDS.toMillis(nextAttemptNanos - now);
            return Math.max(1, Math.min(tickMillis, untilAttempt));
        }
        return tickMillis;
    }

    private void useHeartbeat(final long serverHeartbeatMillis, final long receiveTimeoutMillis) {
        final long heartbeat = serverHeartbeatMillis > 0 ? Math.min(config.heartbeatMillis, serverHeartbeatMillis) : config.heartbeatMillis;
        heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeat);
        receiveTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(receiveTimeoutMillis);
        tickMillis = Math.max(1, Math.min(MAX_TICK_MILLIS, heartbeat / 4));
    }

    // ---------------------------------------------------------------- reading

    private void onReady(final SelectionKey ready) {
        if (!ready.isValid() || ready != key) {
            return;
        }
        final long now = System.nanoTime();
        final int ops = ready.readyOps();
        if ((ops & SelectionKey.OP_CONNECT) != 0) {
            finishConnect(now);
            return;
        }
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            flush(now);
        }
        if ((ops & SelectionKey.OP_READ) != 0 && ready == key) {
            read(now);
        }
    }

    private void read(final long now) {
        final int read;
        try {
            read = receive.readFrom(channel);
        } catch (final IOException e) {
            lost(now, ClientDisconnectReason.IO_ERROR, e.toString(), true, null);
            return;
        }
        if (read < 0) {
            lost(now, ClientDisconnectReason.PEER_CLOSED, "the server closed the connection", true, null);
            return;
        }
        if (read == 0) {
            return;
        }
        lastReadNanos = now;
        nowNanos = now;
        final SocketChannel current = channel;
        while (channel == current) {
            final int result = decoder.decode(receive.buffer(), receive.start(), receive.end());
            if (result == FrameDecoder.NEED_MORE) {
                return;
            }
            if (result < 0) {
                final FrameError error = FrameError.ofCode(result);
                lost(now, ClientDisconnectReason.BAD_FRAME,
                    error.reason() + ": " + decoder.explain(receive.buffer(), receive.start(), receive.end(), error), true, null);
                return;
            }
            inbound.onFrame(this, receive.buffer(), decoder);
            if (channel != current) {
                return;
            }
            receive.consume(result);
        }
    }

    // ---------------------------------------------------------------- what frames mean (ClientInboundAdapter.Session)

    @Override
    public boolean loggingOn() {
        return state == State.LOGGING_ON;
    }

    @Override
    public void logonAccepted(final LogonAckDecoder ack) {
        onLogonAck(nowNanos, ack);
    }

    @Override
    public void logonRefused(final RejectCode code, final String detail, final LogonRejectedException error) {
        lost(nowNanos, ClientDisconnectReason.LOGON_REJECTED, detail, RejectCodes.logonRetryable(code), error);
    }

    @Override
    public void answered(final long clientSeq, final boolean journaled) {
        if (state != State.ACTIVE) {
            return;
        }
        if (journaled && clientSeq > journaledAnswerSeq) {
            journaledAnswerSeq = clientSeq;
        }
        settle(clientSeq);
    }

    private void settle(final long clientSeq) {
        if (config.recoverAnswers) {
            answeredInOrder(clientSeq);
        } else if (clientSeq > ring.ackedSeq()) {
            acknowledge(clientSeq);
        }
    }

    /**
     * Each message is let go only by its own answer (the server answers every business message:
     * Decision, Reject or Ack), oldest first. An answer that arrives before an older message's
     * (that answer was lost with a previous connection, and the older message was resent at logon)
     * is remembered until the older one is answered too, so no message is let go unanswered.
     */
    private void answeredInOrder(final long clientSeq) {
        long next = ring.ackedSeq() + 1;
        if (clientSeq < next || clientSeq > ring.lastAssignedSeq() || clientSeq - next > answeredMask) {
            return;
        }
        answeredAhead[(int) (clientSeq & answeredMask)] = clientSeq;
        long through = 0;
        while (answeredAhead[(int) (next & answeredMask)] == next) {
            through = next++;
        }
        if (through > 0) {
            acknowledge(through);
        }
    }

    /**
     * Counts everything up to {@code through} as answered and lets its frames go, refused ones too: the next Logon says
     * this client holds answers up to there, so a server whose restart forgot the refusals (they are not journaled)
     * expects the message after them (schema version 6). Before, refused messages were kept and resent after a
     * reconnect to be refused again, which a limit of the configuration raised in between let through to the journal
     * after the client was told "refused".
     */
    private void acknowledge(final long through) {
        ring.release(through, ring.sendPosition());
        onProgress.run();
    }

    @Override
    public void sessionRejected(final RejectCode code, final String detail) {
        lost(nowNanos, ClientDisconnectReason.SERVER_REJECT, detail, RejectCodes.sessionRetryable(code), null);
    }

    @Override
    public void sequenceGap(final long clientSeq) {
        // a resync that did not move the acknowledged sequence would only repeat: give up instead of looping
        final boolean progressed = ring.ackedSeq() != ackedAtLastResync;
        ackedAtLastResync = ring.ackedSeq();
        lost(nowNanos, ClientDisconnectReason.SEQUENCE_GAP, "the engine reported a gap at clientSeq " + clientSeq
            + (progressed ? "" : ", again after a resend from clientSeq " + (ackedAtLastResync + 1)), progressed, null);
    }

    @Override
    public boolean pushed(final long seq, final DirectBuffer buffer, final int offset, final int length) {
        return subscriptions.onPush(seq, buffer, offset, length);
    }

    @Override
    public void caughtUp(final CatchUpDecoder catchUp) {
        caughtUpPushes += catchUp.pushes() - subscriptions.takeRepeatsDropped(); // repeats of what had come are not news
        if (catchUp.resumeAfterSeq() <= 0) {
            overflowCatchUps++; // unasked: a push found the server's buffer for this session full; it resumes from what came
        } else if (catchUp.heldAfterSeq() >= catchUp.resumeAfterSeq()) {
            catchUpGaps++;
            LOG.warn("client '{}': pushes from engine sequence {} (those not yet received) up to {} were no longer held by the"
                + " server when it resumed; any of this client's are lost to it (replay renders them from the journal)", clientId,
                catchUp.resumeAfterSeq(), catchUp.heldAfterSeq());
        }
        subscriptions.onCatchUp(catchUp.complete() == 1, catchUp.throughSeq());
    }

    /** Pushes the server caught this client up on after reconnects. I/O thread; a racy read elsewhere. */
    long caughtUpPushes() {
        return caughtUpPushes;
    }

    /** Times the server's buffer for this session filled and it was sent to a catch-up instead of being dropped. */
    long overflowCatchUps() {
        return overflowCatchUps;
    }

    /** Resumes the server could not complete: pushes were lost. */
    long catchUpGaps() {
        return catchUpGaps;
    }

    // ---------------------------------------------------------------- writing

    private int flush(final long now) {
        if (channel == null) {
            return 0;
        }
        int work = 0;
        try {
            while (true) {
                if (control.hasPending()) {
                    if (control.writeTo(channel) > 0) {
                        lastWriteNanos = now;
                        work++;
                    }
                    if (control.hasPending()) {
                        writeBlocked(true);
                        return work;
                    }
                    continue;
                }
                if (state != State.ACTIVE) {
                    break;
                }
                if (ring.atFrameBoundary()) {
                    if (subscriptions.hasPending()) {
                        subscriptions.drainTo(control);
                        if (control.hasPending()) {
                            continue;
                        }
                    }
                    if (!ring.hasUnsent() && now - lastWriteNanos >= heartbeatNanos
                        && control.heartbeat(TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()))) {
                        heartbeatsSent++;
                        continue;
                    }
                }
                if (!ring.hasUnsent()) {
                    break;
                }
                final long tailBefore = ring.tailPosition();
                final int written = ring.writeTo(channel);
                if (ring.tailPosition() != tailBefore) {
                    // frames answered before their resend was written were let go: senders waiting for room are told
                    // (their answers came while the frames were still held; review of 2026-12-06)
                    onProgress.run();
                    work++;
                }
                if (written > 0) {
                    lastWriteNanos = now;
                    work++;
                }
                if (written == 0 && !ring.hasUnsent()) {
                    break; // nothing left to write after all: no write interest
                }
                if (written == 0 || !ring.atFrameBoundary()) {
                    writeBlocked(true);
                    return work;
                }
            }
        } catch (final IOException e) {
            lost(now, ClientDisconnectReason.IO_ERROR, e.toString(), true, null);
            return work + 1;
        }
        writeBlocked(false);
        return work;
    }

    private void writeBlocked(final boolean blocked) {
        if (blocked != writeBlocked && key != null && key.isValid()) {
            writeBlocked = blocked;
            key.interestOps(SelectionKey.OP_READ | (blocked ? SelectionKey.OP_WRITE : 0));
        }
    }

    private void notifyDisconnect(final ClientDisconnectReason reason, final String detail, final boolean reconnecting) {
        try {
            listener.onDisconnect(reason, detail, reconnecting);
        } catch (final RuntimeException | AssertionError e) {
            LOG.warn("client listener onDisconnect failed", e);
        }
    }
}
