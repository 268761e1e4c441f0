package io.ringfence.engine.trending;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The due categories give up what they hold by (check time, slot), whatever the order of adds and removes. */
class DueCategoriesTest {
    @Test
    void shouldGiveUpHeldCategoriesByCheckTimeThenSlotLikeASortedSet() {
        final int n = 64;
        final long[] nextCheck = new long[n];
        final DueCategories due = new DueCategories(nextCheck);
        final TreeSet<Integer> model = new TreeSet<>(Comparator.<Integer>comparingLong(c -> nextCheck[c]).thenComparingInt(c -> c));
        final Random random = new Random(11);
        long now = 0;
        for (int step = 0; step < 20_000; step++) {
            final int c = random.nextInt(n);
            final int action = random.nextInt(3);
            if (action == 0 && !model.contains(c)) {
                nextCheck[c] = now + random.nextInt(5); // ties on purpose
                model.add(c);
                due.add(c);
            } else if (action == 1 && model.contains(c)) {
                model.remove(c);
                due.remove(c);
            } else {
                now += random.nextInt(3);
                while (!model.isEmpty() && nextCheck[model.first()] <= now) {
                    assertTrue(due.dueAt(now));
                    final int first = model.pollFirst();
                    assertEquals(first, due.first(), "step " + step);
                    due.remove(first);
                }
                assertFalse(due.dueAt(now));
            }
        }
        due.clear();
        assertFalse(due.dueAt(Long.MAX_VALUE));
    }
}
