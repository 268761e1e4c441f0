package io.ringfence.tools.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What a starting server is doing, for its stop hook: a Ctrl-C / SIGTERM during the warm-up or the recovery
 * says so and removes the warm-up's scratch directory, instead of ending without a word and leaving the directory
 * to the next start's sweep (operator trial). Written by the starting thread, read by the hook's.
 */
final class StartUp {
    private static final String RECOVERING = "recovering the state";
    private volatile String phase = "warming up";
    private volatile Path scratch;
    /** Counted down once the start has ended either way: serving, or failed. */
    private final java.util.concurrent.CountDownLatch settled = new java.util.concurrent.CountDownLatch(1);

    /** The warm-up made its scratch data directory here (deleted by the warm-up itself when it ends). */
    void warmingUpIn(final Path dir) {
        scratch = dir;
    }

    /** What the start is doing now ("warming up", "recovering the state"), or null once it failed. */
    String phase() {
        return phase;
    }

    /** Whether the state is being recovered (the gateway binds at its end). */
    static boolean recovering(final String phase) {
        return RECOVERING.equals(phase);
    }

    /** The warm-up is over; the state is being recovered from the snapshots and the journal. */
    void recovering() {
        scratch = null;
        phase = RECOVERING;
    }

    /** The start failed and was reported: a stop from now on says nothing of its own. */
    void failed() {
        phase = null;
        settled.countDown();
    }

    /** The gateway listens: the stop hook closes it as a running server's. */
    void serving() {
        settled.countDown();
    }

    /**
     * The stop hook, finding no serving gateway: waits up to {@code millis} for a start in its last moments (review: the
     * gateway binds its port before the start returns; a stop between them said "before listening" and took no
     * shutdown snapshot). True when the start settled meanwhile.
     */
    boolean awaitSettled(final long millis) {
        try {
            return settled.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The line a stop before the gateway listened prints, after deleting the warm-up's scratch directory if one is
     * in use; null when the start had already failed when the stop came ({@code during} null: its error was printed).
     */
    String stoppedLine(final Path data, final String during) {
        if (during == null) {
            return null;
        }
        final Path dir = scratch;
        String left = "";
        if (dir != null) {
            // the warm-up's engine may still be writing in it (the JVM halts after this hook): a few tries
            for (int attempt = 1; attempt <= 5; attempt++) {
                try {
                    io.ringfence.tools.io.Trees.delete(dir);
                    left = "";
                    break;
                } catch (final IOException | UncheckedIOException e) {
                    left = "; the warm-up's scratch directory " + dir + " could not be deleted (the next start removes it): "
                            + e.getMessage();
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                }
            }
        }
        return "ringfence server stopped while " + during + ", before listening: no client was served; the next start"
                + " recovers " + data + " again" + left;
    }
}
