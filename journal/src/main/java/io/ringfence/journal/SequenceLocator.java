package io.ringfence.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.NavigableSet;
import java.util.zip.CRC32C;

import static io.ringfence.journal.JournalRecordDescriptor.BYTE_ORDER;
import static io.ringfence.journal.JournalRecordDescriptor.FLAGS_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.HEADER_LENGTH;
import static io.ringfence.journal.JournalRecordDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.SEQUENCE_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.VERSION;
import static io.ringfence.journal.JournalRecordDescriptor.VERSION_OFFSET;

/**
 * Maps journal sequences to Chronicle indexes using one tailer it is given (and moves).
 *
 * <p>Sequences are contiguous and there is one excerpt per record, but Chronicle indexes restart in
 * every roll cycle. A sequence is found by a binary search over the cycle files on the sequence of each
 * cycle's first record (one header read per probe, never a scan of records), then
 * {@code index = toIndex(cycle, sequence - firstSequenceOfCycle)}, checked against the header found there.
 * Not thread-safe: each owner (journal, reader) has its own.
 */
final class SequenceLocator {
    private final SingleChronicleQueue queue;
    /** The journal's data directory, for messages (Chronicle may read a view of it). */
    private final java.nio.file.Path directory;
    private final ExcerptTailer tailer;
    private final RollCycle rollCycle;
    private final byte[] headerBytes = new byte[HEADER_LENGTH];
    private final UnsafeBuffer header = new UnsafeBuffer(headerBytes);
    private final CRC32C crc = new CRC32C();
    private byte[] whole = new byte[256];
    private JournalCorruptException tornTail;
    private long tornTailIndex = -1;
    /** Whether the end has been looked at for a zeroed tail (the first look, then each full one). */
    private boolean tailChecked;
    /** The zeroed tail last found (its description), with what reads before it; null when none. */
    private String zeroedKey;
    private long zeroedReadable;
    private JournalCorruptException zeroedTail;
    private long zeroedTailIndex;

    SequenceLocator(SingleChronicleQueue queue, ExcerptTailer tailer, java.nio.file.Path directory) {
        this.directory = directory;
        this.queue = queue;
        this.tailer = tailer;
        this.rollCycle = queue.rollCycle();
    }

    /** Sequence of the first record, 0 when the journal is empty. Moves the tailer. */
    long firstSequence() {
        try {
            tailer.direction(TailerDirection.FORWARD).toStart();
        } catch (final IllegalStateException e) {
            // "Missing first store file": Chronicle's cached listing names a cycle file the archiver has just moved (CI,
            // JournalArchiveTest under load, 2026-12-07; as in cycles()): list the directory again
            queue.refreshDirectoryListing();
            tailer.direction(TailerDirection.FORWARD).toStart();
        }
        return Math.max(0, readNextSequence());
    }

    /**
     * Sequence of the last complete record, 0 when the journal is empty. The journal's last excerpt is
     * verified in full (CRC included): when it does not verify (a tail cut mid-write) it is left out, the
     * one before counts, and {@link #tornTail()} describes it. Moves the tailer.
     */
    long lastSequence() {
        return lastSequence(false);
    }

