package io.ringfence.journal;

import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

import static io.ringfence.journal.JournalRecordDescriptor.BYTE_ORDER;
import static io.ringfence.journal.JournalRecordDescriptor.CLIENT_SEQ_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.CRC_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.FLAGS_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.HEADER_LENGTH;
import static io.ringfence.journal.JournalRecordDescriptor.INGEST_TIME_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.PAYLOAD_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.SEQUENCE_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.SOURCE_ID_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.VERSION;
import static io.ringfence.journal.JournalRecordDescriptor.VERSION_OFFSET;

/**
 * Encodes a record into a preallocated off-heap scratch buffer (header, then the payload zero-run packed
 * when that makes it shorter), computes its CRC32C there, and writes the bytes as one Chronicle excerpt.
 * No allocation per append.
 */
final class ChronicleJournalAppender implements JournalAppender {
    private final ExcerptAppender appender;
    private final int maxPayloadBytes;
    private final String directory;
    /** The record is assembled off-heap, so CRC32C and Chronicle's copy into the queue are bulk native copies. */
    private final ByteBuffer direct;
    private final ByteBuffer crcView;
    private final UnsafeBuffer scratch;
    private final BytesStore<?, ByteBuffer> store;
    private final CRC32C crc = new CRC32C();
    private final boolean syncBatches;
    private final AppendPosition position;
    private long nextSequence;
    /** Refuses appends while the disk is nearly full, or null (journal.minFreeBytes 0). */
    private final DiskSpaceGuard diskGuard;
    /** Refuses appends once the file being written was deleted, moved or replaced, or null (tests). */
    private final CycleFileWatch fileWatch;
    /** Why the journal file can no longer be written, once a write faulted (then every append is refused). */
    private String faulted;
    /** What became of a file found lost ({@link CycleFileRescue}), once it was copied back or found gone; else null. */
    private String rescued;
    private boolean closed;
    /**
     * Chronicle maps a cycle file in blocks of this size, and its appender's {@code sync()} forces the block being written
     * only: a batch that began in an earlier block (or file) needs that one forced too ({@link #sync}).
     */
    private final long blockSize;
    /** Where the batch since the last sync began: its file, cycle and block; {@code batchFile} null when nothing was appended. */
    private java.io.File batchFile;
    private int batchCycle;
    private long batchBlock;

    ChronicleJournalAppender(SingleChronicleQueue queue, JournalConfig config, long nextSequence, AppendPosition position,
                             DiskSpaceGuard diskGuard, CycleFileWatch fileWatch) {
        this.diskGuard = diskGuard;
        this.fileWatch = fileWatch;
        this.position = position;
        this.appender = queue.createAppender();
        // created by the thread that called Journal.appender(), used by the journal stage thread
        this.appender.singleThreadedCheckDisabled(true);
        this.maxPayloadBytes = config.maxPayloadBytes();
        this.directory = config.directory().toString();
        this.direct = ByteBuffer.allocateDirect(HEADER_LENGTH + ZeroRunPacking.maxPackedLength(maxPayloadBytes))
                .order(ByteOrder.LITTLE_ENDIAN);
        this.crcView = direct.duplicate();
        this.scratch = new UnsafeBuffer(direct);
        this.store = BytesStore.wrap(direct);
        this.nextSequence = nextSequence;
        this.syncBatches = config.sync() == JournalSync.BATCH;
        this.blockSize = queue.blockSize();
    }

    @Override
    public void sync() {
        if (syncBatches && !closed) {
            appender.sync(); // msync(MS_SYNC) of the store's pages up to the write position (queue built with SyncMode.SYNC)
            final java.io.File began = batchFile;
            if (began != null) {
                batchFile = null;
                // the batch crossed into another block or file: Chronicle forced the current block only, so the records
                // before it in the batch are forced here (journal review of 2026-12-06: they stayed dirty until the block
                // was released; rare: once per block of the journal, blockSize bytes, or per roll)
                final long end = position.position();
                if (batchCycle != appender.cycle() || batchBlock != (end - 1) / blockSize) {
                    force(began);
                    final java.io.File current = position.file();
                    if (current != null && !current.equals(began)) {
                        force(current);
                    }
                }
            }
        }
    }

