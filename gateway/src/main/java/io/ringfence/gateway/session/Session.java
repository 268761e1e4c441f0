package io.ringfence.gateway.session;

import io.ringfence.gateway.DisconnectReason;
import io.ringfence.gateway.frame.ReceiveBuffer;

import java.net.InetAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One TCP connection and its session state: the socket, its receive buffer and outbound queue,
 * who logged on, and when it last read and wrote. Owned by the gateway I/O thread; other
 * threads only reach its {@link #outbound()} queue, through {@link SessionTable}.
 */
public final class Session {
    private final long id;
    private final int slot;
    private final SocketChannel channel;
    private final InetAddress remoteAddress;
    private final String remote;
    private final ReceiveBuffer receive;
    private final OutboundQueue outbound;
    private SelectionKey key;
    private volatile SessionState state = SessionState.AWAITING_LOGON;
    private Client client;
    private long logonClockNanos;
    private long lastReadNanos;
    private long lastWriteNanos;
    private boolean writeBlocked;
    private long writeBlockedSinceNanos;
    private DisconnectReason disconnectReason;
    private long disconnectClientSeq;

    public Session(final long id, final int slot, final SocketChannel channel, final InetAddress remoteAddress,
                   final String remote, final ReceiveBuffer receive, final OutboundQueue outbound, final long nowNanos) {
        this.id = id;
        this.slot = slot;
        this.channel = channel;
        this.remoteAddress = remoteAddress;
        this.remote = remote;
        this.receive = receive;
        this.outbound = outbound;
        this.logonClockNanos = nowNanos;
        this.lastReadNanos = nowNanos;
        this.lastWriteNanos = nowNanos;
    }

    public long id() {
        return id;
    }

    public int slot() {
        return slot;
    }

    public SocketChannel channel() {
        return channel;
    }

    public InetAddress remoteAddress() {
        return remoteAddress;
    }

    /** {@code host:port} of the peer, for logs. */
    public String remote() {
        return remote;
    }

    public ReceiveBuffer receive() {
        return receive;
    }

    public OutboundQueue outbound() {
        return outbound;
    }

    public SelectionKey key() {
        return key;
    }

    public void key(final SelectionKey key) {
        this.key = key;
    }

    public SessionState state() {
        return state;
    }

    /** The client logged on, or {@code null} before logon. */
    public Client client() {
        return client;
    }

    /** Logon succeeded. */
    public void loggedOn(final Client client) {
        this.client = client;
        this.state = SessionState.ACTIVE;
    }

    public void closed() {
        this.state = SessionState.CLOSED;
    }

    /**
     * Where the logon timeout counts from: the accept, or the end of the last back-pressure pause
     * (while paused the gateway reads no session, so a Logon sent meanwhile waits unread).
     */
    public long logonClockNanos() {
        return logonClockNanos;
    }

    /** Moves the logon clock past a pause from {@code pausedAtNanos} to {@code nowNanos}: paused time does not count. */
    public void skipPausedTime(final long pausedAtNanos, final long nowNanos) {
        logonClockNanos += nowNanos - Math.max(pausedAtNanos, logonClockNanos);
    }

    public long lastReadNanos() {
        return lastReadNanos;
    }

    public void lastReadNanos(final long nanos) {
        this.lastReadNanos = nanos;
    }

    public long lastWriteNanos() {
        return lastWriteNanos;
    }

    public void lastWriteNanos(final long nanos) {
        this.lastWriteNanos = nanos;
    }

    /** Whether the socket took less than was staged, so the session waits for {@code OP_WRITE}. */
    public boolean writeBlocked() {
        return writeBlocked;
    }

    /** Sets whether the socket refuses what is staged; becoming blocked starts the stall clock at {@code nowNanos}. */
    public void writeBlocked(final boolean blocked, final long nowNanos) {
        if (blocked && !writeBlocked) {
            writeBlockedSinceNanos = nowNanos;
        }
        this.writeBlocked = blocked;
    }

    /**
     * How long the outbound side has made no progress at {@code nowNanos}: since the later of the
     * last write that moved bytes and the moment the socket began refusing them; 0 when it is not
     * blocked. Heartbeats do not count as progress: they are not even queued while bytes wait.
     */
    public long writeStalledNanos(final long nowNanos) {
        return writeBlocked ? nowNanos - Math.max(lastWriteNanos, writeBlockedSinceNanos) : 0;
    }

    /** Records why the session must end, with the clientSeq of the offending message (0 if none). */
    public void disconnect(final DisconnectReason reason, final long clientSeq) {
        this.disconnectReason = reason;
        this.disconnectClientSeq = clientSeq;
    }

    public DisconnectReason disconnectReason() {
        return disconnectReason;
    }

    public long disconnectClientSeq() {
        return disconnectClientSeq;
    }

    @Override
    public String toString() {
        return "session " + id + " (" + remote + (client == null ? "" : ", client " + client.id()) + ")";
    }
}
