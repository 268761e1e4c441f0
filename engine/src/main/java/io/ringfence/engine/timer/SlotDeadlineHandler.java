package io.ringfence.engine.timer;

/**
 * Receives due deadlines from {@link DeadlineQueue#drainDueSlots}, with the caller's slot of each.
 * Implement it on a long-lived object, not as a capturing lambda per event, so draining allocates nothing.
 */
@FunctionalInterface
public interface SlotDeadlineHandler {
    /**
     * The entry of {@code slot} (holding {@code key}) is due and already removed from the queue;
     * the handler may schedule it (or others) again, but only with a deadline after the drain's {@code now}.
     */
    void onDeadline(int slot, long key, long deadline);
}
