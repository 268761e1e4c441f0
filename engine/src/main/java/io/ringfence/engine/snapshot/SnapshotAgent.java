package io.ringfence.engine.snapshot;

import io.ringfence.journal.RecordFingerprint;
import io.ringfence.journal.snapshot.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

/**
 * Takes snapshots without stopping the engine for the disk: the business stage serialises its
 * state between two events into an off-heap buffer ({@link #tryAcquire}), the dispatch stage
 * appends the output side's state once that event is dispatched ({@link #complete}), and this
 * agent's own thread ({@code rf-snapshot}) writes the buffer out through a {@link SnapshotStore}
 * (temporary file, CRC32C, force, atomic rename, pruning).
 *
 * <p>Two buffers circulate: while one is being written the next snapshot can be taken; when both
 * are busy a due snapshot waits for the next event ({@link SnapshotPolicy}) instead of blocking
 * the business thread or piling up memory. A failed write is logged and counted; the journal
 * stays the source of truth and the next snapshot tries again.
 *
 * <p>Buffers are grown ahead, here, not on the business thread: the business stage publishes an
 * upper bound of its state's size from time to time ({@link #expectBusinessBytes}, a volatile
 * write), and this thread, between writes and every {@value #GROW_CHECK_MILLIS} ms, swaps a
 * larger, already touched buffer into the free buffer the next snapshot will take (1.25x the
 * bound plus the output side's, and at least 1.5x the buffer it replaces). A snapshot that still
 * outgrows its buffer grows it on the business thread (correct, only slower); that is counted
 * ({@link #grownOnEngine()}) and logged.
 */
