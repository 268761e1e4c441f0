package io.ringfence.journal;

import java.io.File;

/**
 * The journal file the writer writes and its file key (device and inode) as it opened it, or null when that could not be
 * read: published as one object, so the {@link CycleFileWatch} never pairs one cycle's file with the next one's key.
 */
record WrittenFile(File file, Object key) {
}
