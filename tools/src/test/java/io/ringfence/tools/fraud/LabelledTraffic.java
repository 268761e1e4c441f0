package io.ringfence.tools.fraud;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Seeded labelled traffic for the train/evaluate/explain tests: users {@code u0..u(N-1)} each sign
 * up (activity SIGNUP with a device) and order. About 20% are fraud: most of them order 2-25 s
 * after signing up from one of six shared "ring" devices; legitimate users order 1-6 days later
 * from their own device, and some order again later. One fraud user in ten and one legitimate
 * user in ten behave like the other class (so the classes overlap). Signups spread over 100 days
 * from 2015-01-01, so orders fall in four or five calendar months. Lines are in time order.
 */
final class LabelledTraffic {
    static final long EPOCH_2015 = Instant.parse("2015-01-01T00:00:00Z").getEpochSecond();

    /** One order as written. */
    record Order(String orderId, String userId, long epochSecond, boolean fraud) {
    }

    private record Line(long second, int index, String json) {
    }

    private LabelledTraffic() {
    }

    /** Writes the traffic; labels on orders when {@code labelled}. Returns the orders in file order. */
    static List<Order> write(final Path file, final int users, final long seed, final boolean labelled) throws IOException {
        final Random r = new Random(seed);
        final List<Line> lines = new ArrayList<>();
        final List<Order> orders = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            final String user = "u" + i;
            final long signup = EPOCH_2015 + r.nextInt(100 * 86_400);
            final boolean fraud = r.nextDouble() < 0.2;
            final boolean unusual = r.nextDouble() < 0.1;
            final String device;
            final long delay;
            if (fraud && !unusual) {
                device = "ring-" + r.nextInt(6);
                delay = 2 + r.nextInt(23);
            } else if (fraud) {
                device = "d-" + user;
                delay = 3_600 + r.nextInt(86_400);
            } else if (unusual) {
                device = "d-" + user;
                delay = 5 + r.nextInt(55);
            } else {
                device = "d-" + user;
                delay = 86_400 + r.nextInt(5 * 86_400);
            }
            lines.add(new Line(signup, lines.size(), "{\"type\":\"activity\",\"time\":\"" + Instant.ofEpochSecond(signup)
                    + "\",\"userId\":\"" + user + "\",\"kind\":\"SIGNUP\",\"deviceId\":\"" + device + "\"}"));
            final int count = !fraud && r.nextDouble() < 0.3 ? 2 : 1;
            long at = signup + delay;
            for (int k = 0; k < count; k++) {
                final String id = "o" + i + (k == 0 ? "" : "-" + k);
                final String amount = (10 + r.nextInt(490)) + "." + String.format("%02d", r.nextInt(100));
                orders.add(new Order(id, user, at, fraud));
                lines.add(new Line(at, lines.size(), "{\"type\":\"order\",\"time\":\"" + Instant.ofEpochSecond(at)
                        + "\",\"orderId\":\"" + id + "\",\"userId\":\"" + user + "\",\"amount\":\"" + amount
                        + "\",\"currency\":\"USD\",\"deviceId\":\"" + device + "\",\"instrumentId\":\"c-" + user + "\""
                        + (labelled ? ",\"label\":" + (fraud ? 1 : 0) : "") + "}"));
                at += 2 * 86_400 + r.nextInt(18 * 86_400);
            }
        }
        lines.sort(Comparator.comparingLong(Line::second).thenComparingInt(Line::index));
        orders.sort(Comparator.comparingLong(Order::epochSecond));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (final Line l : lines) {
                w.write(l.json);
                w.write('\n');
            }
        }
        return orders;
    }
}