public final class SnapshotAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotAgent.class);
    private static final int BUFFERS = 2;
    private static final int INITIAL_BYTES = 1 << 20;
    static final int OUTPUT_MARKER = 0x4F555450; // "OUTP"
    static final int END_MARKER = 0x454E4421; // "END!"
    /** How often the writer thread, when idle, checks that the next snapshot's buffer is large enough. */
    static final long GROW_CHECK_MILLIS = 20;
    /** Bytes added to every size bound for the markers and counters around the sections. */
    private static final long SLACK = 64 * 1024;
    /** Buffers are sized in whole MiB. */
    private static final long ROUND = 1 << 20;
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8L - ROUND;

    private final SnapshotStore store;
    private final byte[] digest;
    private final SnapshotPolicy policy;
    private final OutputState outputState;
    private final Runnable beforeRename;
    /** Told the oldest snapshot kept after each write (the journal's archiving); nothing by default. */
    private volatile java.util.function.LongConsumer afterWrite = oldest -> { };
    private final LongUnaryOperator journalRecords;
    /** Free buffers, most recently written (and so pre-sized) first: a snapshot takes the one sized for it. */
    private final LinkedBlockingDeque<StateWriter> free = new LinkedBlockingDeque<>(BUFFERS);
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final Thread thread;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long lastSequence = -1;
    /** The highest sequence whose snapshot was written or given up (not taken, failed): what {@link #settledThrough} says. */
    private final AtomicLong settledThrough = new AtomicLong(-1);
    /** The file of the last snapshot written, or null. */
    private volatile Path lastFile;
    private volatile long lastBytes;
    private volatile long lastBusinessPauseNanos;
    private volatile long maxBusinessPauseNanos;
    /** The thread that serialised the last snapshot's business state: the live engine's, or a replica's. */
    private volatile String lastTakenOn = "";
    /** The dispatch thread's part of the last snapshot (the output side's state) and the longest; written by that thread only. */
    private volatile long lastOutputPauseNanos;
    private volatile long maxOutputPauseNanos;
    /** Content bytes of all snapshots written; written by this agent's thread only. */
    private volatile long bytesWritten;
    /** Upper bound of the business state's size, published by the business thread. */
    private volatile long businessBytesBound;
    /** Buffers grown ahead by this agent's thread; written by that thread only. */
    private volatile long grownAhead;
    /** Snapshots whose buffer still grew while the state was written (business or dispatch thread). */
    private final AtomicLong grownOnEngine = new AtomicLong();
    /** Snapshots put off because the free buffer was too small while the other was being written. */
    private final AtomicLong deferredForRoom = new AtomicLong();
    /** Business thread: a snapshot is being put off for room (counted once per such wait). */
    private boolean waitingForRoom;
    /**
     * Business thread: the capacity a replay's due snapshot put off for its buffer waits for (the state's bound when it
     * fell due, plus 1/8), 0 when none is: a fixed target, not the bound, which grows on at replay speed
     * ({@link #growingAheadFor}).
     */
    private long putOffFor;
    /**
     * A due snapshot of a state above this many bytes is put off for a buffer that fits ({@link #tryAcquire}): set for a
     * recovery's replay ({@link #replaying}) and when live ({@link #putOffWhenTooSmall}).
     */
    private volatile long putOffAbove = Long.MAX_VALUE;
    /** A recovery's replay runs through this agent ({@link #replaying}): snapshots wait for buffers grown ahead. */
    private volatile boolean replaying;
    /** The largest state whose spare buffer is grown too ({@link #presizeSpare}); tests lower it. */
    private volatile long spareUpTo = PUT_OFF_ABOVE_BYTES;
    /** Snapshots written after the event they fell due at, once live; written by the writer thread only. */
    private volatile long late;
    /** The engine is live ({@link #putOffWhenTooSmall}): late snapshots and folded points count from then on. */
    private volatile boolean live;
    /** Points the recovery's replay folded, before the engine went live. */
    private volatile long foldedBeforeLive;
    /** Writer thread: the fold of policy points was warned about. */
    private boolean warnedFolded;
    /** Writer thread: how long the last snapshot took to write, for the warning. */
    private long lastWriteMillis;
    /** Writer thread: {@link #deferredForRoom} as last logged. */
    private long loggedDeferrals;
    /** Snapshots handed to the writer thread and not yet back in the free list. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    /** Size of the snapshot last handed to the writer thread (dispatch thread writes, business thread reads). */
    private volatile long inFlightBytes;
    /** A bound this thread could not allocate a buffer for (direct memory exhausted); not retried until it rises. */
    private volatile long failedBound;
    /** Business thread: the last state bound was beyond the format's limit (logged once per crossing). */
    private boolean tooLarge;
    private long businessStarted;
    private int acquiredCapacity;
    private boolean closed;

    private record Pending(StateWriter writer, long sequence, long businessNanos, long outputNanos, int grewFrom, long dueAt) {
    }

    /**
     * @param outputState  the output side's state, or null when there is none
     * @param beforeRename run by the writer thread between force and rename (tests), or null
     */
    public SnapshotAgent(final SnapshotStore store, final byte[] digest, final SnapshotPolicy policy,
                         final OutputState outputState, final Runnable beforeRename) {
        this(store, digest, policy, outputState, beforeRename, null);
    }

    /**
     * @param journalRecords the fingerprint of the journal's record at a sequence ({@code Journal::recordFingerprint}),
     *                       written into each snapshot so start-up continues only snapshots of this journal; null for none
     */
    public SnapshotAgent(final SnapshotStore store, final byte[] digest, final SnapshotPolicy policy,
                         final OutputState outputState, final Runnable beforeRename, final LongUnaryOperator journalRecords) {
        this.journalRecords = journalRecords;
        this.store = store;
        this.digest = digest.clone();
        this.policy = policy;
        this.outputState = outputState;
        this.beforeRename = beforeRename;
        for (int i = 0; i < BUFFERS; i++) {
            free.addLast(new StateWriter(INITIAL_BYTES));
        }
        thread = new Thread(this::run, "rf-snapshot");
        thread.setDaemon(true);
        thread.start();
    }

    public SnapshotPolicy policy() {
        return policy;
    }

    /**
     * Any thread: whether no snapshot is being written, so a due snapshot still pending would find
     * a buffer now (two volatile reads; see {@code Pipeline.offerDueSnapshot}).
     */
    public boolean idle() {
        return inFlight.get() == 0;
    }

    /**
     * Business thread: a free buffer to write the state into (reset), or null while both are being written, or while
     * one is and the other is too small for the state (its last snapshot's size): the one in flight comes back sized
     * for it, and the snapshot stays due until then. The other used to grow on the engine thread instead, from its
     * initial MiB: pauses of 2.7-5.7 s for a 306 MB state after each restart on a slow disk (trial), where snapshots fell
     * due faster than they were written. Only for a state above the bound {@link #putOffWhenTooSmall} sets once live,
     * and in a recovery's replay ({@link #replaying}): there a snapshot put off is taken at a later event of the replay,
     * or at its end ({@code Engine}'s end-of-replay snapshot of a pending one), not at the policy's multiple. A state
     * that fits is snapshotted at the due event as before.
     */
    public StateWriter tryAcquire() {
        final StateWriter front = free.peekFirst();
        if (front == null) {
            return null;
        }
        final long needed = Math.max(lastBytes, inFlightBytes);
        if (needed > putOffAbove && inFlight.get() > 0 && front.capacity() < needed + SLACK || replaying && growingAheadFor(front)) {
            if (!waitingForRoom) {
                waitingForRoom = true;
                deferredForRoom.incrementAndGet();
            }
            return null;
        }
        waitingForRoom = false;
        final StateWriter w = free.pollFirst();
        if (w != null) {
            putOffFor = 0;
            w.reset();
            acquiredCapacity = w.capacity();
            businessStarted = System.nanoTime();
        }
        return w;
    }

    /**
     * In a recovery's replay ({@link #replaying}): whether {@code front} is smaller than a large state's published
     * bound and this agent's thread will grow it (ahead, or as the buffer in flight comes back): the due snapshot waits
     * for that rather than grow the buffer on the engine thread. During a replay the state grows at replay speed, faster
     * than the last snapshot's size says (audit, 1 M users: the front buffer grew from 123 to 278 MB on the engine
     * thread, a 3.9 s pause); a replay has the next event at once, and its end takes a snapshot still pending. Not live,
     * nor in a replica following a live journal: there a due snapshot waits for an event that may not come, and the bound
     * overstates the state (up to ~2.4x).
     */
    private boolean growingAheadFor(final StateWriter front) {
        final long bound = expectedBytes();
        if (bound <= putOffAbove || bound > MAX_BYTES || bound <= failedBound) {
            return false; // small, beyond the format, or beyond the memory this agent could allocate: grown here if need be
        }
        if (putOffFor == 0) {
            // the bound when it fell due, not the bound now: a replay's state grows at replay speed, and chasing the bound
            // put off every snapshot of a 300 k-event replay to its end (the grown buffer is 1.25x the bound then)
            putOffFor = bound + bound / 8;
        }
        // no more than this agent's thread grows the buffer to now (review: a bound that fell since, or one near the
        // format's limit, where growAhead stops short, kept the snapshot waiting to the end of the replay)
        return front.capacity() < Math.min(putOffFor, Math.min(MAX_BYTES, bound + bound / 8));
    }

    /** Business thread, for a requested snapshot (shutdown): waits up to a minute for a buffer; null if none came. */
    public StateWriter acquire() {
        try {
            final StateWriter w = free.pollFirst(1, java.util.concurrent.TimeUnit.MINUTES);
            if (w != null) {
                putOffFor = 0; // a requested snapshot takes the place of one put off
                w.reset();
                acquiredCapacity = w.capacity();
                businessStarted = System.nanoTime();
            }
            return w;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Business thread: whether a state of {@code boundBytes} (its {@code stateBytesBound}) can be
     * written at all: a snapshot's content is one buffer of at most 2 GiB (the format's limit).
     * False is logged once per crossing and counted as a failed snapshot; the engine goes on, and
     * recovery replays the journal from the snapshot before.
     */
    public boolean fits(final long boundBytes, final long sequence) {
        final long total = boundBytes + (outputState == null ? 0 : outputState.stateBytesBound()); // complete() appends it
        if (total <= MAX_BYTES - SLACK) {
            tooLarge = false;
            return true;
        }
        if (!tooLarge) {
            tooLarge = true;
            LOG.error("snapshot at sequence {} not taken: the business state may need {} bytes, beyond the snapshot format's"
                    + " limit of {} bytes (one buffer); no snapshot is taken while it stays that large, so a restart replays the"
                    + " journal from the last snapshot. Lower the state caps or split the shop (docs/recovery.md \"Snapshots and recovery\")",
                    sequence, total, MAX_BYTES - SLACK);
        }
        failed.incrementAndGet();
        settled(sequence);
        policy.taken();
        return false;
    }

    /**
     * Business or dispatch thread: writing the snapshot into {@code w} failed (a state beyond the
     * buffer's limit, or no direct memory to grow it): the buffer goes back, the failure is logged
     * and counted, the engine goes on (the journal has every event).
     */
    public void abandon(final StateWriter w, final long sequence, final Throwable why) {
        failed.incrementAndGet();
        w.reset();
        free.offerFirst(w);
        settled(sequence);
        LOG.error("snapshot at sequence {} not taken: {}; the engine goes on, a restart replays the journal from the snapshot"
                + " before", sequence, String.valueOf(why), why);
    }

    /** Business thread: the state is in {@code w}; records how long that took. */
    public void businessWritten(final StateWriter w) {
        final long pause = System.nanoTime() - businessStarted;
        lastBusinessPauseNanos = pause;
        if (pause > maxBusinessPauseNanos) {
            maxBusinessPauseNanos = pause;
        }
        w.dueAt = policy.dueAt(); // before taken(): -1 for a requested snapshot the policy did not ask for
        policy.taken();
        lastTakenOn = Thread.currentThread().getName();
        w.businessNanos = pause;
        w.grewFrom = w.capacity() > acquiredCapacity ? acquiredCapacity : -1;
    }

    /**
     * Business thread: an upper bound of the bytes {@code BusinessLogic.writeState} would write now
     * (cheap to compute: table sizes times entry sizes). A volatile write, no allocation; the
     * writer thread grows the next snapshot's buffer to fit it before the snapshot falls due.
     */
    public void expectBusinessBytes(final long bytes) {
        if (bytes != businessBytesBound) {
            businessBytesBound = bytes;
        }
    }

    /**
     * Dispatch thread, once the snapshot's event is dispatched: adds the output side's state and
     * hands the snapshot to the writer thread.
     */
    public void complete(final StateWriter w, final long sequence) {
        final long businessNanos = w.businessNanos;
        final int capacityBefore = w.capacity();
        final long started = System.nanoTime();
        try {
            w.putInt(OUTPUT_MARKER);
            final int lengthAt = w.position();
            w.putInt(0);
            if (outputState != null) {
                outputState.writeState(w);
            }
            w.putIntAt(lengthAt, w.position() - lengthAt - Integer.BYTES);
            w.putInt(END_MARKER);
        } catch (final RuntimeException | OutOfMemoryError e) {
            abandon(w, sequence, e); // beyond the buffer's limit, or no direct memory: the dispatch goes on
            return;
        }
        final int grewFrom = w.grewFrom >= 0 ? w.grewFrom : w.capacity() > capacityBefore ? capacityBefore : -1;
        if (grewFrom >= 0) {
            grownOnEngine.incrementAndGet();
        }
        final long outputNanos = System.nanoTime() - started;
        lastOutputPauseNanos = outputNanos;
        if (outputNanos > maxOutputPauseNanos) {
            maxOutputPauseNanos = outputNanos;
        }
        inFlightBytes = w.position();
        inFlight.incrementAndGet();
        if (!queue.offer(new Pending(w, sequence, businessNanos, outputNanos, grewFrom, w.dueAt))) {
            inFlight.decrementAndGet();
            // cannot happen with BUFFERS writers and a larger queue; never block dispatch
            free.offerFirst(w);
            LOG.warn("snapshot at sequence {} dropped: the writer queue is full", sequence);
        }
    }

    /**
     * Reads the output side's section, the counterpart of {@link #complete} (it follows the
     * business section). An engine without an output side (tools, tests) skips it; one with an
     * output side refuses a snapshot that has none, since its clients' sequences would be lost.
     */
    /**
     * Content offset of the output section (its marker), found from the end: the last {@code OUTPUT_MARKER} whose
     * length reaches exactly the end marker; -1 when the content does not end that way.
     */
    static int outputSectionAt(final java.nio.ByteBuffer content) {
        final int limit = content.limit();
        if (limit < 12 || content.getInt(limit - 4) != END_MARKER) {
            return -1;
        }
        for (int at = limit - 12; at >= 0; at--) {
            if (content.getInt(at) == OUTPUT_MARKER && content.getInt(at + 4) == limit - 12 - at) {
                return at;
            }
        }
        return -1;
    }

    public static void readOutputSection(final StateReader r, final OutputState outputState) {
        r.expect(OUTPUT_MARKER, "output");
        final int length = r.getInt("output section length", 0, r.remaining());
        if (outputState == null) {
            r.skip(length);
        } else if (length == 0) {
            throw new SnapshotFormatException("it was taken without the output side's state (client sequences and answers)");
        } else {
            final int end = r.position() + length;
            outputState.readState(r);
            if (r.position() != end) {
                throw new SnapshotFormatException("the output section is " + length + " bytes but " + (r.position() - end + length) + " were read");
            }
        }
        r.expect(END_MARKER, "end");
        if (r.remaining() != 0) {
            throw new SnapshotFormatException(r.remaining() + " unread bytes after the end marker");
        }
    }

    private void run() {
        while (true) {
            final Pending p;
            try {
                p = queue.poll(GROW_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (p != null) {
                if (p.writer() == null) {
                    return; // close()
                }
                write(p);
            }
            growAhead();
        }
    }

    /**
     * Writer thread: when the free buffer the next snapshot takes (the first in line) is smaller
     * than the published bound plus 1/8, allocates one of 1.25x the bound, and at least 1.5x the
     * one it replaces (its pages touched here, a page at a time: {@link SnapshotMemory}) and swaps it in. The
     * first-in-line writer leaves the free list only for the swap of a reference, so a snapshot due
     * meanwhile still finds a buffer. Only while no snapshot is waiting to be written: the other
     * buffer, next in line during a write, is used only when snapshots fall due faster than they
     * are written, so it keeps its size (and grows on the engine thread if it must) rather than
     * doubling the memory held. The 1.5x step keeps a state that grows for minutes from
     * being followed in small steps: each step allocates and touches a whole new buffer (steps of
     * ~1.1x touched ten times the final size, 1.6 GB for a 125 MB state, CPU taken from the engine
     * on a 2-core machine); with 1.5x it is at most three times, for a buffer up to 1.7x the state.
     */
    private void growAhead() {
        if (free.size() < BUFFERS) {
            return; // one is queued for writing: the free one is only a stand-in, not worth a second large buffer
        }
        final long bound = expectedBytes();
        final StateWriter front = free.peekFirst();
        if (bound > MAX_BYTES) {
            return; // beyond the format's limit: fits() refuses such snapshots, so no 2 GiB buffer for one
        }
        if (bound <= SLACK || bound <= failedBound || front == null || front.capacity() >= Math.min(MAX_BYTES, bound + bound / 8)) {
            return;
        }
        final int size = (int) Math.min(MAX_BYTES, Math.max(sizeFor(bound), front.capacity() + (long) front.capacity() / 2));
        final SnapshotMemory larger;
        try {
            larger = SnapshotMemory.allocate(size);
        } catch (final OutOfMemoryError e) {
            failedBound = bound + bound / 4; // the thread must live on: it also writes the snapshots
            LOG.warn("snapshot buffer not grown ahead to {} bytes ({}); the next snapshot grows it on the engine thread "
                    + "({})", size, e.getMessage(), SnapshotMemory.limitHint(e));
            return;
        }
        if (free.removeFirstOccurrence(front)) {
            final int from = front.capacity();
            final SnapshotMemory old = front.replaceMemory(larger);
            free.offerFirst(front);
            old.free();
            grownAhead++;
            LOG.info("snapshot buffer grown ahead from {} to {} bytes (state bound {} bytes)", from, larger.capacity(), bound);
        } else {
            larger.free(); // a snapshot took it meanwhile; next time
        }
    }

    /** The published business bound plus the output side's, plus slack for markers. */
    private long expectedBytes() {
        final long business = businessBytesBound;
        if (business <= 0) {
            return 0;
        }
        return business + (outputState == null ? 0 : outputState.stateBytesBound()) + SLACK;
    }

    /**
     * Writer thread: a snapshot taken after the event it fell due at (both buffers were busy) is counted and said, and
     * policy points folded into a later snapshot are warned about once (trial: everyEvents 10000 at 25 k/s wrote 108399,
     * 129390, 146258 and nothing at INFO or WARN said why).
     */
    private void logLate(final Pending p) {
        if (!live || p.dueAt() < 0 || p.dueAt() >= p.sequence()) {
            return; // a recovery's replay runs far faster than live traffic: its snapshots falling late say nothing of the policy
        }
        late = late + 1; // writer thread only
        final long folded = foldedDuePoints();
        LOG.info("snapshot at sequence {} fell due at sequence {}: taken {} events later, when a snapshot buffer came free ({} late,"
                + " {} policy points folded into a later snapshot so far)", p.sequence(), p.dueAt(), p.sequence() - p.dueAt(), late, folded);
        if (folded > 0 && !warnedFolded) {
            warnedFolded = true;
            LOG.warn("snapshots in {} fall due faster than they are written: {} of the policy's points were folded into a later"
                    + " snapshot (the one at sequence {} took {} ms to write). Raise snapshot.everyEvents / snapshot.everyEventTime"
                    + " (docs/recovery.md \"Snapshots and recovery\"); said once, counted in ringfence_snapshot_due_points_folded_total",
                    store.directory(), folded, p.sequence(), lastWriteMillis);
        }
    }

    /** Snapshots written after the event they fell due at (both buffers busy); the writer thread counts. */
    public long late() {
        return late;
    }

    /** Policy points folded into a later snapshot, since the engine went live, because one was still due (see {@link SnapshotPolicy#folded}). */
    public long foldedDuePoints() {
        return live ? policy.folded() - foldedBeforeLive : 0;
    }

    /** 1.25x {@code bytes}, rounded up to a whole MiB, at most what a direct buffer can hold. */
    private static int sizeFor(final long bytes) {
        final long target = bytes + bytes / 4;
        return (int) Math.min(MAX_BYTES, (target + ROUND - 1) / ROUND * ROUND);
    }

    private void write(final Pending p) {
        final StateWriter w = p.writer();
        final int bytes = w.position();
        final int capacity = w.capacity();
        boolean ok = false;
        try {
            final long started = System.nanoTime();
            final long record = journalRecords == null ? RecordFingerprint.NONE : journalRecords.applyAsLong(p.sequence());
            if (journalRecords != null && record == RecordFingerprint.NONE) {
                // its journal record could not be read back: such a file passed its CRC, pruned usable snapshots and was
                // refused at the next start (journal review of 2026-12-06); counted as a failed write instead
                throw new io.ringfence.journal.JournalException("the journal's record at sequence " + p.sequence()
                        + " could not be read back for the snapshot's fingerprint; the snapshots before it are kept");
            }
            final Path file = store.write(p.sequence(), digest, record, w.buffer(), bytes, beforeRename);
            presizeBuffers(w, Math.max(bytes, expectedBytes())); // the state may have grown past this one since
            ok = true;
            lastWriteMillis = (System.nanoTime() - started) / 1_000_000;
            logLate(p); // counted before lastSequence says it is written (review: a reader of both saw the count late)
            lastSequence = p.sequence();
            lastFile = file;
            lastBytes = bytes;
            bytesWritten += bytes; // this thread only
            LOG.info("snapshot at sequence {} written to {}: {} bytes; {} paused {} us (business) + {} us (output side); written in {} ms",
                    p.sequence(), file.getFileName(), bytes, lastTakenOn, p.businessNanos() / 1_000, p.outputNanos() / 1_000,
                    lastWriteMillis);
            try {
                afterWrite.accept(store.oldestSequence());
            } catch (final RuntimeException e) { // the snapshot is written; what follows it must not count it failed
                LOG.error("after the snapshot at sequence {}: {}", p.sequence(), e.toString(), e);
            }
            final long deferred = deferredForRoom.get();
            if (deferred > loggedDeferrals) {
                loggedDeferrals = deferred;
                LOG.info("snapshot at sequence {} in {}: the next one fell due while it was being written, with the other buffer"
                        + " too small for the state ({} bytes): put off until this buffer came back ({} such waits so far)",
                        p.sequence(), store.directory(), bytes, deferred);
            }
            if (p.grewFrom() >= 0) {
                // self-contained (the INFO line with the pause is not on a server's console) and naming the directory (a
                // server's warm-up engine snapshots in a scratch one: trial)
                LOG.warn("snapshot at sequence {} in {}: its buffer grew on the engine thread from {} to {} bytes (state bounds: business"
                        + " {} bytes published, output side {} bytes, e.g. the answers kept for resends), within its pause of {} us"
                        + " (business) + {} us (output side)", p.sequence(), store.directory(), p.grewFrom(), capacity, businessBytesBound,
                        outputState == null ? 0 : outputState.stateBytesBound(), p.businessNanos() / 1_000, p.outputNanos() / 1_000);
            }
        } catch (final RuntimeException e) {
            failed.incrementAndGet();
            if (e instanceof io.ringfence.journal.JournalException) {
                // a condition the message says in full (the disk's reserve, a directory gone): no stack trace per snapshot
                LOG.error("snapshot at sequence {} could not be written (the journal still has every event): {}", p.sequence(), e.getMessage());
            } else {
                LOG.error("snapshot at sequence {} could not be written (the journal still has every event): {}", p.sequence(), e.toString(), e);
            }
        } finally {
            free.offerFirst(w);
            inFlight.decrementAndGet(); // after the buffer is back: a due snapshot put off for room finds it
            if (ok) {
                written.incrementAndGet(); // after the buffer is back: a caller that saw the count can take it
                presizeSpare(Math.max(bytes, expectedBytes()));
            }
            settled(p.sequence());
        }
    }

    /**
     * Writer thread, after a write whose buffer is back at the front: grows the other free buffer to 1.25x
     * {@code stateBytes} too when the state is small enough that a due snapshot is not put off for room ({@link #PUT_OFF_ABOVE_BYTES}).
     * That buffer is taken only when snapshots fall due faster than they are written (a restarted server taking its
     * clients' resends), and below the put-off bound it was grown on the engine thread, within the pause (operator
     * trial: 0.26-0.69 s for a 27 MB state right after a restart). At most 1.25x 64 MiB more direct memory; larger
     * states keep one buffer of their size and put a snapshot off instead.
     */
    private void presizeSpare(final long stateBytes) {
        if (stateBytes > spareUpTo) { // the state's size, not the front buffer's, which grows ahead by up to 1.7x (review)
            return;
        }
        final int bytes = sizeFor(stateBytes);
        final StateWriter spare = free.pollLast();
        if (spare == null) {
            return;
        }
        try {
            if (spare.capacity() < bytes && free.size() > 0) { // the front one is free: a snapshot due meanwhile takes it
                presize(spare, bytes);
            }
        } catch (final OutOfMemoryError e) {
            LOG.warn("spare snapshot buffer not grown to {} bytes ({}); a snapshot due while another is written grows it on the"
                    + " engine thread ({})", bytes, e.getMessage(), SnapshotMemory.limitHint(e));
        } finally {
            free.offerLast(spare);
        }
    }

    /**
     * Writer thread: grows {@code w} to 1.25x the snapshot just written, or the state's bound now if larger (at most
     * {@link Integer#MAX_VALUE} - 8 bytes) before handing it back at the front of the free list, so
     * that the next snapshot's state lands in memory that is already allocated and touched. Without
     * this the business thread grew the buffer in ~1.5x steps while writing, each a fresh zeroed
     * direct buffer plus a copy: on this VM, where the first touch of each page costs 3-5 us, an
     * 88 MB state paused the engine for 0.85 s. The other buffer is grown after this one is back
     * ({@link #presizeSpare}), for states up to {@link #PUT_OFF_ABOVE_BYTES} only.
     */
    private void presizeBuffers(final StateWriter w, final long lastBytes) {
        final long size = Math.min(Integer.MAX_VALUE - 8L, lastBytes + lastBytes / 4);
        try {
            presize(w, (int) size);
        } catch (final OutOfMemoryError e) {
            failedBound = Math.max(failedBound, lastBytes); // growAhead does not try again below it
            LOG.warn("snapshot buffer not grown to {} bytes after a write ({}); the next snapshot grows it on the engine thread "
                    + "({})", size, e.getMessage(), SnapshotMemory.limitHint(e));
        }
    }

    private static void presize(final StateWriter w, final int bytes) {
        if (w.capacity() < bytes) {
            // allocated and touched here, not on the engine thread; the old one freed at once
            w.replaceMemory(SnapshotMemory.allocate(bytes)).free();
        }
    }

    /**
     * Before the pipeline starts (recovery): size the buffer the next snapshot takes for a state
     * like the one just loaded, so the first snapshot after a restart does not grow it on the
     * engine thread. The other one only for a state of up to {@link #PUT_OFF_ABOVE_BYTES} ({@link #presizeSpare}):
     * sizing both held ~0.5 GB more direct memory after every restart of a 230 MB state (soak trial), and a larger
     * state's snapshot is put off for room rather than grown on the engine thread.
     */
    public void expectStateBytes(final long bytes) {
        final StateWriter w = free.pollFirst();
        if (w == null) {
            return;
        }
        final int size = (int) Math.min(Integer.MAX_VALUE - 8L, bytes + bytes / 4);
        try {
            presize(w, size);
        } catch (final OutOfMemoryError e) { // only a hint: a start never fails for it (review: it escaped recovery)
            LOG.warn("snapshot buffer not sized to {} bytes at start ({}); the first snapshot grows it on the engine thread"
                    + " ({})", size, e.getMessage(), SnapshotMemory.limitHint(e));
            return;
        } finally {
            free.offerFirst(w);
        }
        presizeSpare(bytes); // the other too, for a state small enough (a restart's resends bring snapshots close)
    }

    /**
     * A thread other than the engine's, before it requests a snapshot of a drained pipeline (the one that ends a
     * recovery): sizes the free buffer the snapshot will take for the state's bound now, here rather than in the
     * engine's pause (measured: 0.69 s for a 56 MB state after a restart under a new configuration).
     */
    public void makeRoom() {
        // a snapshot still being written comes back first in line and sized: wait for it (up to a minute) rather than
        // size the other buffer too, which would hold twice the memory for good (review)
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (free.size() < BUFFERS && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (free.size() < BUFFERS) {
            return;
        }
        final StateWriter w = free.pollFirst();
        if (w != null) {
            try {
                presizeBuffers(w, expectedBytes()); // 1.25x, as grown ahead
            } finally {
                free.offerFirst(w);
            }
        }
    }

    /** Times this agent's thread swapped a larger buffer in ahead of a snapshot. Any thread. */
    public long grownAhead() {
        return grownAhead;
    }

    /** Snapshots whose buffer still had to grow on the engine (business or dispatch) thread. Any thread. */
    public long grownOnEngine() {
        return grownOnEngine.get();
    }

    /** Tests: grow the spare buffer only for states up to {@code bytes} (default {@link #PUT_OFF_ABOVE_BYTES}). */
    void spareUpTo(final long bytes) {
        spareUpTo = bytes;
    }

    /**
     * From now on a due snapshot is put off while the free buffer is too small and the other is being written (see
     * {@link #tryAcquire}), and late snapshots and folded policy points are counted and said (review: a recovery's replay
     * made them at replay speed, with advice to change a policy that is fine live); set when the engine goes live, with
     * the business stage idle.
     */
    public void putOffWhenTooSmall(final long aboveBytes) {
        foldedBeforeLive = policy.folded();
        live = true;
        replaying = false;
        putOffAbove = aboveBytes;
    }

    /**
     * A recovery's replay of the journal is about to run through this agent, with the business stage idle: until
     * {@link #putOffWhenTooSmall}, a due snapshot of a state above {@link #PUT_OFF_ABOVE_BYTES} is put off rather than
     * grow a buffer on the engine thread, both while the other buffer is written and while this agent's thread grows
     * the free one ({@link #growingAheadFor}). Audit: a journal-only recovery of a 272 MB state with snapshots every
     * 40,000 events grew buffers on the engine thread four times, 13.3 s of a 23.0 s recovery.
     */
    public void replaying() {
        putOffAbove = PUT_OFF_ABOVE_BYTES;
        putOffFor = 0;
        replaying = true;
    }

    /**
     * A live engine puts a snapshot off only for a state above this: growing a buffer for a smaller one costs
     * milliseconds, and a snapshot put off used to be taken at the next event only, so a quiet engine left it pending
     * (the 50-kill crash test, 9 MB states: a due snapshot then waited for an event that never came; a quiet publisher
     * now offers a marker for it, {@code Pipeline.offerDueSnapshot}).
     */
    public static final long PUT_OFF_ABOVE_BYTES = 64L << 20;

    /** Whether this agent writes a live engine's snapshots ({@link #putOffWhenTooSmall} was called): late ones are counted. */
    public boolean live() {
        return live;
    }

    /** How many times a due snapshot was put off until the buffer being written came back (see {@link #tryAcquire}). */
    public long deferredForRoom() {
        return deferredForRoom.get();
    }

    /** Capacity of the free buffer the next snapshot would take, or 0 when both are being written. Any thread. */
    public long readyBytes() {
        final StateWriter front = free.peekFirst();
        return front == null ? 0 : front.capacity();
    }

    /** The business state's size bound last published ({@link #expectBusinessBytes}). Any thread. */
    public long businessBytesBound() {
        return businessBytesBound;
    }

    /** Snapshots written so far. Any thread. */
    public long written() {
        return written.get();
    }

    /**
     * The highest sequence whose snapshot has been written or given up (not taken for its size, no memory, a failed
     * write), or -1: a caller that took a snapshot of sequence S waits for this to reach S. Any thread.
     */
    public long settledThrough() {
        return settledThrough.get();
    }

    private void settled(final long sequence) {
        settledThrough.accumulateAndGet(sequence, Math::max);
    }

    /** Snapshot writes that failed. Any thread. */
    public long failed() {
        return failed.get();
    }

    /** Sequence of the last snapshot written, or -1. Any thread. */
    public long lastSequence() {
        return lastSequence;
    }

    /**
     * Tells {@code listener}, after each snapshot written (on the writing thread), the sequence of the oldest snapshot
     * then kept: the journal's events up to it may be archived ({@link io.ringfence.journal.Journal#archiveThrough}).
     */
    public SnapshotAgent afterEachWrite(final java.util.function.LongConsumer listener) {
        this.afterWrite = java.util.Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The file of the last snapshot written ({@link #lastSequence()}'s), or null. Any thread. */
    public Path lastFile() {
        return lastFile;
    }

    /** Content bytes of the last snapshot written. */
    public long lastBytes() {
        return lastBytes;
    }

    /** How long the business thread spent on the last snapshot's state. */
    /** The thread that paused to serialise the last snapshot's business state ({@code rf-engine}, or {@code rf-replica}); empty before the first. */
    public String lastTakenOn() {
        return lastTakenOn;
    }

    public long lastBusinessPauseNanos() {
        return lastBusinessPauseNanos;
    }

    /** The longest time the business thread spent on a snapshot's state since start. */
    public long maxBusinessPauseNanos() {
        return maxBusinessPauseNanos;
    }

    /** How long the dispatch thread spent on the last snapshot's output side (client sequences and answers). */
    public long lastOutputPauseNanos() {
        return lastOutputPauseNanos;
    }

    /** The longest time the dispatch thread spent on a snapshot's output side since start. */
    public long maxOutputPauseNanos() {
        return maxOutputPauseNanos;
    }

    /** Content bytes of all snapshots written since start. Any thread. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /**
     * Writes what was handed over already, then stops the thread (waiting for it even if
     * interrupted). Call after the pipeline has drained.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // not cut short by an interrupt: a caller may start another writer on the same store right after
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(new Pending(null, 0, 0, 0, -1, -1));
                break;
            } catch (final InterruptedException e) {
                interrupted = true;
            }
        }
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (final InterruptedException e) {
                interrupted = true;
            }
        }
        // the thread has stopped and the engine took its last snapshot; each writer is taken out before it is freed, so a
        // stage still running (a pipeline halted after a failure) can no longer take it, and finds no buffer instead
        StateWriter w;
        while ((w = free.pollFirst()) != null) {
            w.free();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
