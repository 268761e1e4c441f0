package io.ringfence.tools.load;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A SIGTERM or Ctrl-C while {@code load} runs: the sending thread stops at its next check (a {@link LoadFailure}), the
 * client is closed, the answers received are flushed to the file and the summary printed, and only then does the JVM
 * exit: a shutdown hook waits for that, at most {@value #WAIT_SECONDS} s. Before, a signal ended the run with no summary
 * and up to 64 KiB of answers unwritten (a short run left an empty file, which {@code --resume} refuses).
 */
final class StopRequest implements AutoCloseable {
    static final long WAIT_SECONDS = 10;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean requested;

    private StopRequest() {
        hook = new Thread(this::stopAndWait, "ringfence-load-stop");
    }

    /** A stop request for this run, with its shutdown hook installed. */
    static StopRequest install() {
        final StopRequest stop = new StopRequest();
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    private void stopAndWait() {
        requested = true;
        try {
            finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a signal asked the run to stop. */
    boolean requested() {
        return requested;
    }

    /** @throws LoadFailure when a signal asked the run to stop */
    void check() {
        if (requested) {
            throw new LoadFailure("stopped by a signal (SIGTERM or Ctrl-C): nothing more sent; the answers to what was sent"
                + " before are written (go on with --resume)");
        }
    }

    /** The run is over (its summary printed, its files flushed): the JVM may exit; a normal end removes the hook. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException e) {
            // the JVM is shutting down: the hook, released above, returns
        }
    }
}
