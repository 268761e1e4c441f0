package io.ringfence.engine.trending;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded shop clickstream for the push stages, as JSON lines: views, add-to-carts, orders of 1-3
 * lines and payments over {@code users} users, 300 skus in 8 categories, 0-20 s apart with one
 * event in 20 up to 2 minutes late, so panes expire, carts are promoted, ordered and forgotten.
 */
public final class PushTraffic {
    private PushTraffic() {
    }

    public static List<String> lines(final long seed, final int count, final int users) {
        final Random random = new Random(seed);
        final List<String> lines = new ArrayList<>(count);
        long t = 0;
        for (int i = 0; i < count; i++) {
            t += random.nextInt(21);
            final long at = random.nextInt(20) == 0 ? Math.max(0, t - random.nextInt(120)) : t;
            final String user = "u-" + random.nextInt(users);
            final int kind = random.nextInt(20);
            if (kind < 10) {
                lines.add(PushEvents.activity(at, user, "VIEW", "sku-" + random.nextInt(300)));
            } else if (kind < 14) {
                lines.add(PushEvents.activity(at, user, "ADD_TO_CART", "sku-" + random.nextInt(300)));
            } else if (kind < 17) {
                final int n = 1 + random.nextInt(3);
                final String[] items = new String[3 * n];
                for (int l = 0; l < n; l++) {
                    final int sku = random.nextInt(300);
                    items[3 * l] = "sku-" + sku;
                    items[3 * l + 1] = String.valueOf(1 + random.nextInt(4));
                    items[3 * l + 2] = "cat-" + sku % 8;
                }
                lines.add(PushEvents.order(at, user, items));
            } else {
                lines.add(PushEvents.payment(at, user));
            }
        }
        return lines;
    }
}
