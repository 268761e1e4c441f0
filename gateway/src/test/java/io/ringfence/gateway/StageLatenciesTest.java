package io.ringfence.gateway;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StageLatenciesTest {
    private static final long T = 1_000_000_000L;

    private static long p50(final Histogram[] h, final StageLatencies.Stage stage) {
        return h[stage.ordinal()].getValueAtPercentile(50);
    }

    @Test
    void shouldRecordEachStageAsTheDifferenceOfItsStamps() {
        final StageLatencies stages = new StageLatencies();
        stages.record(T, T + 15_000, T + 20_000, T + 21_000, T + 21_500, T + 60_000);
        final Histogram[] h = stages.take();
        assertEquals(15_000, p50(h, StageLatencies.Stage.RING), 15);
        assertEquals(5_000, p50(h, StageLatencies.Stage.JOURNAL), 5);
        assertEquals(1_000, p50(h, StageLatencies.Stage.BUSINESS), 1);
        assertEquals(500, p50(h, StageLatencies.Stage.DISPATCH), 1);
        assertEquals(38_500, p50(h, StageLatencies.Stage.OUTBOUND), 40);
        assertEquals(60_000, p50(h, StageLatencies.Stage.TOTAL), 60);
        for (final Histogram one : h) {
            assertEquals(1, one.getTotalCount());
        }
        assertEquals(0, stages.take()[0].getTotalCount(), "take() starts a new interval");
    }

    @Test
    void shouldCountBusinessFromTheLaterOfJournaledAndReceivedWhenStagesRunInParallel() {
        final StageLatencies stages = new StageLatencies();
        // dedicated layout: business finished before the journal append did
        stages.record(T, T + 1_000, T + 9_000, T + 4_000, T + 9_500, T + 10_000);
        final Histogram[] h = stages.take();
        assertEquals(8_000, p50(h, StageLatencies.Stage.JOURNAL), 8);
        assertEquals(0, p50(h, StageLatencies.Stage.BUSINESS), "never negative");
        assertEquals(500, p50(h, StageLatencies.Stage.DISPATCH), 1);
    }

    @Test
    void shouldSkipAnswersWithoutStampsAndThoseReceivedBeforeTheMeasurementStarted() {
        final StageLatencies stages = new StageLatencies();
        stages.record(0, 0, 0, 0, T, T + 1); // stage times off, or refused before the ring
        stages.record(T, T, T + 1, T + 2, T + 3, T + 4); // warm-up, dropped by countFrom
        stages.countFrom(T + 100);
        stages.record(T + 50, T + 140, T + 150, T + 160, T + 170, T + 180); // received before the start: left out
        stages.record(T + 100, T + 140, T + 150, T + 160, T + 170, T + 180);
        stages.record(T + 200, 0, 0, T + 260, T + 270, T + 280); // an unjournaled reject: ring and journal 0
        final Histogram[] h = stages.take();
        assertEquals(2, h[StageLatencies.Stage.TOTAL.ordinal()].getTotalCount());
        assertEquals(0, h[StageLatencies.Stage.RING.ordinal()].getMinValue());
        assertEquals(0, h[StageLatencies.Stage.JOURNAL.ordinal()].getMinValue());
    }
}
