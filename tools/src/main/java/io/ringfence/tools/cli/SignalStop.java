package io.ringfence.tools.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops a long-running command ({@code subscribe}, {@code load}) on SIGINT / SIGTERM: a shutdown hook
 * that runs {@code onSignal} and then holds the JVM's exit (which follows as soon as the hook returns)
 * until {@link #close} says the summary is out and the files flushed, for at most {@code maxWaitMillis}.
 * Closing also removes the hook, so a command run in-process (tests) leaves none behind.
 */
public final class SignalStop implements AutoCloseable {
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    public SignalStop(final String command, final Runnable onSignal, final long maxWaitMillis) {
        hook = new Thread(() -> {
            onSignal.run();
            try {
                done.await(maxWaitMillis, TimeUnit.MILLISECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "rf-" + command + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Lets the JVM exit at a signal without waiting (nothing to finish yet); the hook stays. */
    public void release() {
        done.countDown();
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
