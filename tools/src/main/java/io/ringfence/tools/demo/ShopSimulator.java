package io.ringfence.tools.demo;

import io.ringfence.sbe.ActivityEncoder;
import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.Channel;
import io.ringfence.sbe.InventoryEncoder;
import io.ringfence.sbe.InventoryMode;
import io.ringfence.sbe.MessageHeaderEncoder;
import io.ringfence.sbe.OrderEncoder;
import io.ringfence.sbe.OrderState;
import io.ringfence.sbe.OrderStatusEncoder;
import io.ringfence.sbe.PaymentEncoder;
import io.ringfence.sbe.PaymentResult;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded synthetic shop that emits SBE events as a client would send them: customers who sign
 * up, log in, browse, fill carts, order and pay (some payments declined and retried), orders that
 * are paid, shipped and delivered, stock counts; and, mixed in at random moments, the named
 * {@link FraudPattern}s. Same seed, same events, byte for byte. Orders and payments of a pattern
 * carry label 1, honest ones label 0, so the demo can say which patterns the engine caught.
 *
 * <p>Event time advances by an exponential gap (mean {@code meanGapMicros}) per event, so the
 * default hourly windows close several times in a demo of a few hundred thousand events.
 */
public final class ShopSimulator {
    /** Receives each event: the SBE message (header included) and the pattern it belongs to. */
    @FunctionalInterface
    public interface Sink {
        void onEvent(DirectBuffer buffer, int offset, int length, FraudPattern pattern) throws Exception;
    }

    private static final String[] COUNTRIES = {"GB", "DE", "FR", "NL", "ES", "IE", "IT", "PL"};
    private static final String[] CURRENCIES = {"GBP", "EUR", "EUR", "EUR", "EUR", "EUR", "EUR", "PLN"};
    private static final String[] CATEGORIES = {"home", "garden", "toys", "kitchen", "fashion", "books", "beauty", "sport"};
    private static final int SKUS = 2_000;
    private static final int ID = 36;
    private static final int IP = 46;

    private final SplittableRandom random;
    private final int users;
    private final double meanGapMicros;
    private final double fraudRate;
    private final MutableDirectBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final OrderEncoder order = new OrderEncoder();
    private final PaymentEncoder payment = new PaymentEncoder();
    private final ActivityEncoder activity = new ActivityEncoder();
    private final OrderStatusEncoder status = new OrderStatusEncoder();
    private final InventoryEncoder inventory = new InventoryEncoder();
    private final byte[] id = new byte[ID];
    private final byte[] id2 = new byte[ID];
    private final byte[] ip = new byte[IP];
    private final boolean[] signedUp;
    private final int[] orders;
    private final long[] spent;
    private final ArrayDeque<long[]> shipments = new ArrayDeque<>();
    private long time;
    private long nextOrder = 1;
    private long nextPayment = 1;
    private long episode;
    private long emitted;
    private final long[] perPattern = new long[FraudPattern.values().length];

    /**
     * @param fraudRate chance that a step is a fraud episode instead of a customer visit (e.g. 0.01)
     */
    public ShopSimulator(final long seed, final int users, final long startMicros, final double meanGapMicros,
                         final double fraudRate) {
        this.random = new SplittableRandom(seed);
        this.users = users;
        this.time = startMicros;
        this.meanGapMicros = meanGapMicros;
        this.fraudRate = fraudRate;
        this.signedUp = new boolean[users];
        this.orders = new int[users];
        this.spent = new long[users];
    }

    /** Events emitted so far. */
    public long emitted() {
        return emitted;
    }

    /** Orders and payments emitted for each pattern (index = ordinal). */
    public long labelled(final FraudPattern pattern) {
        return perPattern[pattern.ordinal()];
    }

    /** Emits the next visit or fraud episode (a handful of events). */
    public void step(final Sink sink) throws Exception {
        if (emitted % 997 == 0) {
            stockCount(sink);
        }
        if (!shipments.isEmpty() && random.nextInt(3) == 0) {
            ship(sink);
        }
        final double r = random.nextDouble();
        if (r < fraudRate / 3) {
            cardTesting(sink);
        } else if (r < 2 * fraudRate / 3) {
            accountTakeover(sink);
        } else if (r < fraudRate) {
            deviceRing(sink);
        } else {
            visit(sink);
        }
    }