    /**
     * As {@link #lastSequence()}; with {@code verifyTail} also whether the file says more was written after the last
     * excerpt than reads back ({@link #zeroedAfter}): that opens the cycle's store (Chronicle sets up its indexing
     * and thread locals each time), so it is done where a writer claims the journal, a reader reaches its end or
     * meets a damaged record, never per call of a reader or per event.
     */
    long lastSequence(boolean verifyTail) {
        if (verifyTail || !tailChecked) {
            // before Chronicle's toEnd, which trusts the file's index and write position: with the excerpts there zeroed
            // it fails an assertion, or without assertions lands at the journal's start (trial: "holds sequences 1..1",
            // and a server appended under sequences already used)
            tailChecked = true;
            final String zeroed = zeroedAtLastCycleEnd();
            if (zeroed != null) {
                return readableUpTo(zeroed);
            }
            zeroedKey = null;
        } else if (zeroedKey != null) {
            return zeroedReadable;
        }
        tailer.direction(TailerDirection.BACKWARD).toEnd();
        try {
            tornTail = null;
            tornTailIndex = -1;
            String problem;
            long index;
            long claimed;
            long headerAt;
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return 0;
                }
                Bytes<?> bytes = dc.wire().bytes();
                long length = bytes.readRemaining();
                index = dc.index();
                headerAt = bytes.readPosition() - 4;
                if (length > HEADER_LENGTH + (long) JournalConfig.MAX_PAYLOAD_BYTES_LIMIT) {
                    problem = "excerpt length " + length + " is beyond any record";
                    claimed = -1;
                } else {
                    if (whole.length < length) {
                        whole = new byte[(int) length];
                    }
                    bytes.read(whole, 0, (int) length);
                    problem = JournalRecordDescriptor.recordProblem(crc, whole, (int) length);
                    claimed = length >= HEADER_LENGTH ? new UnsafeBuffer(whole).getLong(SEQUENCE_OFFSET, BYTE_ORDER) : -1;
                }
            }
            if (problem == null) {
                String zeroed = verifyTail ? zeroedAfter(index, headerAt) : null;
                if (zeroed == null) {
                    return claimed;
                }
                return readableUpTo(zeroed);
            }
            long previous = Math.max(0, readNextSequence());
            tornTailIndex = index;
            tornTail = new JournalCorruptException("the journal's last record does not verify (" + problem
                    + "): its tail was cut mid-write (file truncated or zeroed inside the last record) or the record"
                    + " is damaged; the journal is readable up to sequence " + previous,
                    previous + 1, index, tailer.currentFile());
            return previous;
        } finally {
            tailer.direction(TailerDirection.FORWARD);
        }
    }

    /**
     * The last record that reads back whole, found by reading forward from the start with each record verified in
     * full, for a tail lost to zeros ({@code zeroed} says where): zeros can hide Chronicle's index pages too, and a
     * backward read then lands anywhere; a page lost under the last surviving record zeroes part of it. Sets
     * {@link #tornTail()}. Remembered for the same zeroed position (a journal so damaged is not appended to), so
     * that the readers that meet the damage do not read the journal again each time.
     */
    private long readableUpTo(String zeroed) {
        if (zeroed.equals(zeroedKey)) {
            tornTail = zeroedTail;
            tornTailIndex = zeroedTailIndex;
            return zeroedReadable;
        }
        tailer.direction(TailerDirection.FORWARD).toStart();
        long readable = 0;
        long readableIndex = -1;
        long damagedIndex = -1;
        while (damagedIndex < 0) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    break;
                }
                Bytes<?> bytes = dc.wire().bytes();
                long length = bytes.readRemaining();
                if (length < HEADER_LENGTH || length > HEADER_LENGTH + (long) JournalConfig.MAX_PAYLOAD_BYTES_LIMIT) {
                    damagedIndex = dc.index();
                    break;
                }
                if (whole.length < length) {
                    whole = new byte[(int) length];
                }
                bytes.read(whole, 0, (int) length);
                if (JournalRecordDescriptor.recordProblem(crc, whole, (int) length) != null) {
                    damagedIndex = dc.index();
                    break;
                }
                readable = new UnsafeBuffer(whole).getLong(SEQUENCE_OFFSET, BYTE_ORDER);
                readableIndex = dc.index();
            }
        }
        tornTailIndex = damagedIndex >= 0 ? damagedIndex : readableIndex + 1;
        tornTail = new JournalCorruptException(zeroed + "; the journal is readable up to sequence " + readable + lost(readable, readableIndex),
                readable + 1, tornTailIndex, tailer.currentFile());
        zeroedKey = zeroed;
        zeroedReadable = readable;
        zeroedTail = tornTail;
        zeroedTailIndex = tornTailIndex;
        tailer.direction(TailerDirection.FORWARD);
        return readable;
    }

    /**
     * The records after {@code readable} that the cycle files' headers count as written, as a clause of the message ("" when
     * a header does not say, or they count none beyond it): from the readable record's file (or the first) to the last,
     * each file's count less what of it reads (review: with the damage across two files only the last file's count was
     * said, 3,000 of 5,368 lost).
     */
    private String lost(final long readable, final long readableIndex) {
        final int from = readableIndex >= 0 ? rollCycle.toCycle(readableIndex) : Integer.MIN_VALUE;
        long lost = 0;
        for (final long cycle : cycles()) {
            if (cycle < from) {
                continue;
            }
            final var store = queue.storeForCycle((int) cycle, queue.epoch(), false, null);
            if (store == null) {
                return "";
            }
            final long written;
            try {
                written = WrittenExcerpts.count(store);
            } finally {
                queue.closeStore(store);
            }
            if (written < 0) {
                return "";
            }
            final long before = cycle == from ? rollCycle.toSequenceNumber(readableIndex) + 1 : 0; // what of it reads
            lost += Math.max(0, written - before);
        }
        return lost <= 0 ? "" : "; the journal's files count " + lost + " records written after it, lost: sequences "
                + (readable + 1) + ".." + (readable + lost);
    }

    /**
     * Whether the last cycle file's own header says its last excerpt starts where the file holds zeros: written data
     * that never reached the disk (an OS crash or power loss with {@code journal.sync: none} loses whole pages, many
     * records each). Opens the cycle's store: done on the first look at the end and where a full look is asked for.
     *
     * @return what is wrong, or null
     */
    private String zeroedAtLastCycleEnd() {
        final int last = queue.lastCycle();
        return last < 0 || last < queue.firstCycle() ? null : zeroedInCycle(last, 0);
    }

    /**
     * Whether the cycle file says it holds an excerpt after the one at {@code headerAt} (its write position,
     * where the last excerpt starts) whose header reads as zero: data the file's header says was written but
     * that never reached the disk (an OS crash or power loss with {@code journal.sync: none}). A writer would
     * append after that hole, and every reader would stop at it, so acknowledged events could not be read back.
     *
     * @return what is wrong, or null
     */
    private String zeroedAfter(long index, long headerAt) {
        return zeroedInCycle(rollCycle.toCycle(index), headerAt);
    }

    /** Whether {@code cycle}'s file header puts its last excerpt after {@code after} at bytes that are zero; what, or null. */
    private String zeroedInCycle(int cycle, long after) {
        var store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null) {
            return null;
        }
        long writePosition;
        java.io.File file;
        try {
            writePosition = store.writePosition();
            file = JournalView.original(store.file());
        } finally {
            queue.closeStore(store);
        }
        if (writePosition <= after || file == null) {
            return null;
        }
        return ChronicleExcerpts.zeroAt(file, writePosition)
                ? "the journal's file says its last excerpt starts at byte " + writePosition + " of " + file + ", but the bytes"
                  + " there are zero (written data that never reached the disk: an OS crash or power loss with"
                  + " journal.sync none?, or the file was cut short: Chronicle fills what a cut removed with zeros when"
                  + " it maps the file); its last readable record ends before it"
                : null;
    }

    /** The damaged last record found by the last {@link #lastSequence()} call, or null. */
    JournalCorruptException tornTail() {
        return tornTail;
    }

    /** Chronicle index of that damaged last record, or -1. */
    long tornTailIndex() {
        return tornTailIndex;
    }

    /**
     * Chronicle index of the record with {@code sequence}, which must lie in
     * {@code [firstSequence, lastSequence]}; leaves the tailer positioned so its next read is that record.
     */
    long moveTo(long sequence) {
        tailer.direction(TailerDirection.FORWARD);
        long[] cycles = cycles();
        int lo = 0;
        int hi = cycles.length - 1;
        int bestCycle = -1;
        long bestFirst = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int probe = mid;
            long first = -1;
            while (probe <= hi && (first = firstSequenceOfCycle((int) cycles[probe])) < 0) {
                probe++; // an empty cycle file (Chronicle may create one at a roll): look at the next one
            }
            if (first < 0 || first > sequence) {
                hi = mid - 1;
            } else {
                bestCycle = (int) cycles[probe];
                bestFirst = first;
                lo = probe + 1;
            }
        }
        if (bestCycle < 0) {
            throw new JournalException("cannot seek to sequence " + sequence + " in " + directory
                    + ": no roll cycle starts at or before it");
        }
        long offsetInCycle = sequence - bestFirst;
        long index = rollCycle.toIndex(bestCycle, offsetInCycle);
        if (offsetInCycle >= rollCycle.maxMessagesPerCycle() || !tailer.moveToIndex(index)) {
            throw new JournalException("cannot seek to sequence " + sequence + " in " + directory
                    + ": cycle " + bestCycle + " starts at sequence " + bestFirst
                    + " but has no excerpt at Chronicle index 0x" + Long.toHexString(index)
                    + " (sequence gap on disk?)");
        }
        final long found;
        try {
            found = readNextSequence();
        } catch (final JournalCorruptException e) {
            if (e.sequence() >= 0) {
                throw e;
            }
            // a header that is not ours at the record sought: name the sequence that should be there (review)
            throw new JournalCorruptException(e.reason(), sequence, e.chronicleIndex(), e.file());
        }
        if (found != sequence) {
            throw new JournalCorruptException("seek expected this record to have sequence " + sequence
                    + " but its header says " + found, sequence, index, tailer.currentFile());
        }
        tailer.moveToIndex(index);
        return index;
    }

    long[] cycles() {
        int first = queue.firstCycle();
        int last = queue.lastCycle();
        if (first > last || last < 0) {
            return new long[0];
        }
        NavigableSet<Long> set;
        try {
            set = queue.listCyclesBetween(first, last);
        } catch (final IllegalStateException e) {
            // Chronicle's cached listing named a cycle file the archiver has just moved ("'file not found' for the
            // lowerCycle": review, the server's own snapshot failed in 2 of 4 runs): list the directory again
            queue.refreshDirectoryListing();
            first = queue.firstCycle();
            last = queue.lastCycle();
            if (first > last || last < 0) {
                return new long[0];
            }
            set = queue.listCyclesBetween(first, last);
        }
        long[] cycles = new long[set.size()];
        int i = 0;
        for (Long cycle : set) {
            cycles[i++] = cycle;
        }
        return cycles;
    }

    /** Sequence of the first record in {@code cycle}, or -1 if the cycle holds no record. Moves the tailer. */
    long firstSequenceOfCycle(int cycle) {
        if (!tailer.moveToIndex(rollCycle.toIndex(cycle, 0))) {
            return -1;
        }
        return readNextSequence();
    }

    /** Reads the next excerpt's header (version and length checked, not the CRC); -1 if there is none. */
    private long readNextSequence() {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return -1;
            }
            Bytes<?> bytes = dc.wire().bytes();
            long length = bytes.readRemaining();
            if (length < HEADER_LENGTH) {
                throw new JournalCorruptException("excerpt of " + length + " bytes is shorter than the "
                        + HEADER_LENGTH + "-byte record header", -1, dc.index(), tailer.currentFile());
            }
            bytes.read(headerBytes, 0, HEADER_LENGTH);
            int version = header.getShort(VERSION_OFFSET, BYTE_ORDER) & 0xFFFF;
            long sequence = header.getLong(SEQUENCE_OFFSET, BYTE_ORDER);
            int payloadLength = header.getInt(PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
            if (version != VERSION) {
                // the header is not ours: its sequence bytes are as garbled as its version (audit: "at sequence 1796463090759000")
                throw new JournalCorruptException("record version " + version + " is not the supported version "
                        + VERSION, -1, dc.index(), tailer.currentFile());
            }
            int flags = header.getShort(FLAGS_OFFSET, BYTE_ORDER) & 0xFFFF;
            String problem = JournalRecordDescriptor.lengthProblem(flags, payloadLength, length);
            if (problem != null) {
                throw new JournalCorruptException(problem, sequence, dc.index(), tailer.currentFile());
            }
            return sequence;
        }
    }
}
