package io.ringfence.gateway.config;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.ConfigProblems;
import io.ringfence.engine.config.Durations;
import org.agrona.BitUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code gateway:} section, with a default for everything, checked once by {@link #validate()}
 * before the server starts; every error names the field (as {@code gateway.port}) and the problem.
 *
 * <pre>
 * gateway:
 *   bindAddress: 127.0.0.1      # loopback only by default; 0.0.0.0 to listen on every interface
 *   port: 0                     # 0 = an ephemeral port, see GatewayServer.port()
 *   maxSessions: 64             # beyond this a new connection displaces the oldest not logged on, else SERVER_BUSY
 *   maxAwaitingLogonPerAddress: # connections one address may have awaiting their logon; absent: a quarter of maxSessions, at least 4
 *   maxFrameBytes: 131072       # largest frame either way, SOFH header included (an order of ~1,550 items)
 *   heartbeatInterval: 1s       # the server sends Heartbeat after this long without sending
 *   idleTimeout: 10s            # a session that sends nothing for this long is closed
 *   logonTimeout: 2s            # a connection not logged on this long after connecting is closed (frees its slot)
 *   outboundBufferBytes: 1048576  # per session, power of two, at least 8 x maxFrameBytes
 *   pushHistoryBytes: 8388608   # the newest pushes kept to catch a returning subscriber up (also in snapshots); 0: none
 *   pushHistoryMaxBytes:        # the most it grows to for one event's pushes or a subscriber being caught up; absent: 128 MiB (or pushHistoryBytes if more)
 *   slowConsumerTimeout: 10s    # a session whose socket takes nothing for this long while bytes wait is closed
 *   busyPoll: false             # true: the I/O thread spins on selectNow (a core of its own)
 *   logonThrottle: {maxFailures: 5, window: 1m, backoff: 30s}
 *   clients: []                 # empty: one client "local" is generated into the data directory
 *   admin: {enabled: true, bindAddress: 127.0.0.1, port: 0}   # HTTP /metrics and /health, see AdminConfig
 * </pre>
 */
public final class GatewayConfig {
    public static final String PATH = "gateway";

    public String bindAddress = "127.0.0.1";
    public int port = 0;
    public int maxSessions = 64;
    /** Absent: a quarter of {@link #maxSessions}, at least 4 (16 by default); set it for clients behind one proxy address. */
    public Integer maxAwaitingLogonPerAddress;
    public int maxFrameBytes = 128 * 1024;
    public String heartbeatInterval = "1s";
    public String idleTimeout = "10s";
    public String logonTimeout = "2s";
    public int outboundBufferBytes = 1024 * 1024;
    public int pushHistoryBytes = 8 * 1024 * 1024;
    /**
     * The most the push history grows to, for the time it must, rather than drop one event's pushes or those a connected
     * subscriber being caught up still needs; absent: {@link #DEFAULT_PUSH_HISTORY_MAX_BYTES}, or pushHistoryBytes if more.
     */
    public Integer pushHistoryMaxBytes;
    /** 128 MiB: some 640,000 pushes, about 6 % of the server's 2 GiB heap. */
    public static final int DEFAULT_PUSH_HISTORY_MAX_BYTES = 128 * 1024 * 1024;
    public String slowConsumerTimeout = "10s";
    public boolean busyPoll = false;
    public LogonThrottleConfig logonThrottle = new LogonThrottleConfig();
    public List<ClientConfig> clients = new ArrayList<>();
    public AdminConfig admin = new AdminConfig();

    /**
     * Checks every field, and names every problem found: one per group of related settings
     * (address, frames and buffers, timers, logon throttle, admin) and one per client entry.
     *
     * @throws ConfigException naming each bad field ({@link ConfigException#problems()})
     */
    public void validate() {
        final ConfigProblems problems = new ConfigProblems();
        problems.check(() -> {
            if (bindAddress == null || bindAddress.isBlank()) {
                throw new ConfigException(PATH + ".bindAddress", bindAddress, "must be an IP address or host name");
            }
            bindInetAddress();
        });
        problems.check(() -> {
            if (port < 0 || port > 65_535) {
                throw new ConfigException(PATH + ".port", port, "must be between 0 (ephemeral) and 65535");
            }
        });
        problems.check(() -> {
            if (maxSessions < 1 || maxSessions > 65_535) {
                throw new ConfigException(PATH + ".maxSessions", maxSessions, "must be between 1 and 65535");
            }
        });
        problems.check(() -> {
            if (maxAwaitingLogonPerAddress != null && (maxAwaitingLogonPerAddress < 1 || maxAwaitingLogonPerAddress > maxSessions)) {
                throw new ConfigException(PATH + ".maxAwaitingLogonPerAddress", maxAwaitingLogonPerAddress,
                    "must be between 1 and maxSessions (" + maxSessions + "), or absent for a quarter of maxSessions, at least 4");
            }
        });
        problems.check(this::validateFramesAndBuffers);
        problems.check(this::validateTimers);
        problems.check(() -> {
            if (logonThrottle == null) {
                throw new ConfigException(PATH + ".logonThrottle", null, "must be a section");
            }
            logonThrottle.validate(PATH + ".logonThrottle");
        });
        if (clients == null) {
            problems.check(() -> {
                throw new ConfigException(PATH + ".clients", null, "must be a list (empty for a generated local client)");
            });
        } else {
            final Set<String> ids = new HashSet<>();
            for (int i = 0; i < clients.size(); i++) {
                final String path = PATH + ".clients[" + i + "]";
                final ClientConfig client = clients.get(i);
                problems.check(() -> {
                    if (client == null) {
                        throw new ConfigException(path, null, "must be a client entry");
                    }
                    client.validate(path);
                    if (!ids.add(client.id)) {
                        throw new ConfigException(path + ".id", client.id, "is configured twice");
                    }
                });
            }
        }
        problems.check(() -> {
            if (admin == null) {
                throw new ConfigException(PATH + ".admin", null, "must be a section");
            }
            admin.validate(PATH + ".admin", port);
        });
        problems.throwIfAny();
    }

    private void validateFramesAndBuffers() {
        if (maxFrameBytes < 512 || maxFrameBytes > (16 << 20)) {
            throw new ConfigException(PATH + ".maxFrameBytes", maxFrameBytes, "must be between 512 and 16777216");
        }
        if (!BitUtil.isPowerOfTwo(outboundBufferBytes) || outboundBufferBytes > (1 << 30)) {
            throw new ConfigException(PATH + ".outboundBufferBytes", outboundBufferBytes, "must be a power of two up to 1073741824");
        }
        if ((long) outboundBufferBytes < 8L * maxFrameBytes) {
            throw new ConfigException(PATH + ".outboundBufferBytes", outboundBufferBytes,
                "must be at least 8 x maxFrameBytes (" + 8L * maxFrameBytes + ") so a largest frame always fits");
        }
        if (pushHistoryBytes != 0 && (pushHistoryBytes < 65536 || pushHistoryBytes > (1 << 30))) {
            throw new ConfigException(PATH + ".pushHistoryBytes", pushHistoryBytes,
                "must be 0 (keep no pushes) or between 65536 and 1073741824");
        }
        if (pushHistoryMaxBytes != null && (pushHistoryMaxBytes < pushHistoryBytes || pushHistoryMaxBytes > (1 << 30))) {
            throw new ConfigException(PATH + ".pushHistoryMaxBytes", pushHistoryMaxBytes,
                "must be at least pushHistoryBytes (" + pushHistoryBytes + "; equal to it, the history never grows) and at most 1073741824");
        }
    }

    /** The push history's ceiling: {@link #pushHistoryMaxBytes}, or its default. */
    public int pushHistoryMaxBytes() {
        return pushHistoryMaxBytes != null ? pushHistoryMaxBytes : Math.max(DEFAULT_PUSH_HISTORY_MAX_BYTES, pushHistoryBytes);
    }

    private void validateTimers() {
        final long heartbeat = heartbeatMillis();
        if (heartbeat < 10 || heartbeat > 3_600_000) {
            throw new ConfigException(PATH + ".heartbeatInterval", heartbeatInterval, "must be between 10ms and 1h");
        }
        final long idle = idleTimeoutMillis();
        if (idle <= heartbeat) {
            throw new ConfigException(PATH + ".idleTimeout", idleTimeout,
                "must be longer than heartbeatInterval (" + heartbeatInterval + ")");
        }
        final long logon = logonTimeoutMillis();
        if (logon < 10 || logon > 3_600_000) {
            throw new ConfigException(PATH + ".logonTimeout", logonTimeout,
                "must be between 10ms and 1h (how long a new connection may take to log on)");
        }
        final long slow = slowConsumerTimeoutMillis();
        if (slow < 100 || slow > 3_600_000) {
            throw new ConfigException(PATH + ".slowConsumerTimeout", slowConsumerTimeout,
                "must be between 100ms and 1h (how long a session's socket may take nothing while bytes wait for it)");
        }
    }

    /** The address to listen on. */
    public InetAddress bindInetAddress() {
        try {
            return InetAddress.getByName(bindAddress);
        } catch (final UnknownHostException e) {
            throw new ConfigException(PATH + ".bindAddress", bindAddress, "is not a resolvable address");
        }
    }

    public long heartbeatMillis() {
        return Durations.parseMicros(PATH + ".heartbeatInterval", heartbeatInterval) / 1_000;
    }

    public long idleTimeoutMillis() {
        return Durations.parseMicros(PATH + ".idleTimeout", idleTimeout) / 1_000;
    }

    public long logonTimeoutMillis() {
        return Durations.parseMicros(PATH + ".logonTimeout", logonTimeout) / 1_000;
    }

    public long slowConsumerTimeoutMillis() {
        return Durations.parseMicros(PATH + ".slowConsumerTimeout", slowConsumerTimeout) / 1_000;
    }
}
