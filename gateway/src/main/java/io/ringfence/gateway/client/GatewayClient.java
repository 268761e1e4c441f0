package io.ringfence.gateway.client;

import io.ringfence.engine.model.Ids;
import io.ringfence.gateway.frame.MessageShape;
import io.ringfence.gateway.frame.MessageShapes;
import io.ringfence.gateway.frame.SofhHeader;
import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.LogonDecoder;
import io.ringfence.sbe.MessageHeaderDecoder;
import io.ringfence.sbe.SubscribeEncoder;
import io.ringfence.sbe.Topic;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;

/**
 * A client of the ringfence gateway with exactly-once delivery of business messages across
 * reconnects. See the package documentation for the threading picture and the resend rules.
 *
 * <pre>{@code
 * GatewayClient client = new GatewayClient(new GatewayClientConfig(), listener);
 * client.connect("127.0.0.1", port);                  // GatewayConnectException, GatewayTimeoutException
 * LogonResult logon = client.logon("shop-1", secret); // LogonRejectedException (code, reason)
 * long clientSeq = client.send(buffer, 0, length);    // an encoded Order; BACK_PRESSURED when the store is full
 * client.awaitAcknowledged(5, TimeUnit.SECONDS);       // every message answered or journaled
 * client.close();
 * }</pre>
 *
 * <p>Thread-safety: {@link #send}, {@link #subscribe} and {@link #unsubscribe} may be called from
 * any thread; concurrent senders serialise on a lock the I/O thread never takes, so client
 * sequences are assigned in the order the calls take it. {@code connect}, {@code logon} and
 * {@code close} are for the owning thread.
 */
public final class GatewayClient implements AutoCloseable {
    /**
     * How many of a client's last answers the server holds to answer resends from (a resend further back is answered
     * {@code Reject DUPLICATE}, "no longer held"): a protocol constant, so {@link #logon(String, String, long)} never
     * numbers further back than this.
     */
    public static final int ANSWERS_HELD = 32 * 1024;

    /** {@link #send} result: the unacknowledged store is full; try again after answers arrive. */
    public static final long BACK_PRESSURED = UnackedRing.BACK_PRESSURED;
    /** {@link #send} result: the client has stopped (closed, or gave up on a fatal reason). */
    public static final long CLOSED = -2;

    private static final Logger LOG = LoggerFactory.getLogger(GatewayClient.class);
    private static final int CLOSE_RETRY_MILLIS = 100;
    private static final long LOGON_WAIT_MARGIN_MILLIS = 1_000;
    private static final long MAX_WAIT_SLICE_MILLIS = 100;
    private static final int MIN_BUSINESS_BODY = Long.BYTES;
    private static final int LAST_BUSINESS_TEMPLATE = 5;

    private final GatewayClientConfig config;
    private final ClientListener listener;
    private final UnackedRing ring;
    private final Subscriptions subscriptions = new Subscriptions();
    private final MessageShapes shapes = MessageShapes.clientToServer();
    private final LogonOutcome firstLogon = new LogonOutcome();
    private final Object sendLock = new Object();
    private final Object progressMonitor = new Object();
    private final AtomicInteger waiters = new AtomicInteger();
    private volatile long progress;
    private volatile boolean loggedOnOnce;
    private String host;
    private int port;
    private SocketChannel connected;
    private volatile ClientAgent agent;
    private AgentRunner runner;
    private volatile Thread ioThread;
    private volatile boolean closed;

    /**
     * @param config   validated here
     * @param listener where answers, pushes and connection events go (on the I/O thread)
     */
    public GatewayClient(final GatewayClientConfig config, final ClientListener listener) {
        this.config = Objects.requireNonNull(config, "config").validate();
        this.listener = Objects.requireNonNull(listener, "listener");
        this.ring = new UnackedRing(config.unackedBufferBytes);
    }

