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
    /** {@link #add} as a handler, made once: a method reference in the read loop was a new object per record (JMH -prof gc). */
    private final JournalRecordHandler adder = this::add;
    private final AtomicLong failures = new AtomicLong();
    private volatile long sealedThrough;
    private JournalReader reader;
    private boolean positioned;
    private Thread thread;
    private boolean closed;
    private long lastFailedAt = -1;
    /** Set by {@link #close}: a read in progress stops (checked every 4,096 records). */
    private volatile boolean closing;
    /** How long the read at close may take before it stops and seals what it read. */
    private static final long CLOSE_READ_NANOS = 2_000_000_000L;
    private long closingBy = Long.MAX_VALUE;
    /** The last record the chain took as found, said in its next seal (then 0). */
    private long adopted;
    /** Writes the key index as records are read; null when the journal has none. */
    private final KeyIndexWriter keyIndex;
    /** Checks and completes the key index's blocks before this start's, in the background; null without an index. */
    private KeyIndexFiller filler;

    private JournalSealer(final Journal journal, final long everyMillis, final byte[] key, final SealChain chain,
                          final KeyIndexWriter keyIndex) {
        this.keyIndex = keyIndex;
        this.journal = journal;
        this.directory = journal.directory();
        this.everyMillis = everyMillis;
        this.key = key;
        this.chain = chain;
        this.sealedThrough = chain.last();
    }

    /** Carries on from the seals of {@code journal}'s directory (or begins them) and starts sealing in the background. */
    static JournalSealer start(final Journal journal, final JournalConfig config) {
        final long[] adopted = {0};
        final boolean[] continued = {false};
        final SealChain chain = resume(journal, adopted, continued);
        final KeyIndexWriter keyIndex = config.recordKeys() == null ? null
                : new KeyIndexWriter(journal.directory(), config.recordKeys(), config.keyIndexShift());
        if (keyIndex != null) { // blocks of records this chain does not carry on from are not vouched for
            keyIndex.start(continued[0], chain.last());
        }
        final JournalSealer sealer = new JournalSealer(journal, config.sealEveryMillis(), config.sealKey(), chain, keyIndex);
        if (keyIndex != null) {
            sealer.filler = new KeyIndexFiller(journal.directory(), config.recordKeys(), config.keyIndexShift(), chain.last() + 1);
        }
        sealer.adopted = adopted[0];
        sealer.thread = new Thread(sealer::run, "ringfence-journal-sealer");
        sealer.thread.setDaemon(true);
        sealer.thread.start();
        return sealer;
    }

    /**
     * The chain to carry on: the last seal's when the journal still holds its record as sealed; else a new one from the
     * journal's first record, with {@code adopted[0]} set to the last record found, which it seals as found, not as
     * written (a journal of a build before seals; seals deleted; records changed or lost since they were sealed).
     */
    private static SealChain resume(final Journal journal, final long[] adopted, final boolean[] continued) {
        final Path directory = journal.directory();
        final JournalSeals.Line last = JournalSeals.lastSeal(directory);
        final long first = Math.max(1, journal.firstSequence());
        final long end = journal.lastSequence();
        if (last == null) {
            // a seals file with configuration lines and no seal: its writer was stopped (kill -9) before its first seal,
            // which comes within a read pass of its first records; not a journal found without seals (e2e: every kill -9 in
            // a new journal's first minute read as "sealed as found")
            if (end > 0 && JournalSeals.readConfigs(directory).lines().isEmpty()) {
                adopted[0] = end;
                LOG.warn("journal {}: {} records and no seals of them ({}): they are sealed as found, not as written (a journal"
                        + " of a build before seals, or seals deleted); `ringfence verify` says so of them", directory, end,
                        JournalSeals.FILE);
            }
            return new SealChain(archivedFrom(journal, first));
        }
        final long at = last.sequence();
        final long fingerprint = Long.parseUnsignedLong(last.field("fingerprint"), 16);
        final long held = at <= end ? journal.recordFingerprint(at) : RecordFingerprint.NONE;
        if (held == fingerprint) {
            continued[0] = true;
            // records after it in the archive (archived by a run that did not seal) are read from there
            return new SealChain(last.from(), at, HexFormat.of().parseHex(last.field("chain")));
        }
        if (end == 0) {
            // an empty journal: a new one, begun where an old one was deleted; its seals are kept aside, not this one's
            final Path aside = JournalSeals.setAside(directory, "replaced");
            LOG.warn("journal {} is empty, and its seals ({}) are of records up to sequence {}: a journal deleted and begun"
                    + " anew; those seals are set aside as {}", directory, JournalSeals.FILE, at, aside);
            return new SealChain(1);
        }
        // the journal no longer gives its last seal: kept in the file, where verify finds it not holding; sealing goes on as
        // found, said so in the seal (a key's holder alone could have hidden it)
        adopted[0] = end;
        LOG.error("journal {}: its last seal ({}, sequence {}) does not hold: the journal {} that record as sealed (records"
                + " changed, cut, or lost to a power loss under journal.sync none); the records now there are sealed as found,"
                + " not as written, from sequence {}; `ringfence verify` names what changed", directory, JournalSeals.FILE, at,
                held == RecordFingerprint.NONE ? "no longer holds" : "holds other content than", first);
        return new SealChain(archivedFrom(journal, first));
    }

    /** Where a new chain begins: sequence 1 when the archive holds the records before {@code first}, else {@code first}. */
    private static long archivedFrom(final Journal journal, final long first) {
        return first > 1 && ArchivedCycles.of(journal.directory()).through() >= first - 1 ? 1 : first;
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
                // a chain's first seal at once (a crash before it would leave its records unsealed), then every everyMillis
                if (System.nanoTime() - sealedAt >= everyMillis * 1_000_000L || sealedThrough < chain.from()) {
                    seal();
                }
                if (filler != null && !filler.done()) {
                    try {
                        filler.step(journal, () -> closing);
                    } catch (final RuntimeException e) { // the index is a shortcut: never a reason to stop sealing
                        LOG.warn("journal {}: completing the key index stopped ({})", directory, e.toString());
                        filler = null;
                    }
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
            if (chain.last() + 1 < journal.firstSequence()) {
                readArchive();
                if (chain.last() + 1 < journal.firstSequence()) {
                    return; // stopped by a close, or the archive ended short (its failure said): the directory's records wait
                }
            }
            if (!positioned) {
                if (!reader.seek(chain.last() + 1)) {
                    return; // nothing after the chain yet
                }
                positioned = true;
                if (keyIndex != null) { // the block the chain carries on in, read from its first record (once)
                    keyIndex.backfill(journal, chain.last() + 1);
                }
            }
            long n = 0;
            while (reader.next(adder)) {
                if ((++n & 0xfff) == 0 && (closing || System.nanoTime() > closingBy)) {
                    return; // a close waits: what is left is sealed by a later start
                }
            }
        } catch (final RuntimeException e) {
            fail(e);
        }
    }

    /** Carries the chain over the records before the directory's first, from the journal's archive. */
    private void readArchive() {
        try (Journal archive = Journal.openArchive(journal.config())) {
            if (archive != null) {
                try (JournalReader r = archive.reader()) {
                    if (r.seek(chain.last() + 1)) {
                        long n = 0;
                        while (r.next(adder)) {
                            if ((++n & 0xfff) == 0 && (closing || System.nanoTime() > closingBy)) {
                                return;
                            }
                        }
                    }
                }
            }
        } catch (final JournalException e) {
            if (chain.last() < chain.from() && sealedThrough < chain.from()) {
                // nothing taken yet: the chain begins at the directory's first, and verify says the archived are not sealed
                LOG.warn("journal {}: its archive cannot be read ({}): sealing begins at sequence {}, the archived records before"
                        + " it stay unsealed", directory, e.getMessage(), journal.firstSequence());
                chain = new SealChain(journal.firstSequence());
                return;
            }
            throw e;
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
        if (keyIndex != null) {
            keyIndex.add(sequence, ingestTimeMicros, sourceId, clientSeq, payload, offset, length);
        }
    }

    /** Appends a seal line when records were taken since the last. Under {@link #lock}. */
    private void seal() {
        sealedAt = System.nanoTime();
        if (chain.last() > sealedThrough) {
            try {
                JournalSeals.appendSeal(directory, chain.from(), chain.last(), chain.hex(), journal.recordFingerprint(chain.last()),
                        adopted, key); // the whole range found, even when this first seal stops short of it (review)
                adopted = 0; // said once, in the chain's first line, which is where verify sees a chain begin
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
        closing = true; // a long first read (a large journal found without seals) stops, and what it read is sealed
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
            closing = false; // this last read takes what the appends left since the last pass (a long backlog: stops early)
            closingBy = System.nanoTime() + CLOSE_READ_NANOS;
            pass();
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
    }
}
