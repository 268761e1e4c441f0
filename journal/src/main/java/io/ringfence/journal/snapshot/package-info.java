/**
 * Snapshot files: a header ({@link io.ringfence.journal.snapshot.SnapshotDescriptor}: version,
 * journal sequence covered, configuration digest, length, CRC32C) and opaque content, written
 * atomically and verified on read by {@link io.ringfence.journal.snapshot.SnapshotStore}. What
 * the content means is the engine's business.
 */
package io.ringfence.journal.snapshot;