    private void visit(final Sink sink) throws Exception {
        // popular customers come back more often: a skewed pick
        final int u = (int) Math.min(users - 1, Math.floor(users * Math.pow(random.nextDouble(), 1.6)));
        final String device = "d" + u;
        final String address = "10." + (u >> 16 & 255) + "." + (u >> 8 & 255) + "." + (u & 255);
        final String session = "s" + u + "-" + emitted;
        final boolean firstVisit = !signedUp[u];
        if (firstVisit) {
            signedUp[u] = true;
            activity(sink, FraudPattern.NONE, "u" + u, session, ActivityKind.SIGNUP, null, address, device);
        }
        activity(sink, FraudPattern.NONE, "u" + u, session, ActivityKind.LOGIN, null, address, device);
        final int views = 1 + random.nextInt(4);
        int sku = random.nextInt(SKUS);
        for (int i = 0; i < views; i++) {
            sku = random.nextInt(SKUS);
            activity(sink, FraudPattern.NONE, "u" + u, session, ActivityKind.VIEW, "sku-" + sku, address, device);
        }
        if (firstVisit || random.nextInt(2) == 0) {
            return; // a new customer looks around first; ordering seconds after signing up is what rings do
        }
        activity(sink, FraudPattern.NONE, "u" + u, session, ActivityKind.ADD_TO_CART, "sku-" + sku, address, device);
        if (random.nextInt(5) < 2) {
            return; // abandoned cart
        }
        final int c = u % COUNTRIES.length;
        final long amount = order(sink, FraudPattern.NONE, u, "u" + u, device, address, "card-" + u, c, 1 + random.nextInt(3), 1.0);
        final long orderId = nextOrder - 1;
        if (random.nextInt(30) == 0) {
            payment(sink, FraudPattern.NONE, orderId, "u" + u, "card-" + u, amount, c, PaymentResult.DECLINED);
        }
        payment(sink, FraudPattern.NONE, orderId, "u" + u, "card-" + u, amount, c, PaymentResult.AUTHORIZED);
        status(sink, orderId, "u" + u, OrderState.PAID);
        shipments.addLast(new long[] {orderId, u, 0});
    }

    private void cardTesting(final Sink sink) throws Exception {
        final long n = ++episode;
        final String card = "card-x" + n;
        final String user = "u-ct" + n;
        final int attempts = 8 + random.nextInt(8);
        for (int i = 0; i < attempts; i++) {
            time += 500_000 + random.nextInt(2_000_000); // every 0.5-2.5 s
            final PaymentResult result = random.nextInt(5) == 0 ? PaymentResult.AUTHORIZED : PaymentResult.DECLINED;
            payment(sink, FraudPattern.CARD_TESTING, 900_000_000L + n * 100 + i, user, card, 100 + random.nextInt(400),
                    random.nextInt(COUNTRIES.length), result);
        }
    }

    private void accountTakeover(final Sink sink) throws Exception {
        int u = -1;
        for (int tries = 0; tries < 200 && u < 0; tries++) {
            final int candidate = (int) Math.min(users - 1, Math.floor(users * Math.pow(random.nextDouble(), 1.6)));
            if (orders[candidate] >= 3) { // a customer with a history worth taking over
                u = candidate;
            }
        }
        if (u < 0) {
            visit(sink);
            return;
        }
        final long n = ++episode;
        final String device = "d-ato" + n;
        final String address = "172.16." + (n >> 8 & 255) + "." + (n & 255);
        activity(sink, FraudPattern.ACCOUNT_TAKEOVER, "u" + u, "s-ato" + n, ActivityKind.LOGIN, null, address, device);
        final double factor = 8 + random.nextInt(8); // far above the customer's usual basket
        final int c = (u + 1 + random.nextInt(COUNTRIES.length - 1)) % COUNTRIES.length;
        final long amount = order(sink, FraudPattern.ACCOUNT_TAKEOVER, u, "u" + u, device, address, "card-ato" + n, c,
                2 + random.nextInt(3), factor * Math.max(1.0, (double) spent[u] / Math.max(1, orders[u]) / 4_000.0));
        payment(sink, FraudPattern.ACCOUNT_TAKEOVER, nextOrder - 1, "u" + u, "card-ato" + n, amount, c, PaymentResult.AUTHORIZED);
    }

    private void deviceRing(final Sink sink) throws Exception {
        final long n = ++episode;
        final String device = "d-ring" + n;
        final int members = 8 + random.nextInt(6);
        for (int m = 0; m < members; m++) {
            final String user = "u-ring" + n + "-" + m;
            final String address = "10.66." + (n & 255) + "." + m;
            activity(sink, FraudPattern.DEVICE_RING, user, "s-ring" + n + "-" + m, ActivityKind.SIGNUP, null, address, device);
            time += 20_000_000 + random.nextInt(100_000_000); // 20-120 s later
            final int c = random.nextInt(COUNTRIES.length);
            final long amount = order(sink, FraudPattern.DEVICE_RING, -1, user, device, address, "card-ring" + n + "-" + m, c,
                    1 + random.nextInt(2), 2.0);
            payment(sink, FraudPattern.DEVICE_RING, nextOrder - 1, user, "card-ring" + n + "-" + m, amount, c, PaymentResult.AUTHORIZED);
        }
    }

    private void ship(final Sink sink) throws Exception {
        final long[] s = shipments.peekFirst();
        final OrderState next = s[2] == 0 ? OrderState.SHIPPED : OrderState.DELIVERED;
        status(sink, s[0], "u" + s[1], next);
        if (s[2] == 0) {
            s[2] = 1;
            shipments.addLast(shipments.pollFirst());
        } else {
            shipments.pollFirst();
        }
    }

