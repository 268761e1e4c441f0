package io.ringfence.tools.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress for long work: a bar with rate and ETA on stderr when a person is watching (a
 * console), nothing when output goes to a log or CI. Updated from the working thread; the bar
 * redraws on its own thread, so calling {@link #stepTo} per item is cheap.
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private boolean closed;

    private Progress(final ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * @param task  shown before the bar
     * @param total total units, or -1 when unknown
     * @param unit  unit name, e.g. "MiB"
     * @param unitSize how many counted units make one shown unit
     */
    public static Progress start(final String task, final long total, final String unit, final long unitSize) {
        if (System.console() == null || Boolean.getBoolean("ringfence.noProgress")) {
            return new Progress(null);
        }
        final ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit.strip(), unitSize) // "65,536/102,784 events", not "65536/102784events"
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .showSpeed(new java.text.DecimalFormat("#,##0.0")) // "0.2 MiB/s", not ".2MiB/s"
                .setMaxRenderedLength(100)
                .build();
        return new Progress(bar);
    }

    public void stepTo(final long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    public void extraMessage(final String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    /**
     * Ends the bar (its last render); again does nothing: closing the library's bar twice redrew it over
     * whatever was printed in between (run's summary, analyst trial).
     */
    @Override
    public void close() {
        if (bar != null && !closed) {
            closed = true;
            bar.close();
        }
    }
}
