package io.ringfence.tools.fraud;

import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.pipeline.OutputSink;
import io.ringfence.tools.cli.Progress;
import io.ringfence.tools.run.JsonLinesFeed;
import io.ringfence.tools.run.JsonLinesSink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams a labelled JSON Lines file through a real engine (journal, pipeline, windows, fraud
 * scoring) and collects what it scored ({@link ScoredEvents}): how {@code train} computes its
 * features and {@code evaluate} its scores. The journal goes to {@code --data} when given (so the
 * run can be replayed and explained), else to a temporary directory removed afterwards. Bad lines
 * are counted and the first few reported; they are not events.
 */
public final class ScoredRun {
    private static final int BAD_LINES_SHOWN = 5;

    /**
     * What a run did.
     *
     * @param inputSha256 the SHA-256 of the input as read (hex), so a model can say which file it was trained on
     */
    public record Result(ScoredEvents scored, JsonLinesFeed.Counts counts, long events, double seconds, String inputSha256) {
    }

    private ScoredRun() {
    }

    /**
     * @param data a data directory for the journal (must hold none yet), or null for a temporary one
     * @param out  where the engine's outputs go as JSON Lines, or null to drop them
     */
    public static Result run(final String tool, final EngineConfig config, final Path input, final Path data,
                             final OutputStream out, final ScoredEvents scored, final PrintStream err) throws IOException {
        return run(tool, config, io.ringfence.tools.io.RecordedConfig.Origin.UNKNOWN, input, data, out, scored, err);
    }

    /** The same, saying where {@code config} came from when {@code data} records it (its --config file, null for none). */
    public static Result run(final String tool, final EngineConfig config, final io.ringfence.tools.io.RecordedConfig.Origin origin,
                             final Path input, final Path data, final OutputStream out, final ScoredEvents scored,
                             final PrintStream err) throws IOException {
        final Path dir = data != null ? data : Files.createTempDirectory("ringfence-" + tool + "-");
        // Ctrl-C / SIGTERM: nothing is trained or evaluated from part of the input, but the reading stops, the engine
        // closes, and then the scratch journal and the partial output go, with one line (review: both were left behind
        // without a word; deleting them while the engine still wrote printed its threads' errors and a stack trace)
        final Path partial = io.ringfence.tools.io.OutputFiles.partialOf(out);
        final Stopping stopping = new Stopping();
        try (io.ringfence.tools.cli.SignalStop stop = new io.ringfence.tools.cli.SignalStop(tool, () -> {
                // the JVM is ending: a library thread that dies of it now (Chronicle's set-up when the signal came during
                // the engine's start, review) has nothing to tell
                Thread.setDefaultUncaughtExceptionHandler((thread, e) -> { });
                stopping.signalled.set(true);
                stopping.reading.set(true);
                try {
                    stopping.engineClosed.await(STOP_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopped(tool, data == null ? dir : null, partial, out == null || partial != null, data, err);
            }, 0)) {
            return run(tool, config, origin, input, data, dir, out, scored, err, stopping);
        }
    }

    /** Blocks the reading thread while the JVM ends after a signal (nothing more is to be done or printed). */
    private static void waitForTheEnd() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (final InterruptedException e) {
                // the JVM ends with or without this thread
            }
        }
    }

    /** How long a signal waits for the engine to close before the scratch journal is deleted anyway. */
    private static final long STOP_WAIT_SECONDS = 10;

    /** Between a signal's hook and the run: the reading stops, the engine closes, then the hook cleans up. */
    private static final class Stopping {
        final java.util.concurrent.atomic.AtomicBoolean signalled = new java.util.concurrent.atomic.AtomicBoolean();
        /** Set by a signal or a failing output: the feed stops at the next line. */
        final java.util.concurrent.atomic.AtomicBoolean reading = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.CountDownLatch engineClosed = new java.util.concurrent.CountDownLatch(1);
    }

    /**
     * What a signal leaves: nothing of the result; the scratch journal and the partial output deleted.
     *
     * @param outKept false when outputs went to stdout (they are out already)
     */
    private static void stopped(final String tool, final Path scratch, final Path partial, final boolean outKept,
                                final Path data, final PrintStream err) {
        try {
            if (scratch != null) {
                io.ringfence.tools.io.Trees.delete(scratch);
            }
            if (partial != null) {
                Files.deleteIfExists(partial);
            }
        } catch (final IOException | RuntimeException e) {
            // the JVM is ending: what could not be deleted stays
        }
        err.println("ringfence " + tool + ": stopped by a signal before the end of the input: nothing " + ("train".equals(tool)
                ? "trained" : "evaluated") + (partial != null ? ", --out is as it was before" : "")
                + (outKept ? "" : " (the engine's outputs of what was read are on stdout)")
                + (data != null ? "; what was journaled before it is in " + data : ""));
    }