    /** Connects and logs on in one call; closes the client when either fails. */
    public static GatewayClient open(final GatewayClientConfig config, final ClientListener listener, final String host,
                                     final int port, final String clientId, final String secret) throws GatewayClientException {
        final GatewayClient client = new GatewayClient(config, listener);
        try {
            client.connect(host, port);
            client.logon(clientId, secret);
            return client;
        } catch (final GatewayClientException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Opens the TCP connection, blocking for at most {@code connectTimeoutMillis}. The address
     * is remembered for reconnects (the host name is resolved again on each).
     *
     * @throws GatewayConnectException when refused or unreachable
     * @throws GatewayTimeoutException when the connect timed out
     */
    public GatewayClient connect(final String host, final int port) throws GatewayClientException {
        if (connected != null || agent != null || closed) {
            throw new IllegalStateException("connect() once, on a new client");
        }
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, Boolean.TRUE);
            channel.socket().connect(new InetSocketAddress(host, port), config.connectTimeoutMillis);
        } catch (final SocketTimeoutException e) {
            closeQuietly(channel);
            throw new GatewayTimeoutException("connect to " + host + ':' + port + " timed out after " + config.connectTimeoutMillis + " ms");
        } catch (final IOException | UnresolvedAddressException e) {
            closeQuietly(channel);
            throw new GatewayConnectException("cannot connect to " + host + ':' + port + ": " + e, e);
        }
        this.host = host;
        this.port = port;
        this.connected = channel;
        return this;
    }

    /**
     * Logs on over the connection made by {@link #connect}, starts the I/O thread and waits for
     * the answer (at most {@code logonTimeoutMillis}). Client sequences continue after the
     * {@code lastJournaledClientSeq} the server reports, so a restarted process never reuses a
     * number the engine has seen. On any failure the client is closed.
     *
     * <p>The secret is kept in memory for logging on again after a reconnect.
     *
     * @throws LogonRejectedException  when the server refused (carries the RejectCode and reason)
     * @throws GatewayTimeoutException when no answer came in time
     * @throws GatewayClientException  when the connection dropped during logon
     */
    public LogonResult logon(final String clientId, final String secret) throws GatewayClientException {
        return logon(clientId, secret, 0);
    }

    /**
     * {@link #logon(String, String)} for a process that goes on with an earlier one's messages and lost some of
     * their answers (it was killed): numbering starts at {@code resendFrom} when the server has journaled that
     * sequence, so the caller sends its messages from there again, the same bytes in the same order. The engine
     * answers those it journaled from its record (the original answers; {@code Reject DUPLICATE} when it no longer
     * holds one, or when a message is not the one it journaled under that number) and processes the rest. Numbers
     * up to the server's {@code lastJournaledClientSeq} are then the caller's to send again: a reconnect before it
     * has sent them all is no sequence conflict. Numbering never starts more than {@link #ANSWERS_HELD} before that
     * last journaled sequence: the answers before are no longer held ({@link #lastAssignedSeq()} after the logon says
     * where it starts).
     *
     * @param resendFrom the first client sequence to send again, at least 1; 0 = continue after the server's last
     */
    public LogonResult logon(final String clientId, final String secret, final long resendFrom) throws GatewayClientException {
        return logon(clientId, secret, resendFrom == 0 ? Continuation.NONE : new Continuation(resendFrom, 0, seq -> true));
    }

    /**
     * {@link #logon(String, String, long)} for a caller that also holds the earlier process's answers up to
     * {@code answeredThrough} ({@code load --resume}'s answers file): the Logon says so (schema version 6), so a server
     * whose restart forgot the refusals among them counts them refused, and numbering starts past those after the
     * server's last journaled sequence (up to the first one {@code journaledAnswer} says was journaled: a server that
     * lost that sends everything from there again). Before, they were sent again and checked again, and one refused for
     * a limit a restart had raised was journaled after the caller was told "refused".
     *
     * @param answeredThrough the last client sequence whose answer the caller holds (every one before it too)
     * @param journaledAnswer whether the caller's answer to a client sequence says it was journaled (a Decision, an Ack,
     *                        the engine's reject of an order status change), not refused; called on the I/O thread
     */
    public LogonResult logon(final String clientId, final String secret, final long resendFrom, final long answeredThrough,
                             final LongPredicate journaledAnswer) throws GatewayClientException {
        if (answeredThrough < 0) {
            throw new IllegalArgumentException("answeredThrough must be 0 (none) or a client sequence, not " + answeredThrough);
        }
        return logon(clientId, secret, new Continuation(resendFrom, answeredThrough, journaledAnswer));
    }

