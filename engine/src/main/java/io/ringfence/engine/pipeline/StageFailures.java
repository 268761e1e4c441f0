package io.ringfence.engine.pipeline;

import io.ringfence.journal.JournalException;
import org.slf4j.Logger;

/**
 * Logs a stage failure that stops the pipeline: with its stack trace when it is a defect, and
 * without one for a journal condition whose message says it all (the disk's reserve reached, a
 * directory gone): operator audit, the documented disk-reserve stop printed ~60 lines of two
 * stack traces around its one line of advice.
 */
final class StageFailures {
    private StageFailures() {
    }

    static void log(final Logger log, final String stage, final long sequence, final Throwable ex) {
        final JournalException condition = journalCondition(ex);
        if (condition != null) {
            log.error("{} stage failed at engine sequence {}; stopping the pipeline: {}", stage, sequence, condition.getMessage());
        } else {
            log.error("{} stage failed at engine sequence {}; stopping the pipeline", stage, sequence, ex);
        }
    }

    /** The journal condition behind {@code ex}, or null when there is none. */
    static JournalException journalCondition(final Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JournalException) {
                return (JournalException) t;
            }
        }
        return null;
    }
}
