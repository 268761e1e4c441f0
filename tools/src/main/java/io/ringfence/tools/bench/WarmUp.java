package io.ringfence.tools.bench;

import io.ringfence.tools.load.EventTape;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.gateway.bridge.EngineGateway;
import io.ringfence.gateway.bridge.SbeEventValidator;
import io.ringfence.gateway.config.ClientConfig;
import io.ringfence.gateway.config.GatewayConfig;
import io.ringfence.tools.load.GeneratedSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Warms a server's code before it takes traffic: a scratch engine and gateway of the server's
 * configuration, on a temporary data directory, are sent the demo's generated shop over loopback
 * TCP on the bench's open-loop schedule by the bench client, then closed and deleted. Everything
 * a client's event goes through (session, SBE validation, ring, journal append, business stages,
 * dispatch, outbound) runs {@code events} times, so the JIT has compiled it before the real
 * server listens.
 *
 * <p>Why: on 2 shared cores the first seconds of traffic after a start otherwise run while the C2
 * compiler threads spend 100-280 ms on each of the largest engine and gateway methods; the engine
 * thread falls behind and events wait in the ring (README "Load a running server": first {@code
 * load} run after a start p99 260-470 ms, later runs 11-52 ms). Warming only the business stages
 * through an engine without the gateway did not help, so the whole path is warmed. Nothing of the
 * warm-up reaches the server's journal, state or clients (DESIGN §3, §7).
 */
public final class WarmUp {
    /** Offered rate of the warm-up: below what this engine sustains on 2 cores, so nothing queues for long. */
    public static final double RATE = 20_000;
    private static final long SEED = 7;
    private static final String CLIENT_ID = "warm-up";
    private static final String PREFIX = "ringfence-warmup-";

    private WarmUp() {
    }

    /** The longest warm-up accepted: its event tape and the client's arrays are held in memory. */
    public static final long MAX_EVENTS = 60 * (long) RATE;

    /** What a warm-up did: the events the scratch engine journaled, and how long it all took. */
    public record Result(long events, long nanos) {
    }

    /**
     * Both configurations are changed for the scratch server: pass copies (the server loads its
     * configuration file again for this).
     *
     * @param engine  a copy of the server's engine configuration; its snapshots are kept inside
     *                the scratch directory ({@code snapshot.dir} is set to {@code snapshots}: an
     *                absolute or {@code ../} directory would put the warm-up's snapshots among
     *                the server's, which recovery would then load)
     * @param gateway a copy of the server's gateway configuration: its session and buffer settings
     *                are used on an ephemeral loopback port, without the admin endpoint, with one
     *                client of the warm-up's own
     * @param events  events to send at {@link #RATE}, 0 to {@link #MAX_EVENTS}; 0 does nothing
     * @param parent  where the temporary data directory is made (deleted afterwards), or null for the system's
     */
    public static Result run(final EngineConfig engine, final GatewayConfig gateway, final long events, final Path parent) {
        return run(engine, gateway, events, parent, dir -> { });
    }

    /**
     * As {@link #run(EngineConfig, GatewayConfig, long, Path)}, telling {@code scratchMade} where the scratch data
     * directory is as soon as it exists: a server's stop hook deletes it when a SIGTERM ends the warm-up (the JVM
     * halts without running this method's clean-up).
     */
    public static Result run(final EngineConfig engine, final GatewayConfig gateway, final long events, final Path parent,
                             final java.util.function.Consumer<Path> scratchMade) {
        if (events < 0 || events > MAX_EVENTS) {
            throw new IllegalArgumentException("warm-up events must be 0.." + MAX_EVENTS + ", not " + events);
        }
        if (events == 0) {
            return new Result(0, 0);
        }
        engine.snapshot.dir = "snapshots";
        engine.journal.archive = null; // an absolute archive is the server's: the scratch journal keeps its files
        final long start = System.nanoTime();
        final byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        final String secret = HexFormat.of().formatHex(bytes);
        gateway.port = 0;
        gateway.bindAddress = "127.0.0.1";
        gateway.admin.enabled = false;
        gateway.clients = List.of(new ClientConfig(CLIENT_ID, secret, List.of("SUBMIT")));
        Path scratch = null;
        final long journaled;
        try {
            // named after this process, so the next start can tell a killed one's leftover from a running one's
            final String prefix = PREFIX + ProcessHandle.current().pid() + "-";
            scratch = parent == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(parent, prefix);
            scratchMade.accept(scratch);
            sweepStale(scratch.getParent(), scratch);
            try (EngineGateway server = EngineGateway.start(engine, gateway, scratch, SbeEventValidator.of(engine.input))) {
                EngineRun.run("warm-up", server.port(), gateway, CLIENT_ID, secret,
                    EventTape.record(new GeneratedSource(events, SEED), events), RATE, 0, events, null);
                journaled = server.engine().pipeline().lastSequence();
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("warm-up: " + e.getMessage(), e);
        } catch (final RuntimeException e) {
            throw e;
        } catch (final Exception e) {
            throw new IllegalStateException("warm-up: " + e.getMessage(), e);
        } finally {
            delete(scratch);
        }
        return new Result(journaled, System.nanoTime() - start);
    }

    /**
     * Deletes the scratch directories of warm-ups that were stopped (kill -9 and SIGTERM skip the finally): those of
     * a process no longer alive, and those not touched for an hour (named before the process id was in the name),
     * which no warm-up (seconds long) still uses.
     */
    private static void sweepStale(final Path parent, final Path own) {
        final long before = System.currentTimeMillis() - java.util.concurrent.TimeUnit.HOURS.toMillis(1);
        try (java.nio.file.DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (final Path d : dirs) {
                if (!d.equals(own) && Files.isDirectory(d)
                        && (ownerGone(d.getFileName().toString()) || Files.getLastModifiedTime(d).toMillis() < before)) {
                    delete(d);
                }
            }
        } catch (final IOException | UncheckedIOException e) {
            // best effort, as the warm-up's own clean-up
        }
    }

    /** Whether the directory is named after a process ({@code ringfence-warmup-PID-...}) that is no longer alive. */
    static boolean ownerGone(final String name) {
        final String rest = name.substring(PREFIX.length());
        final int dash = rest.indexOf('-');
        if (dash <= 0) {
            return false;
        }
        try {
            final long pid = Long.parseLong(rest.substring(0, dash));
            return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } catch (final NumberFormatException e) {
            return false;
        }
    }

    private static void delete(final Path dir) {
        if (dir == null) {
            return;
        }
        try {
            io.ringfence.tools.io.Trees.delete(dir);
        } catch (final IOException | UncheckedIOException e) {
            // a temporary directory left behind costs disk, not correctness: the warm-up still counts
            System.err.println("ringfence server: could not delete the warm-up's scratch directory " + dir + ": " + e.getMessage());
        }
    }
}
