package io.ringfence.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.zip.CRC32C;

import static io.ringfence.journal.JournalRecordDescriptor.BYTE_ORDER;
import static io.ringfence.journal.JournalRecordDescriptor.CLIENT_SEQ_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.FLAGS_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.HEADER_LENGTH;
import static io.ringfence.journal.JournalRecordDescriptor.INGEST_TIME_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.PAYLOAD_LENGTH_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.PAYLOAD_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.SEQUENCE_OFFSET;
import static io.ringfence.journal.JournalRecordDescriptor.SOURCE_ID_OFFSET;

/**
 * Reads journal records in sequence order from any position, independently of other readers. Works while
 * the journal is being appended to (by this or another thread or process): {@link #next} returns false at
 * the current end and true again once more records are complete.
 *
 * <p>Used by one thread at a time (it may be created on another). Every record's version, length, CRC32C
 * and sequence continuity are verified; a record that fails raises {@link JournalCorruptException} and the
 * reader stays on it, so a bad record is never skipped silently. The one exception is the journal's last
 * record: a tail cut mid-write ends the data there, and {@link #checkEnd()} says so (batch readers print it).
 */
public final class JournalReader implements AutoCloseable {
    private static final int INITIAL_CAPACITY = 4096;

    private final Journal journal;
    private final ExcerptTailer tailer;
    private final SequenceLocator locator;
    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[INITIAL_CAPACITY]);
    /** A packed record's payload, unpacked. */
    private final UnsafeBuffer unpacked = new UnsafeBuffer(new byte[INITIAL_CAPACITY]);
    private boolean lastWasPacked;
    /** The sequence the next record must have; -1 until the reader knows (fresh reader at the start). */
    private long expectedSequence = -1;
    private boolean closed;
    /** Sequence of the last record delivered, -1 before the first. */
    private long lastDelivered = -1;
    /** File position just after the last delivered excerpt, and its file: where an incomplete excerpt would start. */
    private long lastExcerptEnd = -1;
    private java.io.File lastFile;
    /** The damaged last record the reader stopped at, or null. */
    private JournalCorruptException tornTail;

    JournalReader(Journal journal, SingleChronicleQueue queue) {
        this.journal = journal;
        this.tailer = queue.createTailer();
        // created by the caller's thread, used by whichever thread reads
        this.tailer.singleThreadedCheckDisabled(true);
        this.tailer.direction(TailerDirection.FORWARD).toStart();
        this.locator = new SequenceLocator(queue, tailer, journal.directory());
    }

    /** The journal this reader reads. */
    public Journal journal() {
        return journal;
    }

    /**
     * Positions the reader so that {@link #next} returns the record with {@code sequence}, or the first
     * record if {@code sequence} is before it.
     *
     * @return false (position unchanged) if {@code sequence > lastSequence()}
     */
    public boolean seek(long sequence) {
        ensureOpen();
        long last = journal.lastSequence();
        if (sequence > last) {
            return false;
        }
        long first = journal.firstSequence();
        if (sequence <= first) {
            tailer.direction(TailerDirection.FORWARD).toStart();
            expectedSequence = last == 0 ? -1 : first;
        } else {
            locator.moveTo(sequence);
            expectedSequence = sequence;
        }
        tornTail = null;
        lastDelivered = expectedSequence < 0 ? -1 : expectedSequence - 1;
        lastExcerptEnd = -1;
        return true;
    }

    /**
     * Delivers the next record to {@code handler}. The payload buffer is valid until the next call.
     * The record counts as read even if the handler throws.
     *
     * <p>The journal's last excerpt is special: when it does not verify (a tail cut mid-write: a file
     * truncated inside the last record, its bytes zeroed) this returns false as at the end of the data,
     * and {@link #checkEnd()} describes it. The reader stays on it.
     *
     * @return false if there is no complete record yet (or only a damaged last one)
     * @throws JournalCorruptException if a record before the last does not verify (the reader stays on it)
     */
    public boolean next(JournalRecordHandler handler) {
        ensureOpen();
        int payloadLength;
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return false;
            }
            Bytes<?> bytes = dc.wire().bytes();
            long length = bytes.readRemaining();
            String problem;
            if (length < HEADER_LENGTH || length > HEADER_LENGTH + (long) JournalConfig.MAX_PAYLOAD_BYTES_LIMIT) {
                problem = "excerpt length " + length + " is outside [" + HEADER_LENGTH + ", "
                        + (HEADER_LENGTH + JournalConfig.MAX_PAYLOAD_BYTES_LIMIT) + "]";
            } else {
                ensureCapacity((int) length);
                bytes.read(record.byteArray(), 0, (int) length);
                problem = JournalRecordDescriptor.recordProblem(crc, record.byteArray(), (int) length);
            }
            if (problem != null) {
                dc.rollbackOnClose();
                long sequence = expectedSequence >= 0 ? expectedSequence
                        : length >= HEADER_LENGTH ? record.getLong(SEQUENCE_OFFSET, BYTE_ORDER) : -1;
                JournalCorruptException damage = corrupt(problem, sequence, dc.index());
                if (journal.isTornTail(dc.index())) {
                    tornTail = journal.tornTail();
                    return false;
                }
                throw damage;
            }
            payloadLength = verify((int) length, dc);
            lastExcerptEnd = bytes.readLimit();
            lastFile = tailer.currentFile();
        }
        long sequence = record.getLong(SEQUENCE_OFFSET, BYTE_ORDER);
        expectedSequence = sequence + 1;
        lastDelivered = sequence;
        tornTail = null;
        handler.onRecord(sequence,
                record.getLong(INGEST_TIME_OFFSET, BYTE_ORDER),
                record.getLong(SOURCE_ID_OFFSET, BYTE_ORDER),
                record.getLong(CLIENT_SEQ_OFFSET, BYTE_ORDER),
                lastWasPacked ? unpacked : record, lastWasPacked ? 0 : PAYLOAD_OFFSET, payloadLength);
        return true;
    }

    /**
     * What stopped the reader, to be asked once {@link #next} has returned false: null at a clean end;
     * otherwise a description (sequence, Chronicle index, file, why) of the journal's damaged or
     * incomplete last record: a tail cut mid-write. Every complete record before it has been delivered,
     * so a caller may go on with a warning. Damage anywhere else is never returned, it is thrown.
     *
     * @throws JournalCorruptException if complete records exist after the point where the reader stopped
     *                                 (an incomplete excerpt in the middle: they cannot be reached)
     */
    public JournalCorruptException checkEnd() {
        ensureOpen();
        if (tornTail != null) {
            return tornTail;
        }
        long last = journal.lastSequence();
        if (morePresent()) {
            return null; // a live journal: records were appended since next() returned false
        }
        long reached = lastDelivered >= 0 ? lastDelivered : journal.firstSequence() - 1;
        if (last > 0 && last > reached) {
            throw new JournalCorruptException("the reader stopped after sequence " + reached + " but the journal holds"
                    + " complete records up to " + last + ": the excerpt after it is incomplete (a write that never"
                    + " finished) and hides the rest", reached + 1, tailer.index(), lastFile);
        }
        JournalCorruptException zeroed = journal.tornTail(); // a last excerpt the file says was written, read as zeros
        if (zeroed != null && reached == last) {
            return zeroed;
        }
        if (lastFile == null || lastExcerptEnd < 0) {
            return null;
        }
        String incomplete = ChronicleExcerpts.incompleteAfter(lastFile, lastExcerptEnd);
        return incomplete == null ? null
                : new JournalCorruptException(incomplete + "; read up to sequence " + reached, reached + 1,
                tailer.index(), lastFile);
    }

    /** Whether the tailer can read an excerpt now; does not move it. */
    private boolean morePresent() {
        try (DocumentContext dc = tailer.readingDocument()) {
            if (dc.isPresent()) {
                dc.rollbackOnClose();
                return true;
            }
            return false;
        }
    }

    /** Returns the payload length after checking sequence continuity (version, length and CRC are checked). */
    private int verify(int length, DocumentContext dc) {
        int flags = record.getShort(FLAGS_OFFSET, BYTE_ORDER) & 0xFFFF;
        int payloadLength = record.getInt(PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
        long sequence = record.getLong(SEQUENCE_OFFSET, BYTE_ORDER);
        long position = expectedSequence >= 0 ? expectedSequence : sequence;
        int storedLength = length - HEADER_LENGTH;
        if (expectedSequence >= 0 && sequence != expectedSequence) {
            dc.rollbackOnClose();
            throw corrupt("expected sequence " + expectedSequence + " but the record says " + sequence
                    + " (gap or duplicate on disk)", expectedSequence, dc.index());
        }
        lastWasPacked = (flags & JournalRecordDescriptor.FLAG_PACKED) != 0;
        if (lastWasPacked) {
            if (unpacked.capacity() < payloadLength) {
                unpacked.wrap(new byte[Math.max(payloadLength, unpacked.capacity() * 2)]);
            }
            try {
                ZeroRunPacking.unpack(record, PAYLOAD_OFFSET, storedLength, unpacked, 0, payloadLength);
            } catch (IllegalArgumentException e) {
                dc.rollbackOnClose();
                throw corrupt("packed payload does not unpack: " + e.getMessage(), position, dc.index());
            }
        }
        return payloadLength;
    }

    private JournalCorruptException corrupt(String reason, long sequence, long index) {
        return new JournalCorruptException(reason, sequence, index, tailer.currentFile());
    }

    private void ensureCapacity(int length) {
        if (record.capacity() < length) {
            int capacity = Integer.highestOneBit(length - 1) << 1;
            record.wrap(new byte[Math.max(capacity, length)]);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new JournalException("journal reader is closed (" + journal.directory() + ")");
        }
        journal.ensureOpen();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        tailer.close();
        journal.readerClosed(this);
    }

    void closeFromJournal() {
        if (!closed) {
            closed = true;
            tailer.close();
        }
    }
}
