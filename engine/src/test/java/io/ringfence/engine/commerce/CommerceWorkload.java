package io.ringfence.engine.commerce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.ringfence.engine.commerce.CommerceHarness.activity;
import static io.ringfence.engine.commerce.CommerceHarness.delta;
import static io.ringfence.engine.commerce.CommerceHarness.item;
import static io.ringfence.engine.commerce.CommerceHarness.level;
import static io.ringfence.engine.commerce.CommerceHarness.order;
import static io.ringfence.engine.commerce.CommerceHarness.payment;
import static io.ringfence.engine.commerce.CommerceHarness.status;

/**
 * A seeded shop as JSON lines: stock counts and moves, orders of 1-3 lines (of 5 merchants, every
 * 7th without one), payments, statuses
 * in order and out of order (invalid moves, unknown orders), some orders left unpaid or unshipped
 * so timers fire, over a few days of event time with some late events.
 */
final class CommerceWorkload {
    private static final String[] STATES = {"PAID", "SHIPPED", "DELIVERED", "CANCELLED", "REFUNDED", "CREATED"};

    private CommerceWorkload() {
    }

    static List<String> lines(final long seed, final int count) {
        final Random random = new Random(seed);
        final List<String> lines = new ArrayList<>(count);
        long t = Instant.parse("2026-01-05T00:00:00Z").getEpochSecond();
        int orders = 0;
        while (lines.size() < count) {
            t += random.nextInt(120);
            final String time = Instant.ofEpochSecond(random.nextInt(50) == 0 ? t - 3_600 : t).toString();
            final int kind = random.nextInt(100);
            if (kind < 10) {
                // one warehouse per sku, counted empty one time in four: a sku with units on hand is never forgotten,
                // so these are the ones idleTtl lets go
                final int k = random.nextInt(40);
                final String sku = "sku-" + k;
                lines.add(random.nextBoolean() ? level(time, sku, "w" + k % 3, random.nextInt(4) == 0 ? 0 : random.nextInt(30))
                        : delta(time, sku, "w" + k % 3, random.nextInt(20) - 5));
            } else if (kind < 35) {
                final StringBuilder items = new StringBuilder();
                final int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) {
                    items.append(i == 0 ? "" : ",").append(item("sku-" + random.nextInt(50), 1 + random.nextInt(4)));
                }
                final int o = orders++;
                lines.add(order(time, "o" + o, "u" + random.nextInt(30), o % 7 == 6 ? null : "m" + o % 5, items.toString()));
            } else if (kind < 55 && orders > 0) {
                final String result = random.nextInt(10) == 0 ? "DECLINED" : random.nextInt(20) == 0 ? "REFUNDED" : "AUTHORIZED";
                lines.add(payment(time, "p" + lines.size(), "o" + random.nextInt(orders), result));
            } else if (kind < 90 && orders > 0) {
                final int o = random.nextInt(10) == 0 ? orders + 5 : Math.max(0, orders - 1 - random.nextInt(Math.min(orders, 20)));
                lines.add(status(time, "o" + o, "u1", STATES[random.nextInt(10) < 8 ? random.nextInt(3) : random.nextInt(STATES.length)]));
            } else {
                lines.add(activity(time));
            }
        }
        return lines;
    }
}
