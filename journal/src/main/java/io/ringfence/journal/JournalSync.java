package io.ringfence.journal;

/**
 * When the journal's appended bytes are forced from the page cache to the disk (docs/recovery.md,
 * "Durability"). Every append is in the memory-mapped file as soon as it returns, so each setting
 * survives a crash of the process (kill -9); they differ in what survives a crash of the OS or a
 * power loss.
 */
public enum JournalSync {
    /** Never forced by ringfence: the OS writes dirty pages back in its own time (Linux: ~30 s). */
    NONE,
    /** A background thread fsyncs the journal files every interval: an OS crash loses at most about one interval. */
    PERIODIC,
    /**
     * The journal stage msyncs what it appended (Chronicle {@code SyncMode.SYNC}, {@code appender.sync()})
     * before the events' answers are dispatched: an answered event is on disk.
     */
    BATCH
}
