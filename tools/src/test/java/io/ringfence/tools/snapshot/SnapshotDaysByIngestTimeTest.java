package io.ringfence.tools.snapshot;

import io.ringfence.engine.Engine;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.journal.JournalRecordHandler;
import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.journal.snapshot.SnapshotStore;
import io.ringfence.tools.snapshot.SnapshotJournals.Outputs;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code snapshot.retainDaily} keeps the first snapshot of each of the newest days by the journaled ingest time of the
 * snapshot's last event, not by when its file was written. A start that re-snapshots a whole journal at once (changed
 * settings, or no usable snapshot) wrote every file today, so its lowest one (seq 1,000 here) became today's first and
 * stayed for a week: explain of today's orders replayed from there, and the journal's archive, which follows the oldest
 * snapshot kept, stood still (e-2-e trial of 2026-12-07, MEDIUM).
 */
class SnapshotDaysByIngestTimeTest {
    private static final int EVENTS = 30_000;
    private static final long DAY_MICROS = 86_400_000_000L;
    /** 5,000 events a day of ingest time. */
    private static final long STEP_MICROS = DAY_MICROS / 5_000;
    private static final JournalRecordHandler NO_RECORDS = (s, i, src, c, b, o, l) -> { };

    @TempDir
    Path dir;

    /** The UTC day of the ingest time the event with {@code sequence} was journaled with. */
    private static long day(final long sequence) {
        return Math.floorDiv(SnapshotJournals.START + sequence * STEP_MICROS, DAY_MICROS);
    }

    @Test
    void shouldKeepTheFirstSnapshotOfEachOfTheNewestDaysOfTheEventsWhenAWholeJournalIsSnapshottedAtOnce() {
        final Path data = dir.resolve("data");
        final List<byte[]> events = SnapshotJournals.events(5, EVENTS);
        try (Engine engine = Engine.journaled(SnapshotJournals.config(false, 0), data, new Outputs())) {
            final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
            for (int i = 0; i < EVENTS; i++) {
                view.wrap(events.get(i));
                engine.pipeline().publish(SnapshotJournals.START + (i + 1) * STEP_MICROS, 7, i + 1, view, 0, events.get(i).length);
            }
            engine.pipeline().awaitDispatched(1, TimeUnit.MINUTES);
        }
        final EngineConfig config = SnapshotJournals.config(true, 1_000);
        config.snapshot.retain = 1;
        config.snapshot.retainDaily = 3;
        config.snapshot.retainHourly = 0;
        config.validate();
        try (Engine engine = Engine.recovered(config, data, new Outputs(), NO_RECORDS, new Outputs())) {
            assertEquals(0, engine.restoredSequence(), "no snapshot: the whole journal replayed and snapshotted now");
        }
        final TreeSet<Long> kept = new TreeSet<>();
        for (final Path p : SnapshotStore.listIn(data.resolve("snapshots"))) {
            kept.add(SnapshotDescriptor.sequenceOf(p.getFileName().toString()));
        }
        final TreeMap<Long, Long> byDay = new TreeMap<>();
        for (final long s : kept.headSet(kept.last())) {
            assertEquals(null, byDay.put(day(s), s), "one first per day of the events: " + kept);
        }
        // by write time all are today's: only the lowest and the newest would stay (2); by the events' days the first
        // of each of the 3 newest days that hold one (which sequences the replay snapshots at depends on timing: a due
        // snapshot waits for a free buffer, so a day may hold none)
        assertTrue(kept.size() >= 3, "the firsts of several days of the events: " + kept);
    }
}