    private static Result run(final String tool, final EngineConfig config, final io.ringfence.tools.io.RecordedConfig.Origin origin,
                              final Path input, final Path data, final Path dir,
                              final OutputStream out, final ScoredEvents scored, final PrintStream err, final Stopping stopping)
            throws IOException {
        final long started = System.nanoTime();
        final JsonLinesFeed.Counts counts = new JsonLinesFeed.Counts();
        final java.util.concurrent.atomic.AtomicBoolean outputFailed = stopping.reading;
        // an output that fails stops the reading (review: evaluate --out - | head scored the whole input first)
        final JsonLinesSink written = out == null ? null : new JsonLinesSink(out, () -> outputFailed.set(true));
        final OutputSink sink = written == null ? (seq, source, clientSeq, buffer, offset, length) -> { } : written;
        final long[] shown = {0};
        final long[] outOfOrder = {0};
        final java.security.MessageDigest digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (final java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
        try (InputStream in = new java.security.DigestInputStream(Files.newInputStream(input), digest);
             Progress progress = Progress.start(tool, Files.size(input) >> 20, "MiB", 1)) {
            final Engine engine;
            try {
                if (stopping.signalled.get()) {
                    throw new IllegalStateException("stopped by a signal before the engine started");
                }
                engine = Engine.journaled(config, dir, sink, scored);
            } catch (final RuntimeException | Error e) {
                // a signal while the engine starts (review: Chronicle's set-up failed on the JVM's shutdown, ~73 lines of
                // traces, and the hook waited its 10 s for an engine never built): nothing to close, nothing more to say
                stopping.engineClosed.countDown();
                if (stopping.signalled.get()) {
                    waitForTheEnd();
                }
                throw e;
            }
            if (data != null) {
                io.ringfence.tools.io.RecordedConfig.record(data, config, origin);
            }
            try {
                new JsonLinesFeed(config.input).stopWhen(outputFailed).feed(engine.pipeline(), in, counts, progress,
                        (line, code, reason) -> {
                            if (shown[0]++ < BAD_LINES_SHOWN) {
                                err.println("ringfence " + tool + ": " + input + ":" + line + ": " + code + ": " + reason + " (skipped)");
                            }
                            return true;
                        });
                engine.pipeline().publishEndOfInput();
            } finally {
                engine.close();
                outOfOrder[0] = engine.logic().fraud().features().scoredOutOfOrder();
                stopping.engineClosed.countDown();
                if (stopping.signalled.get()) {
                    waitForTheEnd(); // the JVM is ending: the signal's hook cleans up and says so
                }
            }
        } finally {
            if (data == null) {
                io.ringfence.tools.io.Trees.delete(dir);
            }
        }
        if (written != null && written.failure() != null) {
            throw new IOException("could not write the outputs (" + written.failure().getMessage() + ")", written.failure());
        }
        if (counts.rejected > BAD_LINES_SHOWN) {
            err.printf("ringfence %s: %,d bad lines in all (skipped)%n", tool, counts.rejected);
        }
        if (counts.behind > 0 || outOfOrder[0] > 0) {
            // features are of arrival order: an event stamped later but read earlier is in an earlier order's features, and
            // an event read after later-stamped ones (a SIGNUP appended after the orders) is missing from theirs; the file's
            // own order is counted too, since the engine's count sees only keys that had seen a later event (trial: a
            // shuffled file said 950 while 22,410 orders came before their own signup; signups appended at the end, nothing)
            err.printf("ringfence %s: warning: %s is not sorted by event time: %,d events come after a later-stamped one (by up"
                    + " to %s), %,d orders/payments were scored after a key of theirs had seen a later-stamped event; features"
                    + " then hold later events or miss earlier ones, and a time split (--until, --from) is not clean; sort it by"
                    + " event time%n", tool, input, counts.behind, span(counts.maxBehindMicros),
                    outOfOrder[0]);
        }
        return new Result(scored, counts, counts.accepted, (System.nanoTime() - started) / 1e9,
                java.util.HexFormat.of().formatHex(digest.digest()));
    }

    /** A span of event time in words ({@code 3.2 days}, {@code 41.0 min}, {@code 0.250 s}). */
    static String span(final long micros) {
        final double s = micros / 1e6;
        return s >= 86_400 ? String.format(java.util.Locale.ROOT, "%.1f days", s / 86_400)
                : s >= 3_600 ? String.format(java.util.Locale.ROOT, "%.1f h", s / 3_600)
                : s >= 60 ? String.format(java.util.Locale.ROOT, "%.1f min", s / 60)
                : String.format(java.util.Locale.ROOT, "%.3f s", s);
    }

}
