package io.ringfence.engine.timer;

/**
 * Receives due deadlines from {@link DeadlineQueue#drainDue}. Implement it on a long-lived object
 * (the rule itself), not as a capturing lambda per event, so draining allocates nothing.
 */
@FunctionalInterface
public interface DeadlineHandler {
    /**
     * The entry for {@code key} is due and already removed from the queue; the handler may
     * schedule it (or others) again, but only with a deadline after the drain's {@code now}.
     */
    void onDeadline(long key, long deadline);
}
