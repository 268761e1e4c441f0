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
                .setUnit(unit, unitSize)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .showSpeed()
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

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
