package io.ringfence.gateway;

/**
 * What the engine has journaled for a client, reported in {@code LogonAck} so a reconnecting
 * client knows where to resume sending.
 *
 * <p>Called on the gateway I/O thread, once per successful logon, while the engine keeps
 * journaling on its own threads: implementations must be safe against that concurrency (for
 * example a map the journal stage publishes into) and must not block. The value may lag the
 * ring by the events still in flight; that is safe because the engine de-duplicates by
 * (client, clientSeq), so a client that resends from the reported point loses nothing and
 * counts nothing twice.
 */
public interface ClientSequences {
    /** For tests and for an engine without a journal: nothing journaled for anyone. */
    ClientSequences NONE = new ClientSequences() {
        @Override
        public long lastJournaledClientSeq(final long clientKey) {
            return 0;
        }

        @Override
        public long lastEngineSequence() {
            return -1;
        }
    };

    /**
     * @param clientKey {@code Ids.hash} of the client id
     * @return the highest clientSeq of this client in the journal, or 0 when there is none
     *         (client sequences start at 1)
     */
    long lastJournaledClientSeq(long clientKey);

    /**
     * The fingerprint ({@code io.ringfence.gateway.frame.MessageFingerprint}) of the message journaled under
     * {@code clientSeq}, for {@code LogonAck}: a reconnecting client compares it with the message it holds under that
     * number and stops when they differ (another process of its client id took the number). Must never be a wrong
     * one: 0 (unknown) whenever {@code clientSeq} is no longer, or not yet, the last one known with its fingerprint.
     *
     * @param clientKey {@code Ids.hash} of the client id
     * @param clientSeq what {@link #lastJournaledClientSeq} returned
     * @return the fingerprint, or 0 when unknown
     */
    default long journaledFingerprint(final long clientKey, final long clientSeq) {
        return 0;
    }

    /**
     * The gateway I/O thread, at a logon whose client says every sequence up to {@code answeredClientSeq} was answered
     * (a version-6 Logon): the numbers past those accounted for (published or refused) up to it were refusals this
     * server forgot (a kill -9 or a replica's snapshot keeps none), so they count as refused and the next expected
     * message is the one after it. Nothing changes when the server accounts for as many or more, nor for a claim it
     * cannot take (the client sent to this server since it started, so it forgot nothing; or a number too large).
     *
     * @return how many sequences were taken as refused this way, 0 when none, {@link #IGNORED_CLAIM} when not taken
     */
    default long answeredByClient(final long clientKey, final long answeredClientSeq) {
        return 0;
    }

    /** What {@link #answeredByClient} returns for a claim past what the server accounts for that it does not take. */
    long IGNORED_CLAIM = -1;

    /** @return the last engine sequence assigned, or -1 before the first event */
    long lastEngineSequence();
}