    private LogonResult logon(final String clientId, final String secret, final Continuation continuation)
            throws GatewayClientException {
        final long resendFrom = continuation.resendFrom();
        if (resendFrom < 0) {
            throw new IllegalArgumentException("resendFrom must be 0 (none) or a client sequence, not " + resendFrom);
        }
        if (connected == null || agent != null) {
            throw new IllegalStateException(agent != null ? "already logged on" : "connect() first");
        }
        if (subscriptions.presetWithoutSubscriptions()) {
            throw new IllegalStateException("resumeAfter() was called but nothing is subscribed before logon: subscribe first,"
                + " or the position would be dropped and the pushes after it lost");
        }
        final byte[] idBytes = clientId.getBytes(StandardCharsets.UTF_8);
        if (idBytes.length == 0 || idBytes.length > Ids.MAX_ID_BYTES || clientId.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("client id '" + clientId + "' must be 1 to " + Ids.MAX_ID_BYTES + " UTF-8 bytes without NUL");
        }
        final byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        if (secretBytes.length > ControlPublisher.maxSecretBytes()) {
            throw new IllegalArgumentException("secret longer than " + ControlPublisher.maxSecretBytes() + " bytes");
        }
        final byte[] wireId = new byte[LogonDecoder.clientIdLength()];
        System.arraycopy(idBytes, 0, wireId, 0, idBytes.length);
        final SocketChannel channel = connected;
        connected = null;
        final ClientAgent created;
        try {
            created = new ClientAgent(config, listener, ring, subscriptions, firstLogon, this::onProgress,
                host, port, clientId, wireId, secretBytes, channel, continuation);
        } catch (final IOException e) {
            closeQuietly(channel);
            close();
            throw new GatewayClientException("cannot set up the connection to " + host + ':' + port + ": " + e, e);
        }
        agent = created;
        runner = new AgentRunner(NoOpIdleStrategy.INSTANCE, error -> {
            if (!(error instanceof AgentTerminationException)) { // the end of a stopped client's thread, said when it stopped
                LOG.error("client I/O thread error", error);
            }
        }, null, created);
        ioThread = AgentRunner.startOnThread(runner);
        try {
            final LogonResult result = firstLogon.await(config.logonTimeoutMillis + LOGON_WAIT_MARGIN_MILLIS, "logon of '" + clientId + "'");
            loggedOnOnce = true;
            return result;
        } catch (final GatewayClientException e) {
            close();
            throw e;
        } catch (final InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new GatewayClientException("interrupted while logging on", e);
        }
    }

    /**
     * Queues a business message ({@code Order}, {@code Payment}, {@code OrderStatus},
     * {@code Inventory} or {@code Activity}) for sending; never blocks on the socket. The bytes are
     * copied into the unacknowledged store, with the next client sequence written into the copy's
     * first field (whatever {@code clientSeq} the caller encoded is ignored). While disconnected,
     * messages queue in the same store and go out after the resend.
     *
     * @param buffer holds the SBE message, its 8-byte message header included (no SOFH header)
     * @return the client sequence assigned (&gt; 0), {@link #BACK_PRESSURED} when the store is full,
     *         or {@link #CLOSED} when the client has stopped
     * @throws IllegalStateException    before a successful {@link #logon}
     * @throws IllegalArgumentException when the message is not a well-formed business message of
     *                                  the ringfence schema or exceeds {@code maxFrameBytes}
     */
    public long send(final DirectBuffer buffer, final int offset, final int length) {
        final ClientAgent current = agent;
        if (current == null || !loggedOnOnce) {
            throw new IllegalStateException("log on before sending");
        }
        if (current.state() == ClientAgent.State.STOPPED) {
            return CLOSED;
        }
        checkBusinessMessage(buffer, offset, length);
        final long seq;
        synchronized (sendLock) {
            seq = ring.append(buffer, offset, length);
        }
        if (seq > 0) {
            current.wakeUp();
        }
        return seq;
    }

