package io.ringfence.tools.generate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * A seeded synthetic shop: users who sign up, log in, browse, add to cart and order; payments
 * that mostly authorize; shipments; restocks. Same seed, same events, byte for byte, so large
 * workloads can be made on demand instead of stored. Writes DESIGN §4.1 JSON Lines.
 */
public final class ShopWorkload {
    private static final String[] COUNTRIES = {"United Kingdom", "Germany", "France", "Netherlands", "Spain", "Ireland",
        "United States", "Japan", "Switzerland", "Poland"};
    private static final String[] CURRENCIES = {"GBP", "EUR", "EUR", "EUR", "EUR", "EUR", "USD", "JPY", "CHF", "PLN"};
    private static final int[] DIGITS = {2, 2, 2, 2, 2, 2, 2, 0, 2, 2};
    private static final String[] CATEGORIES = {"home", "garden", "toys", "kitchen", "fashion", "books", "beauty", "sport"};
    private static final String[] CHANNELS = {"web", "app", "web", "app", "marketplace"};
    private static final String[] STATUSES = {"PAID", "SHIPPED", "DELIVERED"};

    private final SplittableRandom random;
    private final int users;
    private final int skus;
    private final int merchants;
    private final JsonGenerator json;
    private final boolean[] signedUp;
    private final ArrayDeque<long[]> unpaid = new ArrayDeque<>();
    private final ArrayDeque<long[]> paid = new ArrayDeque<>();
    private final double meanGapMicros;
    private long timeMicros;
    private long orderCounter;
    private long paymentCounter;
    private long activities;
    private long statuses;
    private long inventories;

    /**
     * @param seed       random seed
     * @param users      distinct users
     * @param startMicros time of the first event, epoch microseconds
     * @param meanGapMicros mean time between events (exponentially distributed)
     * @param out        where the JSON lines go (not closed)
     */
    public ShopWorkload(final long seed, final int users, final long startMicros, final double meanGapMicros,
                        final OutputStream out) throws IOException {
        this.meanGapMicros = meanGapMicros;
        this.random = new SplittableRandom(seed);
        this.users = users;
        this.skus = Math.max(100, users / 10);
        this.merchants = 20;
        this.signedUp = new boolean[users];
        this.timeMicros = startMicros;
        this.json = new JsonFactory().createGenerator(out);
        this.json.setRootValueSeparator(null);
    }

    /** Writes {@code events} events. */
    public void write(final long events) throws IOException {
        for (long i = 0; i < events; i++) {
            timeMicros += 1 + (long) (-Math.log(1 - random.nextDouble()) * meanGapMicros);
            final int roll = random.nextInt(100);
            if (roll < 30) {
                activity();
                activities++;
            } else if (roll < 60) {
                order();
            } else if (roll < 82 && !unpaid.isEmpty()) {
                payment();
            } else if (roll < 95 && !paid.isEmpty()) {
                status();
                statuses++;
            } else {
                inventory();
                inventories++;
            }
            json.writeRaw('\n');
        }
        json.flush();
    }

    /** Time of the last event written, epoch microseconds (the start time before any). */
    public long lastTimeMicros() {
        return timeMicros;
    }

    /** Events written so far by type, as {@code "activity 30, order 30, ..."}. */
    public String countsByType() {
        return String.format(java.util.Locale.ROOT, "activity %,d, order %,d, payment %,d, orderStatus %,d, inventory %,d",
            activities, orderCounter, paymentCounter, statuses, inventories);
    }

