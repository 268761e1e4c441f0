package io.ringfence.journal;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.wire.Sequence;

import java.lang.reflect.Field;

/**
 * How many excerpts a cycle file's header says were written to it, for a journal whose end was lost (a file cut short,
 * pages lost in an OS crash): the readers stop at the last record that reads back, and without this count an operator
 * learned that records were lost but not how many (operator audit: {@code repair} after a truncate said "dropped the
 * journal's damaged end" where the header counted 5,976 more).
 *
 * <p>Chronicle keeps the sequence of the last excerpt beside the write position in the file's header, readable only
 * through the store's private {@code sequence} field; when a Chronicle version names it otherwise the count is simply
 * not known (-1) and the messages say what they said before.
 */
final class WrittenExcerpts {
    private static final Field SEQUENCE = sequenceField();

    private WrittenExcerpts() {
    }

    /** The number of excerpts {@code store}'s header says were written (0 for a file nothing was written to), or -1 when it does not say. */
    static long count(final SingleChronicleQueueStore store) {
        if (SEQUENCE == null) {
            return -1;
        }
        try {
            final long position = store.writePosition();
            if (position <= 0) {
                return 0; // nothing written (an empty cycle file, as a roll with no record leaves): review, it read as unknown
            }
            final Sequence sequence = (Sequence) SEQUENCE.get(store);
            final long last = sequence == null ? Sequence.NOT_FOUND : sequence.getSequence(position);
            return last < 0 ? -1 : last + 1;
        } catch (final ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static Field sequenceField() {
        try {
            final Field field = SingleChronicleQueueStore.class.getDeclaredField("sequence");
            if (!Sequence.class.isAssignableFrom(field.getType())) {
                return null;
            }
            field.setAccessible(true);
            return field;
        } catch (final ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
