package io.ringfence.gateway.bridge;

import io.ringfence.gateway.ClientSequences;
import io.ringfence.gateway.DisconnectReason;
import io.ringfence.gateway.SessionListener;
import io.ringfence.gateway.session.Client;
import io.ringfence.gateway.session.ClientRegistry;
import org.agrona.collections.Long2LongHashMap;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * What the engine side knows of each configured client, shared by the gateway I/O thread and the
 * engine's dispatch thread, keyed by the client's dense index:
 * <ul>
 *   <li>its live session (set by the I/O thread at logon and cleared at disconnect, read by
 *       dispatch to route the client's answers; a client has at most one live session);</li>
 *   <li>the last client sequence dispatched, hence journaled (written by dispatch, read by the
 *       I/O thread for {@code LogonAck});</li>
 *   <li>the last client sequence dispatched together with its message's fingerprint, a pair the
 *       dispatch thread alone writes (a seqlock, so the I/O thread never pairs a sequence with
 *       another message's fingerprint), for {@code LogonAck} too;</li>
 *   <li>the last client sequence accounted for: published into the ring or refused (or, past what this
 *       server remembers, said answered by the client at its logon), and the last one published (I/O
 *       thread only; the duplicate / reuse / gap check).</li>
 * </ul>
 * The key-to-index map is built before any thread starts and never changes, so concurrent reads
 * are safe; the shared per-client values are atomics written by one thread each.
 */
public final class ClientDirectory implements SessionListener, ClientSequences {
    private static final long NONE = -1;
    /** The largest client sequence a Logon may say was answered (2^62: room for any real numbering after it). */
    static final long MAX_CLAIM = 1L << 62;

    private final ClientRegistry registry;
    private final Long2LongHashMap indexByKey = new Long2LongHashMap(NONE);
    private final AtomicLongArray liveSession;
    private final AtomicLongArray journaledSeq;
    private final AtomicLongArray pairSeq;
    private final AtomicLongArray pairFingerprint;
    private final AtomicLongArray pairVersion; // odd while the dispatch thread rewrites the pair
    private final long[] accountedSeq;
    private final long[] publishedSeq;
    /** I/O thread: the client sent a business message this server accounted for (after that it forgets no refusal). */
    private final boolean[] sentSinceStart;
    private final Long2LongHashMap indexBySession = new Long2LongHashMap(NONE);
    private volatile LongSupplier lastEngineSequence = () -> -1;

    public ClientDirectory(final ClientRegistry registry) {
        this.registry = registry;
        final int n = registry.size();
        for (final Client client : registry.clients()) {
            indexByKey.put(client.key(), client.index());
        }
        liveSession = new AtomicLongArray(n);
        journaledSeq = new AtomicLongArray(n);
        pairSeq = new AtomicLongArray(n);
        pairFingerprint = new AtomicLongArray(n);
        pairVersion = new AtomicLongArray(n);
        accountedSeq = new long[n];
        publishedSeq = new long[n];
        sentSinceStart = new boolean[n];
    }

    public ClientRegistry registry() {
        return registry;
    }

    /** Where {@link #lastEngineSequence()} comes from once the engine runs. */
    void engineSequence(final LongSupplier supplier) {
        this.lastEngineSequence = supplier;
    }

    /** Dense index of the client with this key, or -1 when no such client is configured. */
    public int index(final long clientKey) {
        return (int) indexByKey.get(clientKey);
    }

    /** The client's live session, or 0. Any thread. */
    public long liveSession(final int index) {
        return liveSession.get(index);
    }

    /** Dispatch thread: the client's event with this sequence is journaled and answered. */
    void journaled(final int index, final long clientSeq) {
        journaledSeq.lazySet(index, clientSeq);
    }

    /**
     * Dispatch thread (or recovery before the gateway starts, on the thread that restores the snapshot): the message
     * journaled under {@code clientSeq} has this fingerprint. The only writer of the pair.
     */
    void fingerprinted(final int index, final long clientSeq, final long fingerprint) {
        final long version = pairVersion.getPlain(index);
        pairVersion.setOpaque(index, version + 1);
        VarHandle.storeStoreFence();
        pairSeq.setOpaque(index, clientSeq);
        pairFingerprint.setOpaque(index, fingerprint);
        pairVersion.setRelease(index, version + 2);
    }

    /** I/O thread (or recovery, before it starts): the last client sequence published or refused. */
    long accounted(final int index) {
        return accountedSeq[index];
    }

    /**
     * I/O thread: a message with this sequence was refused (not journaled); or recovery, before it
     * starts: a snapshot held refusals up to this sequence after the last journaled one.
     */
    void refused(final int index, final long clientSeq) {
        if (clientSeq > accountedSeq[index]) {
            accountedSeq[index] = clientSeq;
        }
    }

    /** I/O thread: a message with this sequence was refused as it came (not journaled). */
    void refusedNow(final int index, final long clientSeq) {
        sentSinceStart[index] = true;
        refused(index, clientSeq);
    }

    /** I/O thread: a message with this sequence was published into the ring (it will be journaled). */
    void published(final int index, final long clientSeq) {
        sentSinceStart[index] = true;
        publishedSeq[index] = clientSeq;
        if (clientSeq > accountedSeq[index]) {
            accountedSeq[index] = clientSeq;
        }
    }

    /** I/O thread (or recovery, before it starts): the last client sequence published into the ring. */
    long published(final int index) {
        return publishedSeq[index];
    }

    /** Recovery: a journaled event of this client; both sequences move up to it. */
    void recovered(final int index, final long clientSeq) {
        if (clientSeq > accountedSeq[index]) {
            accountedSeq[index] = clientSeq;
        }
        if (clientSeq > publishedSeq[index]) {
            publishedSeq[index] = clientSeq;
        }
        if (clientSeq > journaledSeq.get(index)) {
            journaledSeq.set(index, clientSeq);
        }
    }

    /** Recovery: forget what a refused snapshot restored (before the engine starts). */
    void resetRecovered() {
        for (int i = 0; i < accountedSeq.length; i++) {
            accountedSeq[i] = 0;
            publishedSeq[i] = 0;
            journaledSeq.set(i, 0);
            fingerprinted(i, 0, 0);
        }
    }

    @Override
    public void onLogon(final long sessionId, final long clientKey, final String clientId) {
        final int index = index(clientKey);
        if (index >= 0) {
            liveSession.set(index, sessionId);
            indexBySession.put(sessionId, index);
        }
    }

    @Override
    public void onDisconnect(final long sessionId, final DisconnectReason reason) {
        final long index = indexBySession.remove(sessionId);
        if (index != NONE) {
            liveSession.compareAndSet((int) index, sessionId, 0);
        }
    }

    @Override
    public long lastJournaledClientSeq(final long clientKey) {
        final int index = index(clientKey);
        return index < 0 ? 0 : journaledSeq.get(index);
    }

    /**
     * {@inheritDoc} Only before the client's first business message to this server: a server that has accounted for one
     * since it started forgets none of its refusals after it, so a claim then is no restart's (second review: a live
     * server took any claim, and skipped the numbers for good). At most {@link #MAX_CLAIM}: a client that claims
     * more could never send again.
     */
    @Override
    public long answeredByClient(final long clientKey, final long answeredClientSeq) {
        final int index = index(clientKey);
        if (index < 0 || answeredClientSeq <= accountedSeq[index]) {
            return 0;
        }
        if (sentSinceStart[index] || answeredClientSeq > MAX_CLAIM) {
            return IGNORED_CLAIM;
        }
        final long forgotten = answeredClientSeq - accountedSeq[index];
        accountedSeq[index] = answeredClientSeq;
        return forgotten;
    }

    @Override
    public long journaledFingerprint(final long clientKey, final long clientSeq) {
        final int index = index(clientKey);
        if (index < 0 || clientSeq <= 0) {
            return 0;
        }
        for (int attempt = 0; attempt < 16; attempt++) {
            final long before = pairVersion.getAcquire(index);
            final long seq = pairSeq.getOpaque(index);
            final long fingerprint = pairFingerprint.getOpaque(index);
            VarHandle.loadLoadFence();
            if ((before & 1) == 0 && pairVersion.getOpaque(index) == before) {
                return seq == clientSeq ? fingerprint : 0;
            }
            Thread.onSpinWait(); // the dispatch thread is rewriting it: a few stores
        }
        return 0;
    }

    @Override
    public long lastEngineSequence() {
        return lastEngineSequence.getAsLong();
    }
}
