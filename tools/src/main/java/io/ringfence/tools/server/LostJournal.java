package io.ringfence.tools.server;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.journal.snapshot.SnapshotDescriptor;
import io.ringfence.journal.snapshot.SnapshotStore;

import java.nio.file.Path;
import java.util.List;

/**
 * Refuses a server start on a data directory whose journal holds no event while its snapshots
 * cover events of one: the journal's cycle files were removed or moved (a clean-up by hand, a
 * cron job). Started anyway, the engine would hand out sequences from 1 again and every event the
 * snapshots cover, each acknowledged to its client, would be gone without a word (operator trial:
 * a server restarted after its day's {@code .cq4} was deleted reported "empty journal, nothing to
 * recover" and set the snapshots aside as foreign). A journal that merely ends before a snapshot
 * (an OS crash under {@code journal.sync: none} loses an unsynced tail) is not refused here: the
 * recovery sets that snapshot aside with a warning, as before.
 */
final class LostJournal {
    private LostJournal() {
    }

    /** Why the server must not start on {@code data}, or null. */
    static String check(final Path data, final EngineConfig config, final long journaled) {
        if (journaled > 0 || !config.snapshot.enabled
                || java.nio.file.Files.exists(data.resolve(io.ringfence.journal.Journal.REPAIR_MARKER))) {
            return null; // a repair stopped mid-swap: opening the journal names the marker, which says where every file is
        }
        final Path dir = data.resolve(config.snapshot.dir);
        final List<Path> snapshots = SnapshotStore.listIn(dir);
        for (final Path snapshot : snapshots) { // newest first
            final long covers = SnapshotDescriptor.sequenceOf(snapshot.getFileName().toString());
            if (covers > 0) {
                return String.format(java.util.Locale.ROOT, "not started: the journal in %s holds no event, but snapshot %s"
                        + " covers %,d events of a journal that was there: its cycle files (*.cq4) were removed or moved,"
                        + " or the journal lost all it held (an OS crash under journal.sync: none before anything was"
                        + " synced). Starting would give out engine sequences from 1 again, and the events the snapshot"
                        + " covers, answered to their clients, would be lost.%n  next: put the journal files back (from a"
                        + " backup or a replica); or, to start over on purpose, move the snapshot directory %s aside first", data,
                        snapshot, covers, dir);
            }
        }
        return null;
    }
}
