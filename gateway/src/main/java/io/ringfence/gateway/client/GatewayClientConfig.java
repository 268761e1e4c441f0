package io.ringfence.gateway.client;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.gateway.frame.FrameDecoder;
import org.agrona.BitUtil;

/**
 * Settings of a {@link GatewayClient}, with a default for everything, checked once by
 * {@link #validate()} (the client's constructor calls it); every error names the field.
 *
 * <pre>
 * client:
 *   connectTimeoutMillis: 5000       # TCP connect, first and reconnects
 *   logonTimeoutMillis: 5000         # Logon to LogonAck
 *   heartbeatMillis: 1000            # proposed in Logon; the client sends a Heartbeat after
 *                                    # min(this, server's interval) without sending anything
 *   receiveTimeoutMillis: 0          # silence from the server before the link counts as dead;
 *                                    # 0 = 3 x the server's heartbeat interval
 *   unackedBufferBytes: 1048576      # bound on messages kept until acknowledged (sent or queued),
 *                                    # power of two, at least 4 x maxFrameBytes
 *   maxFrameBytes: 131072            # largest frame either way, SOFH header included
 *   reconnectBackoffMillis: 50       # first delay before a reconnect; doubles per failed attempt
 *   reconnectMaxBackoffMillis: 2000  # cap of that delay
 *   maxReconnectAttempts: -1         # failed attempts in a row before giving up; -1 forever, 0 never reconnect
 *   recoverAnswers: true             # after a reconnect, also resend kept messages the server journaled
 *                                    # but never answered, to get their answers (see below)
 * </pre>
 *
 * <p>{@code recoverAnswers}: a message journaled just before the connection dropped may never
 * have had its answer delivered (a server stopping closes sessions before the engine has answered
 * everything it journaled). Without it the LogonAck's {@code lastJournaledClientSeq} acknowledges
 * such messages and their answers are lost to this client; nothing is processed twice. With
 * {@code recoverAnswers} the client resends every kept message too (the engine treats those it
 * journaled as resends and answers each again from its record, a Decision, Ack or Reject, never
 * processing it twice; one whose number another process's message took is refused with
 * {@code DUPLICATE}), so every answer arrives.
 *
 * <p>Refused messages: a message the engine refuses as invalid is answered but not journaled, and a
 * server restarted after a kill -9 no longer knows it was refused (the LogonAck counts journaled
 * messages only). Each Logon after the first therefore says the last client sequence this client
 * holds an answer for (schema version 6), and the server expects the one after it; a refused
 * message is let go by its answer like any other. A server of version 5 or older ignores that, and
 * after such a restart refuses the next message {@code SEQUENCE_GAP} naming the number it expects.
 */
public final class GatewayClientConfig {
    public static final String PATH = "client";

    public int connectTimeoutMillis = 5_000;
    public int logonTimeoutMillis = 5_000;
    public int heartbeatMillis = 1_000;
    public int receiveTimeoutMillis = 0;
    /**
     * The store's size, 1 MiB; a version-5 server's LogonAck cuts what it holds to half the server's buffer (512 KiB
     * against the default 1 MiB), an older server's leaves all of it (then ~0.6 MB of decisions can be owed).
     */
    public int unackedBufferBytes = 1 << 20;
    public int maxFrameBytes = 128 * 1024;
    public int reconnectBackoffMillis = 50;
    public int reconnectMaxBackoffMillis = 2_000;
    public int maxReconnectAttempts = -1;
    /**
     * While reconnecting, a WARN this often says the client still cannot get back (chaos trial: `subscribe` tried for
     * minutes after one line, which read as a quiet but healthy stream).
     */
    public int stillReconnectingWarnMillis = 60_000;
    public boolean recoverAnswers = true;