    private void begin(final String type) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", type);
        json.writeStringField("time", Instant.ofEpochSecond(timeMicros / 1_000_000, (timeMicros % 1_000_000) * 1000).toString());
    }

    private int user() {
        final int u = (int) Math.min(users - 1, Math.abs(random.nextGaussian()) * users / 3);
        return u;
    }

    private void activity() throws IOException {
        final int u = user();
        final String kind;
        if (!signedUp[u]) {
            signedUp[u] = true;
            kind = "SIGNUP";
        } else {
            kind = new String[] {"LOGIN", "VIEW", "VIEW", "ADD_TO_CART"}[random.nextInt(4)];
        }
        begin("activity");
        json.writeStringField("userId", "u" + u);
        json.writeStringField("kind", kind);
        json.writeStringField("sessionId", "s" + u + "-" + (timeMicros / 1_800_000_000L));
        if (kind.equals("VIEW") || kind.equals("ADD_TO_CART")) {
            json.writeStringField("sku", "sku-" + random.nextInt(skus));
        }
        json.writeStringField("ip", ip(u));
        json.writeStringField("deviceId", "d" + (u * 3 + (random.nextInt(10) == 0 ? 1 : 0)));
        json.writeEndObject();
    }

    private void order() throws IOException {
        final int u = user();
        final int c = u % COUNTRIES.length;
        final long orderId = ++orderCounter;
        begin("order");
        json.writeStringField("orderId", "o" + orderId);
        json.writeStringField("userId", "u" + u);
        final int lines = 1 + random.nextInt(4);
        final int[] qty = new int[lines];
        final long[] price = new long[lines];
        final int[] sku = new int[lines];
        long amount = 0;
        for (int i = 0; i < lines; i++) {
            qty[i] = 1 + random.nextInt(3);
            sku[i] = random.nextInt(skus);
            price[i] = (DIGITS[c] == 0 ? 100 : 1) * (199 + (sku[i] * 7919L) % 9800);
            amount += qty[i] * price[i];
        }
        json.writeStringField("amount", money(amount, DIGITS[c]));
        json.writeStringField("currency", CURRENCIES[c]);
        json.writeStringField("country", COUNTRIES[c]);
        json.writeStringField("ip", ip(u));
        json.writeStringField("deviceId", "d" + (u * 3));
        json.writeStringField("instrumentId", "card-" + (u * 2 + (random.nextInt(20) == 0 ? 1 : 0)));
        json.writeStringField("merchantId", "shop-" + (sku[0] % merchants));
        json.writeStringField("channel", CHANNELS[random.nextInt(CHANNELS.length)]);
        json.writeArrayFieldStart("items");
        for (int i = 0; i < lines; i++) {
            json.writeStartObject();
            json.writeStringField("sku", "sku-" + sku[i]);
            json.writeNumberField("qty", qty[i]);
            json.writeStringField("unitPrice", money(price[i], DIGITS[c]));
            json.writeStringField("category", CATEGORIES[sku[i] % CATEGORIES.length]);
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        unpaid.addLast(new long[] {orderId, u, amount, c});
        if (unpaid.size() > 10_000) {
            unpaid.removeFirst();
        }
    }

    private void payment() throws IOException {
        final long[] o = unpaid.removeFirst();
        final int r = random.nextInt(100);
        final String result = r < 92 ? "AUTHORIZED" : r < 98 ? "DECLINED" : "FAILED";
        begin("payment");
        json.writeStringField("paymentId", "p" + (++paymentCounter));
        json.writeStringField("orderId", "o" + o[0]);
        json.writeStringField("userId", "u" + o[1]);
        json.writeStringField("instrumentId", "card-" + (o[1] * 2));
        json.writeStringField("amount", money(o[2], DIGITS[(int) o[3]]));
        json.writeStringField("currency", CURRENCIES[(int) o[3]]);
        json.writeStringField("result", result);
        json.writeEndObject();
        if (r < 92) {
            paid.addLast(new long[] {o[0], o[1], 0});
            if (paid.size() > 10_000) {
                paid.removeFirst();
            }
        }
    }

    private void status() throws IOException {
        final long[] o = paid.peekFirst();
        final int stage = (int) o[2];
        begin("orderStatus");
        json.writeStringField("orderId", "o" + o[0]);
        json.writeStringField("userId", "u" + o[1]);
        json.writeStringField("status", random.nextInt(50) == 0 ? "CANCELLED" : STATUSES[stage]);
        json.writeEndObject();
        if (stage + 1 >= STATUSES.length) {
            paid.removeFirst();
        } else {
            o[2] = stage + 1;
        }
    }

    private void inventory() throws IOException {
        begin("inventory");
        json.writeStringField("sku", "sku-" + random.nextInt(skus));
        json.writeStringField("warehouse", "w" + (1 + random.nextInt(3)));
        if (random.nextInt(10) == 0) {
            json.writeNumberField("level", random.nextInt(500));
        } else {
            json.writeNumberField("delta", 10 + random.nextInt(200));
        }
        json.writeEndObject();
    }

    private String ip(final int u) {
        return "10." + ((u >> 16) & 0xff) + "." + ((u >> 8) & 0xff) + "." + (u & 0xff);
    }

    private static String money(final long minor, final int digits) {
        return BigDecimal.valueOf(minor, digits).toPlainString();
    }
}
