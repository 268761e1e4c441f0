package io.ringfence.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Seals the writer's journal as it grows ({@link JournalSeals}): on a thread of its own it reads the records appended
 * since its last pass, carries the {@link SealChain} over them and, every {@link JournalConfig#sealEveryMillis()} and
 * when the journal closes, appends a seal line naming the chain through the last record. Off the engine's path: it
 * reads the journal as any other reader does.
 *
 * <p>At a start it carries on from the file's last seal when the journal still holds that record with that
 * fingerprint; otherwise the file belongs to another journal (deleted and begun anew) or was cut, and it is set aside
 * ({@value JournalSeals#FILE}{@code .replaced-TIME}) with a warning, and the chain starts again at the journal's first
 * record. Whether the records before the last seal are still those sealed is {@code ringfence verify}'s question; a
 * start does not read the whole journal to answer it.
 */
final class JournalSealer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalSealer.class);
    /** How often new records are read into the chain: in small steps, not a burst per seal. */
    private static final long READ_EVERY_MILLIS = 200;

    private final Journal journal;
    private final Path directory;
    private final long everyMillis;
    private final byte[] key;
    private SealChain chain;
    /** When the last seal line was written, or the sealer started (nanoTime). */
    private long sealedAt = System.nanoTime();
    private final Object lock = new Object();
    private final AtomicLong failures = new AtomicLong();
    private volatile long sealedThrough;
    private JournalReader reader;
    private boolean positioned;
    private Thread thread;
    private boolean closed;
    private long lastFailedAt = -1;

    private JournalSealer(final Journal journal, final long everyMillis, final byte[] key, final SealChain chain) {
        this.journal = journal;
        this.directory = journal.directory();
        this.everyMillis = everyMillis;
        this.key = key;
        this.chain = chain;
        this.sealedThrough = chain.last();
    }

    /** Carries on from the seals of {@code journal}'s directory (or begins them) and starts sealing in the background. */
    static JournalSealer start(final Journal journal, final JournalConfig config) {
        final SealChain chain = resume(journal);
        final JournalSealer sealer = new JournalSealer(journal, config.sealEveryMillis(), config.sealKey(), chain);
        sealer.thread = new Thread(sealer::run, "ringfence-journal-sealer");
        sealer.thread.setDaemon(true);
        sealer.thread.start();
        return sealer;
    }

    private static SealChain resume(final Journal journal) {
        final Path directory = journal.directory();
        final JournalSeals.Contents seals = JournalSeals.read(directory);
        final JournalSeals.Line last = seals.lastSeal();
        final long first = Math.max(1, journal.firstSequence());
        if (last == null) {
            return new SealChain(first);
        }
        final long at = last.sequence();
        final long fingerprint = Long.parseUnsignedLong(last.field("fingerprint"), 16);
        final long held = at <= journal.lastSequence() ? journal.recordFingerprint(at) : RecordFingerprint.NONE;
        if (held == fingerprint && at + 1 >= first) {
            return new SealChain(last.from(), at, HexFormat.of().parseHex(last.field("chain")));
        }
        if (held == fingerprint) {
            // sealed by an earlier run, which archived on without sealing: the records after the seal are in the archive,
            // which the writer does not read; the chain starts again at the directory's first
            final Path aside = JournalSeals.setAside(directory, "before-archive");
            LOG.warn("journal {}: its seals end at sequence {} and sequences {}..{} were archived unsealed since; those seals"
                    + " are set aside as {} and sealing starts again at sequence {}", directory, at, at + 1, first - 1, aside,
                    first);
            return new SealChain(first);
        }
        final Path aside = JournalSeals.setAside(directory, "replaced");
        LOG.warn("journal {}: its seals ({}) end at sequence {}, which this journal {}: they are not this journal's (a journal"
                        + " deleted and begun anew, or cut) and are set aside as {}; sealing starts again at sequence {}."
                        + " If this journal should be the one sealed, its records were changed: `ringfence verify` with those"
                        + " seals says where", directory, JournalSeals.FILE, at,
                held == RecordFingerprint.NONE ? "does not hold" : "holds with other content", aside, first);
        return new SealChain(first);
    }

    /** The last sequence sealed in the file (the chain's first minus one before any). Any thread. */
    long sealedThrough() {
        return sealedThrough;
    }

    /** Passes that failed (a record that does not read, the file not writable). Any thread. */
    long failures() {
        return failures.get();
    }

    private void run() {
        while (true) {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                try {
                    lock.wait(Math.min(everyMillis, READ_EVERY_MILLIS));
                } catch (final InterruptedException e) {
                    return;
                }
                if (closed) {
                    return;
                }
                read();
                if (System.nanoTime() - sealedAt >= everyMillis * 1_000_000L) {
                    seal();
                }
            }
        }
    }

    /** Reads what was appended since the last pass and seals it. Under {@link #lock}. */
    private void pass() {
        read();
        seal();
    }

    /** Carries the chain over the records appended since the last read. Under {@link #lock}. */
    private void read() {
        try {
            if (reader == null) {
                reader = journal.reader();
            }
            if (!positioned) {
                if (!reader.seek(chain.last() + 1)) {
                    return; // nothing after the chain yet
                }
                positioned = true;
            }
            while (reader.next(this::add)) {
                // each record into the chain
            }
        } catch (final RuntimeException e) {
            fail(e);
        }
    }

    private void add(final long sequence, final long ingestTimeMicros, final long sourceId, final long clientSeq,
                     final org.agrona.DirectBuffer payload, final int offset, final int length) {
        if (sequence != chain.last() + 1 && chain.last() < chain.from() && sealedThrough < chain.from()) {
            // nothing taken or sealed yet, and the journal begins elsewhere (an empty directory whose appender starts after
            // its archived range): the chain begins at its first record
            chain = new SealChain(sequence);
        }
        chain.add(sequence, ingestTimeMicros, sourceId, clientSeq, payload, offset, length);
    }

    /** Appends a seal line when records were taken since the last. Under {@link #lock}. */
    private void seal() {
        sealedAt = System.nanoTime();
        if (chain.last() > sealedThrough) {
            try {
                JournalSeals.appendSeal(directory, chain.from(), chain.last(), chain.hex(), journal.recordFingerprint(chain.last()),
                        key);
                sealedThrough = chain.last();
                journal.sealed();
            } catch (final RuntimeException e) {
                fail(e);
            }
        }
    }

    private void fail(final RuntimeException e) {
        failures.incrementAndGet();
        if (lastFailedAt != chain.last()) { // once per place, not every pass
            lastFailedAt = chain.last();
            LOG.error("journal {}: sealing stopped after sequence {} ({}); it tries again every {} ms", directory, chain.last(),
                    e.getMessage(), everyMillis);
        }
    }

    /** Seals what is left, on the caller's thread, and stops. Idempotent. */
    @Override
    public void close() {
        final Thread t;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
            t = thread;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(10_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            pass();
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
    }
}
