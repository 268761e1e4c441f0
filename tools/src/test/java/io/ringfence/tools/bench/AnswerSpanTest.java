package io.ringfence.tools.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The achieved rate: measured answers over the span from the first measured answer to the last. */
class AnswerSpanTest {
    private static final long MS = 1_000_000L;

    @Test
    void shouldReadTheOfferedRateWhenAStallIsRecoveredWithinTheRun() {
        final AnswerSpan span = new AnswerSpan();
        // 1,000/s for 10 s, answers 1 ms after each send, except that a 1 s stall holds back the
        // answers of seconds 4..5, which then all arrive at 5 s: the rate over the run is still 1,000/s
        for (int i = 0; i < 10_000; i++) {
            final long sent = i * MS;
            span.measured(sent >= 4_000 * MS && sent < 5_000 * MS ? 5_000 * MS : sent + MS);
        }
        assertEquals(1_000, span.achieved(0, 1_000), 0.5);
    }

    @Test
    void shouldReadTheServiceRateOfAServerThatCannotKeepUpAndIgnoreABacklogFromTheWarmUp() {
        final AnswerSpan span = new AnswerSpan();
        // offered 1,000/s for 5 s, answered at 800/s, starting 2 s late (the warm-up's backlog)
        for (int i = 0; i < 5_000; i++) {
            span.measured(2_000 * MS + i * 1_250_000L);
        }
        assertEquals(800, span.achieved(0, 1_000), 0.5);
    }

    @Test
    void shouldNotReadMoreThanOfferedWhenAnswersCatchUpOnABacklog() {
        final AnswerSpan span = new AnswerSpan();
        // offered 1,000/s for 10 s; the first measured answer 2 s late (a warm-up backlog), then caught up by the end
        for (int i = 0; i < 10_000; i++) {
            span.measured(2_000 * MS + i * 800_000L);
        }
        assertEquals(1_000, span.achieved(0, 1_000), 1e-9);
    }

    @Test
    void shouldReadOneAnswerOverItsOwnLatencyAndNoneAsZero() {
        assertEquals(0, new AnswerSpan().achieved(0, 1_000));
        final AnswerSpan one = new AnswerSpan();
        one.measured(10 * MS + 500 * MS);
        assertEquals(2, one.achieved(10 * MS, 1_000), 1e-9);
    }
}