    /**
     * {@link #send(DirectBuffer, int, int)}, waiting up to {@code timeout} for room when the store
     * is full. On the I/O thread (inside a listener callback) it does not wait.
     *
     * @return as {@link #send(DirectBuffer, int, int)}; {@link #BACK_PRESSURED} when still full at the timeout
     */
    public long send(final DirectBuffer buffer, final int offset, final int length, final long timeout, final TimeUnit unit)
        throws InterruptedException {
        long seq = send(buffer, offset, length);
        if (seq != BACK_PRESSURED || Thread.currentThread() == ioThread) {
            return seq;
        }
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        waiters.incrementAndGet();
        try {
            while (true) {
                final long seen = progress;
                seq = send(buffer, offset, length);
                if (seq != BACK_PRESSURED) {
                    return seq;
                }
                if (!waitForProgress(seen, deadline)) {
                    return BACK_PRESSURED;
                }
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /**
     * Subscribes (needs the SUBSCRIBE or ADMIN role, else the server disconnects this client for
     * good). Subscriptions are session messages outside the exactly-once stream: they carry
     * client sequence 0, and the client subscribes again after every reconnect, since a server
     * forgets a session's subscriptions when it ends, resuming after the last push received (the server sends the
     * ones made while away, {@link ClientListener#onCatchUp}). Replaces an active subscription of the same id. May be
     * called before {@link #logon}: sent at the first logon (resuming with {@link #resumeAfter}).
     *
     * @throws IllegalStateException    when the client is closed or has stopped
     * @throws IllegalArgumentException when the filter is longer than the Subscribe message's
     *                                  {@code filter} field (48 UTF-8 bytes) or holds a NUL, or the server would refuse
     *                                  the subscription (a filter kind the topic has not, a filter on ALL, a user,
     *                                  order or sku filter over 36 bytes)
     */
    public void subscribe(final long subscriptionId, final Topic topic, final FilterKind filterKind, final String filter) {
        if (agent != null || closed) {
            requireLive();
        } // before logon: sent at the first logon, resuming when resumeAfter was called
        if (filter != null && (filter.getBytes(StandardCharsets.UTF_8).length > SubscribeEncoder.filterLength() || filter.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("subscription filter '" + filter + "' must be at most " + SubscribeEncoder.filterLength()
                + " UTF-8 bytes without NUL");
        }
        // what the server refuses (it would answer each logon's Subscribe with BAD_VALUE, and no push would come)
        if (!io.ringfence.gateway.TopicFilters.allowed(Objects.requireNonNull(topic, "topic"),
            Objects.requireNonNull(filterKind, "filterKind"))) {
            throw new IllegalArgumentException("topic " + topic + " cannot be filtered by " + filterKind);
        }
        final int filterBytes = filter == null ? 0 : filter.getBytes(StandardCharsets.UTF_8).length;
        if (filterKind == FilterKind.ALL && filterBytes > 0) {
            throw new IllegalArgumentException("an ALL subscription takes no filter, got '" + filter + "'");
        }
        if ((filterKind == FilterKind.USER || filterKind == FilterKind.ORDER || filterKind == FilterKind.SKU)
            && filterBytes > Ids.MAX_ID_BYTES) {
            throw new IllegalArgumentException("subscription filter '" + filter + "' can never match: a " + filterKind
                + " id is at most " + Ids.MAX_ID_BYTES + " UTF-8 bytes");
        }
        subscriptions.add(new Subscriptions.Entry(subscriptionId, Objects.requireNonNull(topic, "topic"),
            Objects.requireNonNull(filterKind, "filterKind"), filter == null ? "" : filter));
        final ClientAgent current = agent;
        if (current != null) {
            current.wakeUp();
        }
    }

    /**
     * Before {@link #logon}: the application has already seen the pushes of its subscriptions up to engine sequence
     * {@code afterSeq}, the last {@code seenOfSeq} of them of that sequence (a subscriber process that restarts
     * and carries on from what it wrote). The subscriptions made before logon are then sent as a resume, and the
     * server catches up on what was made since, as after a reconnect ({@link ClientListener#onCatchUp} says
     * whether its history still reached back). Without it the first session is live only.
     *
     * @throws IllegalStateException    after logon
     * @throws IllegalArgumentException for a sequence below 1 or a negative count
     */
    public void resumeAfter(final long afterSeq, final int seenOfSeq) {
        if (agent != null || closed) {
            throw new IllegalStateException("resumeAfter() is for before logon: a session's position is the client's own after that");
        }
        if (afterSeq < 1 || seenOfSeq < 0) {
            throw new IllegalArgumentException("resume after engine sequence " + afterSeq + " with " + seenOfSeq
                + " of its pushes seen: the sequence must be at least 1 and the count at least 0");
        }
        subscriptions.presetPosition(afterSeq, seenOfSeq);
    }

    /**
     * @return false when no such subscription is active
     * @throws IllegalStateException when the client is closed or has stopped
     */
    public boolean unsubscribe(final long subscriptionId) {
        requireLive();
        final boolean removed = subscriptions.remove(subscriptionId);
        if (removed) {
            agent.wakeUp();
        }
        return removed;
    }

    /**
     * Waits until every message sent so far is acknowledged (answered, or reported journaled by
     * a LogonAck). Every business message gets an answer (Decision, Ack or Reject).
     *
     * <p>An answer is acknowledged after its listener callback has returned, so when this returns
     * true the listener has seen every answer to the messages it covers.
     *
     * @return true when all were acknowledged; false at the timeout or when the client stopped
     */
    public boolean awaitAcknowledged(final long timeout, final TimeUnit unit) throws InterruptedException {
        if (Thread.currentThread() == ioThread) {
            throw new IllegalStateException("awaitAcknowledged() would wait for its own thread");
        }
        final long target = ring.lastAssignedSeq();
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        waiters.incrementAndGet();
        try {
            while (true) {
                final long seen = progress;
                if (ring.ackedSeq() >= target) {
                    return true;
                }
                if (isStopped() || !waitForProgress(seen, deadline)) {
                    return ring.ackedSeq() >= target;
                }
            }
        } finally {
            waiters.decrementAndGet();
        }
    }

    /** Whether the client is logged on right now. */
    public boolean isLoggedOn() {
        final ClientAgent current = agent;
        return current != null && current.state() == ClientAgent.State.ACTIVE;
    }

    /** Whether the client has stopped for good (closed, or a fatal reason: see the listener). */
    public boolean isStopped() {
        final ClientAgent current = agent;
        return closed || current != null && current.state() == ClientAgent.State.STOPPED;
    }

    /** The highest client sequence assigned so far. */
    public long lastAssignedSeq() {
        return ring.lastAssignedSeq();
    }

    /** The highest client sequence acknowledged so far. */
    public long acknowledgedSeq() {
        return ring.ackedSeq();
    }

    /** Messages sent (or queued) and not yet acknowledged. */
    public long unacknowledged() {
        return ring.lastAssignedSeq() - ring.ackedSeq();
    }

    /** Bytes of the store in use, out of {@code unackedBufferBytes}: the unacknowledged messages. */
    public long unacknowledgedBytes() {
        return ring.usedBytes();
    }

    /** Successful logons after a lost connection. */
    public long reconnects() {
        final ClientAgent current = agent;
        return current == null ? 0 : current.reconnects();
    }

    /** Pushes the server sent again after reconnects, those this client had missed while away (see {@link ClientListener#onCatchUp}). */
    public long caughtUpPushes() {
        final ClientAgent current = agent;
        return current == null ? 0 : current.caughtUpPushes();
    }

    /**
     * Times a burst of pushes filled the server's buffer for this client and the server, instead of dropping the
     * session, stopped its live pushes and had it catch up from the history (see {@link ClientListener#onCatchUp}).
     */
    public long overflowCatchUps() {
        final ClientAgent current = agent;
        return current == null ? 0 : current.overflowCatchUps();
    }

    /**
     * The server's {@code gateway.maxFrameBytes} as its LogonAck said (a version-5 server), {@link Integer#MAX_VALUE} when
     * unknown: {@code send} refuses a larger message.
     */
    public int serverMaxFrameBytes() {
        final ClientAgent current = agent;
        return current == null ? Integer.MAX_VALUE : current.serverMaxFrameBytes();
    }

    /**
     * The server's {@code gateway.outboundBufferBytes} as its LogonAck said (a version-5 server), 0 when unknown: the
     * unacknowledged store holds no more than that (see {@link GatewayClientConfig#fitServer}).
     */
    public int serverOutboundBufferBytes() {
        final ClientAgent current = agent;
        return current == null ? 0 : current.serverOutboundBufferBytes();
    }

    /** Reconnects after which the server no longer held every push missed: pushes were lost to this client. */
    public long catchUpGaps() {
        final ClientAgent current = agent;
        return current == null ? 0 : current.catchUpGaps();
    }

    /** Business frames written again after reconnects (each counted once per resend). */
    public long resentMessages() {
        final ClientAgent current = agent;
        return current == null ? 0 : current.resentFrames();
    }

    /** Heartbeats this client has sent. */
    public long heartbeatsSent() {
        final ClientAgent current = agent;
        return current == null ? 0 : current.heartbeatsSent();
    }

    /**
     * Stops the I/O thread and closes the connection; the listener gets
     * {@code onDisconnect(CLOSED, ..., false)} unless the client had already stopped. Messages
     * not yet acknowledged are dropped: call {@link #awaitAcknowledged} first to avoid that.
     * Idempotent; not from a listener callback.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() == ioThread) {
            throw new IllegalStateException("close() from a listener callback would wait for its own thread");
        }
        closed = true;
        closeQuietly(connected);
        connected = null;
        if (runner != null) {
            final ClientAgent current = agent;
            current.wakeUp();
            runner.close(CLOSE_RETRY_MILLIS, thread -> current.wakeUp());
        }
        onProgress();
    }

    /** Running and not stopped: a stopped client's subscriptions would never reach a server. */
    private void requireLive() {
        requireRunning();
        if (agent.state() == ClientAgent.State.STOPPED) {
            throw new IllegalStateException("the client has stopped (its listener was told why): subscribe on a new client");
        }
    }

    private void requireRunning() {
        if (agent == null || closed) {
            throw new IllegalStateException(closed ? "the client is closed" : "log on first");
        }
    }

    /** Called by the I/O thread when acknowledgements freed room or the client stopped. */
    private void onProgress() {
        progress++;
        if (waiters.get() > 0) {
            synchronized (progressMonitor) {
                progressMonitor.notifyAll();
            }
        }
    }

    /** Waits until {@code progress} moves past {@code seen} or the deadline passes; false at the deadline. */
    private boolean waitForProgress(final long seen, final long deadline) throws InterruptedException {
        synchronized (progressMonitor) {
            while (progress == seen) {
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                progressMonitor.wait(Math.max(1, Math.min(MAX_WAIT_SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(remaining))));
            }
        }
        return true;
    }

    private void checkBusinessMessage(final DirectBuffer buffer, final int offset, final int length) {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH + MIN_BUSINESS_BODY || offset < 0
            || (long) offset + length > buffer.capacity()) {
            throw new IllegalArgumentException("not an SBE message: offset " + offset + ", length " + length);
        }
        if (SofhHeader.LENGTH + length > config.maxFrameBytes) {
            throw new IllegalArgumentException("message of " + length + " bytes exceeds maxFrameBytes " + config.maxFrameBytes);
        }
        final ClientAgent current = agent;
        if (current != null && SofhHeader.LENGTH + length > current.serverMaxFrameBytes()) {
            throw new IllegalArgumentException("message of " + length + " bytes (a frame of " + (SofhHeader.LENGTH + length)
                + ") exceeds the server's gateway.maxFrameBytes " + current.serverMaxFrameBytes() + " (told at logon): the server"
                + " would refuse it TOO_LARGE and close the session; split it, or have the operator raise the limit");
        }
        final int blockLength = buffer.getShort(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int templateId = buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int schemaId = buffer.getShort(offset + 4, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int version = buffer.getShort(offset + 6, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (schemaId != MessageHeaderDecoder.SCHEMA_ID || version > MessageHeaderDecoder.SCHEMA_VERSION) {
            throw new IllegalArgumentException("schema " + schemaId + " version " + version + " is not the ringfence schema "
                + MessageHeaderDecoder.SCHEMA_ID + " up to version " + MessageHeaderDecoder.SCHEMA_VERSION);
        }
        final MessageShape shape = templateId <= LAST_BUSINESS_TEMPLATE ? shapes.shape(templateId) : null;
        if (shape == null) {
            throw new IllegalArgumentException("template " + templateId
                + " is not a business message (Order, Payment, OrderStatus, Inventory, Activity)");
        }
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (!shape.fits(buffer, bodyOffset, length - MessageHeaderDecoder.ENCODED_LENGTH, blockLength, version)) {
            throw new IllegalArgumentException("template " + templateId + ": block length " + blockLength
                + ", groups and var data do not match the length " + length);
        }
    }

    private static void closeQuietly(final SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (final IOException ignored) {
                // closing anyway
            }
        }
    }
}
