package io.ringfence.gateway.bridge;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import io.ringfence.gateway.config.GatewayConfig;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine behind the gateway in a child JVM, for {@link KillNineCrashTest}: frequent snapshots,
 * and before each snapshot's rename a line {@value #RENAMING} on stdout and a pause, so the test can
 * kill it in the middle of a snapshot write. Prints {@value #READY} and the port once listening, and
 * {@value #SUBSCRIBED} with the number of subscriptions held whenever it changes (a subscriber's
 * Subscribe has no answer; a test that must not send before it holds watches for this).
 *
 * <pre>
 *   CrashServerMain DATA_DIR PORT SNAPSHOT_EVERY_EVENTS RENAME_PAUSE_MILLIS
 * </pre>
 */
public final class CrashServerMain {
    static final String READY = "READY";
    static final String RENAMING = "SNAPSHOT-RENAMING";
    static final String SUBSCRIBED = "SUBSCRIBED";

    private CrashServerMain() {
    }

    /** The configuration of the child and of the test's in-process comparison. */
    static EngineConfig engineConfig(final long snapshotEveryEvents, final String snapshotWriter, final String layout) {
        final EngineConfig config = EngineConfigLoader.defaults();
        config.pipeline.waitStrategy = "blocking";
        config.pipeline.layout = layout;
        config.snapshot.writer = snapshotWriter;
        config.snapshot.everyEvents = snapshotEveryEvents;
        config.snapshot.everyEventTime = "0s";
        config.snapshot.retain = 3;
        config.validate();
        return config;
    }

    public static void main(final String[] args) throws InterruptedException {
        final Path data = Path.of(args[0]);
        final int port = Integer.parseInt(args[1]);
        final long every = Long.parseLong(args[2]);
        final long pauseMillis = Long.parseLong(args[3]);
        final String writer = args[4];
        final String layout = args[5];
        final GatewayConfig gatewayConfig = new GatewayConfig();
        gatewayConfig.port = port;
        gatewayConfig.admin.enabled = false;
        final Runnable beforeRename = () -> {
            System.out.println(RENAMING);
            System.out.flush();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
        };
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        EngineGateway gateway;
        while (true) {
            try {
                gateway = EngineGateway.start(engineConfig(every, writer, layout), gatewayConfig, data, new SbeEventValidator(1 << 16), beforeRename);
                break;
            } catch (final UncheckedIOException e) {
                if (System.nanoTime() > deadline) {
                    throw e; // the port stayed taken
                }
                LockSupport.parkNanos(50_000_000L);
            }
        }
        final EngineGateway started = gateway;
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.close();
            stopped.countDown();
        }, "rf-shutdown"));
        System.out.println(READY + " " + gateway.port() + " restored " + gateway.engine().restoredSequence()
                + " replayed " + gateway.recoveredEvents());
        System.out.flush();
        final Thread watch = new Thread(() -> {
            int held = 0;
            while (true) {
                final int now = started.sink().subscriptionCount();
                if (now != held) {
                    held = now;
                    System.out.println(SUBSCRIBED + " " + now);
                    System.out.flush();
                }
                LockSupport.parkNanos(5_000_000L);
            }
        }, "subscriptions-watch");
        watch.setDaemon(true);
        watch.start();
        stopped.await();
    }
}