    /**
     * Checks every field.
     *
     * @throws ConfigException naming the first bad field
     */
    public GatewayClientConfig validate() {
        positive("connectTimeoutMillis", connectTimeoutMillis);
        positive("logonTimeoutMillis", logonTimeoutMillis);
        if (heartbeatMillis < 10) {
            throw new ConfigException(PATH + ".heartbeatMillis", heartbeatMillis, "must be at least 10");
        }
        if (receiveTimeoutMillis < 0) {
            throw new ConfigException(PATH + ".receiveTimeoutMillis", receiveTimeoutMillis, "must be 0 (automatic) or positive");
        }
        if (maxFrameBytes < 512 || maxFrameBytes > (16 << 20) || maxFrameBytes < FrameDecoder.MIN_FRAME_LENGTH) {
            throw new ConfigException(PATH + ".maxFrameBytes", maxFrameBytes, "must be between 512 and 16777216");
        }
        if (!BitUtil.isPowerOfTwo(unackedBufferBytes) || unackedBufferBytes > (1 << 30)) {
            throw new ConfigException(PATH + ".unackedBufferBytes", unackedBufferBytes, "must be a power of two up to 1073741824");
        }
        if ((long) unackedBufferBytes < 4L * maxFrameBytes) {
            throw new ConfigException(PATH + ".unackedBufferBytes", unackedBufferBytes,
                "must be at least 4 x maxFrameBytes (" + 4L * maxFrameBytes + ")");
        }
        positive("reconnectBackoffMillis", reconnectBackoffMillis);
        if (reconnectMaxBackoffMillis < reconnectBackoffMillis) {
            throw new ConfigException(PATH + ".reconnectMaxBackoffMillis", reconnectMaxBackoffMillis,
                "must be at least reconnectBackoffMillis (" + reconnectBackoffMillis + ")");
        }
        positive("stillReconnectingWarnMillis", stillReconnectingWarnMillis);
        if (maxReconnectAttempts < -1) {
            throw new ConfigException(PATH + ".maxReconnectAttempts", maxReconnectAttempts, "must be -1 (forever), 0 (never) or positive");
        }
        return this;
    }

    /**
     * Fits this client to the server it will talk to (from that server's {@code gateway:} settings):
     * {@code unackedBufferBytes} = half the server's {@code outboundBufferBytes} ({@link #answerRoom}) and
     * {@code maxFrameBytes} = the server's, so the answers this client can be owed fit the server's buffer for its
     * session: a client slow to read its answers is held back by its own window ({@code send} waits or returns 0)
     * instead of being disconnected as a slow consumer. A version-5 server tells both in its LogonAck and the client
     * keeps within them by itself; this is for older servers, and to size the client's store. Both values come from
     * a validated server configuration (powers of two, the buffer at least 8 x the frame), so this configuration
     * stays valid.
     *
     * @return this
     */
    public GatewayClientConfig fitServer(final int serverOutboundBufferBytes, final int serverMaxFrameBytes) {
        unackedBufferBytes = answerRoom(serverOutboundBufferBytes);
        maxFrameBytes = serverMaxFrameBytes;
        return validate();
    }

    /**
     * The bytes of messages a client may keep unacknowledged against a server holding {@code serverOutboundBufferBytes}
     * for its session: half. An answer takes more of the server's buffer than the bytes of the message it answers
     * when that message is small: a payment (187 bytes framed) is answered by a Decision of 200 bytes plus 32 a reason,
     * and the server's buffer adds 48 bytes a timed record (248 to 312 bytes for 1 to 3 reasons, 1.3 to 1.7 x; 376,
     * 2.0 x, for 5; the engine gives at most 8, 472 bytes, 2.5 x; an order of one line, 393 bytes, 0.6 to 0.8 x; an
     * OrderStatus refused with a 150-character reason, 2.3 x). Half covers payments with up to 4 reasons; beyond, the
     * server's 64 KiB socket staging and the kernel's socket buffers take the rest while the client reads.
     */
    public static int answerRoom(final int serverOutboundBufferBytes) {
        return serverOutboundBufferBytes / 2;
    }

    /** The delay before reconnect attempt {@code attempt} (0 for the first after a loss). */
    long backoffMillis(final int attempt) {
        final long delay = (long) reconnectBackoffMillis << Math.min(attempt, 20);
        return Math.min(delay, reconnectMaxBackoffMillis);
    }

    /** Whether another reconnect attempt is allowed after {@code failedAttempts} failures in a row. */
    boolean mayReconnect(final int failedAttempts) {
        return maxReconnectAttempts < 0 || failedAttempts < maxReconnectAttempts;
    }

    private static void positive(final String field, final int value) {
        if (value <= 0) {
            throw new ConfigException(PATH + "." + field, value, "must be positive");
        }
    }
}
