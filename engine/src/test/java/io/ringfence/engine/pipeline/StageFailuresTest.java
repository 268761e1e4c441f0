package io.ringfence.engine.pipeline;

import io.ringfence.journal.JournalException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A journal condition (the disk's reserve, a directory gone) is found behind the stage's wrapping; a defect is not one. */
class StageFailuresTest {
    @Test
    void findsTheJournalConditionBehindWrappersAndNothingBehindADefect() {
        final JournalException reserve = new JournalException("append of sequence 7 refused: below journal.minFreeMiB");
        assertSame(reserve, StageFailures.journalCondition(reserve));
        assertSame(reserve, StageFailures.journalCondition(new PipelineException("journal stage failed", new RuntimeException(reserve))));
        assertNull(StageFailures.journalCondition(new IllegalStateException("a bug")));
        assertNull(StageFailures.journalCondition(null));
    }
}
