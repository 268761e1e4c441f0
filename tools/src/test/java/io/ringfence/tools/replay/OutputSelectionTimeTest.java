package io.ringfence.tools.replay;

import io.ringfence.engine.model.Times;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** --from / --to bounds between two whole microseconds select as the exact bound would. */
class OutputSelectionTimeTest {
    private static final long T = Times.parseMicros("t", "2026-01-05T10:00:00Z");

    @Test
    void aBoundBelowAMicrosecondIsTheNextMicrosecondUp() {
        assertEquals(T, OutputSelection.time("--to", "2026-01-05T10:00:00Z"));
        assertEquals(T, OutputSelection.time("--to", "2026-01-05T10:00:00.000000000Z"));
        assertEquals(T + 1, OutputSelection.time("--to", "2026-01-05T10:00:00.0000005Z"),
                "an event at 10:00:00.000000 is before the bound, so --to (exclusive) keeps it");
        assertEquals(T + 123_457, OutputSelection.time("--from", "2026-01-05T10:00:00.1234567Z"),
                "an event at .123456 is before the bound, so --from (inclusive) leaves it out");
        assertEquals(T + 123_456, OutputSelection.time("--from", "2026-01-05T10:00:00.123456000+00:00"));
    }
}
