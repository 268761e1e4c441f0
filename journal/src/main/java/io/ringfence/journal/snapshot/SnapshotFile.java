package io.ringfence.journal.snapshot;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A snapshot read back and verified (magic, version, length, CRC32C).
 *
 * @param path     the file
 * @param sequence the last journal sequence its state includes
 * @param digest   the configuration digest it was written under
 * @param record   the fingerprint of the journal record at {@code sequence} when it was written
 *                 ({@code io.ringfence.journal.RecordFingerprint}; 0 for a version 1 file, which has none)
 * @param content  the content (position 0, limit = length), little-endian
 */
public record SnapshotFile(Path path, long sequence, byte[] digest, long record, ByteBuffer content) {
}