    /** Writes a cycle file's dirty pages (its memory-mapped writes included) back to the disk. */
    private void force(final java.io.File file) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file.toPath(),
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(false);
        } catch (final java.io.IOException e) {
            throw new JournalException("cannot force the journal file " + file + " to disk (journal.sync: batch): " + e, e);
        }
    }

    @Override
    public void append(long sequence, long ingestTimeMicros, long sourceId, long clientSeq,
                       DirectBuffer payload, int offset, int length) {
        if (closed) {
            throw new JournalException("cannot append sequence " + sequence + ": journal " + directory + " is closed");
        }
        if (sequence != nextSequence) {
            throw new JournalException("append refused in " + directory + ": sequence " + sequence
                    + (sequence < nextSequence ? " is a duplicate or out of order" : " would leave a gap")
                    + "; the next sequence must be " + nextSequence + " (last journaled " + (nextSequence - 1) + ")");
        }
        if (length < 0 || length > maxPayloadBytes) {
            throw new JournalException("append refused in " + directory + ": payload of " + length
                    + " bytes for sequence " + sequence + " exceeds maxPayloadBytes " + maxPayloadBytes);
        }
        if (payload == null || offset < 0 || (long) offset + length > payload.capacity()) {
            throw new JournalException("append refused in " + directory + ": payload range [" + offset + ", "
                    + ((long) offset + length) + ") for sequence " + sequence + " is outside the buffer of capacity "
                    + (payload == null ? "null" : String.valueOf(payload.capacity())));
        }

        UnsafeBuffer record = scratch;
        int stored = ZeroRunPacking.pack(payload, offset, length, record, PAYLOAD_OFFSET);
        int flags = JournalRecordDescriptor.FLAG_PACKED;
        if (stored >= length) {
            record.putBytes(PAYLOAD_OFFSET, payload, offset, length);
            stored = length;
            flags = 0;
        }
        record.putShort(VERSION_OFFSET, VERSION, BYTE_ORDER);
        record.putShort(FLAGS_OFFSET, (short) flags, BYTE_ORDER);
        record.putInt(PAYLOAD_LENGTH_OFFSET, length, BYTE_ORDER);
        record.putLong(SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        record.putLong(INGEST_TIME_OFFSET, ingestTimeMicros, BYTE_ORDER);
        record.putLong(SOURCE_ID_OFFSET, sourceId, BYTE_ORDER);
        record.putLong(CLIENT_SEQ_OFFSET, clientSeq, BYTE_ORDER);
        record.putInt(CRC_OFFSET + 4, 0); // padding
        record.putInt(CRC_OFFSET, crc(stored), BYTE_ORDER);

        int recordLength = HEADER_LENGTH + stored;
        long end;
        if (diskGuard != null && diskGuard.low()) {
            throw diskLow(directory, sequence, diskGuard);
        }
        if (fileWatch != null && fileWatch.lost() != null) {
            throw fileLost(sequence);
        }
        if (faulted != null) {
            throw new JournalException("append refused in " + directory + " for sequence " + sequence
                    + ": an earlier write to the journal file faulted (" + faulted + ")");
        }
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                dc.wire().bytes().write(store, 0L, recordLength);
                end = dc.wire().bytes().writePosition();
            } catch (RuntimeException e) {
                dc.rollbackOnClose();
                throw new JournalException("Chronicle write failed in " + directory + " for sequence " + sequence
                        + ": " + e, e);
            } catch (Error e) {
                dc.rollbackOnClose(); // a fault inside the copy: the half-written record must not be committed on close
                throw e;
            }
        } catch (InternalError e) {
            // the JVM's report of SIGBUS on a memory-mapped page: the file system could not supply the page,
            // which on Linux means the disk (or tmpfs) is full
            // a page the file system cannot supply: a full disk, or (operator audit: blamed on the disk with 72 GB free) the
            // file truncated under the writer, whose pages past the cut are gone
            final boolean room = diskGuard != null && !diskGuard.low();
            final String why = room ? "the disk has room (" + freeSpace() + "), so most likely the file was truncated under the"
                    + " server (a cycle file must not be cut while it is written; `ringfence repair` keeps the records before the"
                    + " cut)" : "most likely because the disk is full (" + freeSpace() + "; journal.minFreeMiB keeps a reserve so"
                    + " that this does not happen)";
            faulted = "the memory-mapped journal file could not be written: " + why;
            throw new JournalException("cannot append sequence " + sequence + " to the journal in " + directory
                    + ": writing its memory-mapped file faulted: " + why + ". The JVM reports such a fault late,"
                    + " so the record before, " + (sequence - 1) + ", may be torn too: the next start reads the journal up to"
                    + " its last complete record and names a torn one", e);
        }
        nextSequence = sequence + 1;
        published(end);
        if (syncBatches && batchFile == null) {
            batchFile = position.file(); // the file published() names: no allocation
            batchCycle = position.cycle();
            batchBlock = Math.max(0, end - recordLength - 8) / blockSize; // where this record began, its excerpt header included
        }
    }

    /**
     * The refusal of an append once the file being written was found deleted, moved or replaced: the writer would go on
     * storing events that vanish when the process ends. The first refusal copies what was written back first.
     */
    private JournalException fileLost(final long sequence) {
        final String outcome = rescueIfLost();
        return new JournalException(String.format("append of sequence %,d refused in %s: the journal file %s was deleted, moved"
                + " or replaced while the server wrote it; %s. Events up to %,d were journaled; do not delete or move a running"
                + " server's journal files", sequence, directory, fileWatch.lost(), outcome, sequence - 1));
    }

    /**
     * Appending thread, or the journal's close once appends stopped: when the file being written was found lost, copies
     * what was written back ({@link CycleFileRescue}), once, and says what it did; null while the file is in place.
     */
    /** Whether the file being written was found lost and not yet copied back (nothing appended since it was seen). */
    boolean rescuePending() {
        return fileWatch != null && fileWatch.lost() != null && rescued == null;
    }

    String rescueIfLost() {
        if (fileWatch == null || fileWatch.lost() == null) {
            return null;
        }
        if (rescued == null) {
            rescued = CycleFileRescue.rescue(fileWatch.lost(), fileWatch.lostKey());
        }
        return rescued;
    }

    /** The refusal of an append (or of appending at all) while the disk is below its reserve. */
    static JournalException diskLow(final String directory, final long sequence, final DiskSpaceGuard guard) {
        return new JournalException(String.format("append of sequence %,d refused in %s: the disk holding the journal has %,d"
                + " bytes free, below journal.minFreeMiB (%,d bytes): writing a memory-mapped journal into a full disk would"
                + " tear events already answered. Events up to %,d are journaled; free space, then start again",
                sequence, directory, guard.free(), guard.minFree(), sequence - 1));
    }

    private String freeSpace() {
        try {
            return String.format("%,d bytes free there", java.nio.file.Files.getFileStore(java.nio.file.Path.of(directory)).getUsableSpace());
        } catch (java.io.IOException | RuntimeException e) {
            return "free space unknown: " + e.getMessage();
        }
    }

    /** Tells the pretoucher and the file watch where the writer is; the file only when the roll cycle changed (allocates then). */
    private void published(final long writePosition) {
        final int cycle = appender.cycle();
        if (cycle != position.cycle()) {
            final java.io.File file = appender.currentFile();
            final Object key = file == null ? null : CycleFileWatch.keyOf(file.toPath()); // a stat per roll
            position.file(cycle, file, key == CycleFileWatch.UNKNOWN ? null : key, writePosition);
            listCycleFile(file);
        } else {
            position.position(writePosition);
        }
    }

    /**
     * Adds the file the writer moved to to {@link Journal#CYCLE_LIST} (once a roll, and at this process's first append),
     * unless it is its last line: a start then refuses a journal missing a file its writer wrote. Not forced: an OS crash
     * that loses a new file's directory entry loses this line with it, and that journal is started on, as it should be.
     */
    private void listCycleFile(final java.io.File file) {
        if (file == null) {
            return;
        }
        final java.nio.file.Path list = java.nio.file.Path.of(directory).resolve(Journal.CYCLE_LIST);
        final String name = file.getName();
        try {
            if (java.nio.file.Files.isRegularFile(list)) {
                final java.util.List<String> lines = java.nio.file.Files.readAllLines(list);
                if (!lines.isEmpty() && lines.get(lines.size() - 1).trim().equals(name)) {
                    return;
                }
            }
            java.nio.file.Files.writeString(list, name + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (final java.io.IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ChronicleJournalAppender.class).warn("cannot add {} to {} ({}): a start does not"
                    + " notice this file missing", name, list, e.toString());
        }
    }

    private int crc(final int payloadLength) {
        crc.reset();
        crcView.limit(JournalRecordDescriptor.CRC_COVERED_HEADER_LENGTH).position(0);
        crc.update(crcView);
        crcView.limit(PAYLOAD_OFFSET + payloadLength).position(PAYLOAD_OFFSET);
        crc.update(crcView);
        return (int) crc.getValue();
    }

    void close() {
        if (!closed) {
            closed = true;
            appender.close();
        }
    }
}