    private void stockCount(final Sink sink) throws Exception {
        final int sku = random.nextInt(SKUS);
        advance();
        final int count = random.nextInt(250);
        inventory.wrapAndApplyHeader(buffer, 0, header)
                .clientSeq(0).eventTime(time)
                .putSku(bytes(id, "sku-" + sku), 0)
                .putWarehouse(bytes(id2, "wh-" + (sku % 3)), 0)
                .mode(InventoryMode.LEVEL)
                .quantity(count < 50 ? count / 10 : count); // one count in five finds the sku nearly sold out (0-4): stock pushes
        emit(sink, inventory.encodedLength(), FraudPattern.NONE, false);
    }

    private long order(final Sink sink, final FraudPattern pattern, final int u, final String user, final String device,
                       final String address, final String card, final int country, final int lines, final double priceFactor)
            throws Exception {
        advance();
        final long orderId = nextOrder++;
        order.wrapAndApplyHeader(buffer, 0, header)
                .clientSeq(0).eventTime(time)
                .putOrderId(bytes(id, "o" + orderId), 0)
                .putUserId(bytes(id, user), 0)
                .putMerchantId(bytes(id, "shop-" + (orderId % 7)), 0)
                .amount(0)
                .currency(CURRENCIES[country])
                .putCountry(bytes(id, COUNTRIES[country]), 0)
                .putIp(ascii(ip, address), 0)
                .putDeviceId(bytes(id, device), 0)
                .putInstrumentId(bytes(id, card), 0)
                .channel(random.nextInt(3) == 0 ? Channel.APP : Channel.WEB)
                .label((byte) (pattern == FraudPattern.NONE ? 0 : 1));
        long amount = 0;
        final OrderEncoder.ItemsEncoder items = order.itemsCount(lines);
        for (int i = 0; i < lines; i++) {
            final int sku = random.nextInt(SKUS);
            final int qty = 1 + (random.nextInt(4) == 0 ? random.nextInt(4) : 0);
            final long price = Math.round((199 + (sku * 7919L) % 9_800) * priceFactor);
            amount += qty * price;
            items.next().putSku(bytes(id, "sku-" + sku), 0).qty(qty).unitPrice(price)
                    .putCategory(bytes(id, CATEGORIES[sku % CATEGORIES.length]), 0);
        }
        order.amount(amount);
        if (u >= 0 && pattern == FraudPattern.NONE) {
            orders[u]++;
            spent[u] += amount;
        }
        emit(sink, order.encodedLength(), pattern, true);
        return amount;
    }

    private void payment(final Sink sink, final FraudPattern pattern, final long orderId, final String user, final String card,
                         final long amount, final int country, final PaymentResult result) throws Exception {
        advance();
        payment.wrapAndApplyHeader(buffer, 0, header)
                .clientSeq(0).eventTime(time)
                .putPaymentId(bytes(id, "p" + nextPayment++), 0)
                .putOrderId(bytes(id, "o" + orderId), 0)
                .putUserId(bytes(id, user), 0)
                .putInstrumentId(bytes(id, card), 0)
                .amount(amount)
                .currency(CURRENCIES[country])
                .result(result)
                .label((byte) (pattern == FraudPattern.NONE ? 0 : 1));
        emit(sink, payment.encodedLength(), pattern, true);
    }

    private void activity(final Sink sink, final FraudPattern pattern, final String user, final String session,
                          final ActivityKind kind, final String sku, final String address, final String device) throws Exception {
        advance();
        activity.wrapAndApplyHeader(buffer, 0, header)
                .clientSeq(0).eventTime(time)
                .putUserId(bytes(id, user), 0)
                .putSessionId(bytes(id, session), 0)
                .kind(kind)
                .putSku(bytes(id, sku == null ? "" : sku), 0)
                .putIp(ascii(ip, address), 0)
                .putDeviceId(bytes(id, device), 0);
        emit(sink, activity.encodedLength(), pattern, false);
    }

    private void status(final Sink sink, final long orderId, final String user, final OrderState state) throws Exception {
        advance();
        status.wrapAndApplyHeader(buffer, 0, header)
                .clientSeq(0).eventTime(time)
                .putOrderId(bytes(id, "o" + orderId), 0)
                .putUserId(bytes(id, user), 0)
                .status(state);
        emit(sink, status.encodedLength(), FraudPattern.NONE, false);
    }

    private void emit(final Sink sink, final int bodyLength, final FraudPattern pattern, final boolean labelled) throws Exception {
        emitted++;
        if (labelled) {
            perPattern[pattern.ordinal()]++;
        }
        sink.onEvent(buffer, 0, MessageHeaderEncoder.ENCODED_LENGTH + bodyLength, pattern);
    }

    private void advance() {
        time += 1 + (long) (-Math.log(1 - random.nextDouble()) * meanGapMicros);
    }

    private static byte[] bytes(final byte[] target, final String text) {
        Arrays.fill(target, (byte) 0);
        final byte[] b = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, target, 0, Math.min(b.length, target.length));
        return target;
    }

    private static byte[] ascii(final byte[] target, final String text) {
        return bytes(target, text);
    }
}
