package io.ringfence.tools.load;

import io.ringfence.tools.cli.SignalStop;

/**
 * A SIGTERM or Ctrl-C while {@code load} runs: the sending thread stops at its next check (a {@link LoadFailure}), the
 * client is closed, the answers received are flushed to the file and the summary printed, and only then does the JVM
 * exit ({@link SignalStop} holds it, at most {@value #WAIT_MILLIS} ms). Before, a signal ended the run with no summary
 * and up to 64 KiB of answers unwritten (a short run left an empty file, which {@code --resume} refuses).
 */
final class StopRequest implements AutoCloseable {
    static final long WAIT_MILLIS = 10_000;

    private final SignalStop signals;
    private volatile boolean requested;
    private volatile boolean begun;

    private StopRequest() {
        signals = new SignalStop("load", this::onSignal, WAIT_MILLIS);
    }

    private void onSignal() {
        requested = true;
        if (!begun) {
            // still connecting or logging on (--wait-for-server): nothing sent, nothing to write; the JVM exits now
            // (second review: it waited the hook's 10 s and said nothing)
            System.err.println("ringfence load: stopped by a signal before logon: nothing sent");
            signals.release();
        }
    }

    /** Logged on: from here a signal waits for the run's summary and its answers file. */
    void begin() {
        begun = true;
    }

    /** A stop request for this run, with its shutdown hook installed. */
    static StopRequest install() {
        return new StopRequest();
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
        signals.close();
    }
}
