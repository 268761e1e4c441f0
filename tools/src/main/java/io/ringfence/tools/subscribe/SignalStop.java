package io.ringfence.tools.subscribe;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops {@code subscribe} on SIGINT / SIGTERM: a shutdown hook that signals the stop and then holds
 * the JVM's exit (which follows as soon as the hook returns) until {@link #close} says the summary
 * is out, for at most {@code maxWaitMillis}. Closing also removes the hook, so a command run
 * in-process (tests) leaves none behind.
 */
final class SignalStop implements AutoCloseable {
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    SignalStop(final StopSignal stop, final long maxWaitMillis) {
        hook = new Thread(() -> {
            stop.stop("Ctrl-C / SIGTERM");
            try {
                done.await(maxWaitMillis, TimeUnit.MILLISECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rf-subscribe-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException shuttingDown) {
            // the hook is running and has just been released
        }
    }
}
