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
    private volatile String phase = "warming up";
    private volatile Path scratch;

    /** The warm-up made its scratch data directory here (deleted by the warm-up itself when it ends). */
    void warmingUpIn(final Path dir) {
        scratch = dir;
    }

    /** The warm-up is over; the state is being recovered from the snapshots and the journal. */
    void recovering() {
        scratch = null;
        phase = "recovering the state";
    }

    /** The start failed and was reported: a stop from now on says nothing of its own. */
    void failed() {
        phase = null;
    }

    /**
     * The line a stop before the gateway listened prints, after deleting the warm-up's scratch directory if one is
     * in use; null when the start already failed (its error was printed).
     */
    String stoppedLine(final Path data) {
        final String during = phase;
        if (during == null) {
            return null;
        }
        final Path dir = scratch;
        String left = "";
        if (dir != null) {
            try {
                io.ringfence.tools.io.Trees.delete(dir);
            } catch (final IOException | UncheckedIOException e) {
                left = "; the warm-up's scratch directory " + dir + " could not be deleted (the next start removes it): "
                        + e.getMessage();
            }
        }
        return "ringfence server stopped while " + during + ", before listening: no client was served; the next start"
                + " recovers " + data + " again" + left;
    }
}
