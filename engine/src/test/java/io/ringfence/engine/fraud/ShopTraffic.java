package io.ringfence.engine.fraud;

import io.ringfence.sbe.ActivityKind;
import io.ringfence.sbe.PaymentResult;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.ringfence.engine.fraud.FraudEvents.SECOND;

/**
 * Seeded, normal shop traffic for scoring tests: users who sign up, log in and order from their
 * own device, IP and card (a second card now and then), amounts around a per-user level, payments
 * of which 92 % authorize. No fraud pattern is injected.
 */
final class ShopTraffic {
    private ShopTraffic() {
    }

    static List<FraudEvents.Event> events(final long seed, final int users, final int count) {
        final SplittableRandom random = new SplittableRandom(seed);
        final boolean[] signedUp = new boolean[users];
        final long[] level = new long[users];
        for (int u = 0; u < users; u++) {
            level[u] = 1_000 + random.nextInt(20_000);
        }
        final List<FraudEvents.Event> events = new ArrayList<>(count);
        long t = 0;
        for (int i = 0; i < count; i++) {
            t += SECOND + random.nextInt(20) * SECOND;
            final int u = random.nextInt(users);
            final String user = "u" + u;
            final String device = "d" + u;
            final String ip = "10.1." + (u >> 8) + "." + (u & 0xff);
            final String card = "card-" + u + (random.nextInt(25) == 0 ? "b" : "");
            final int roll = random.nextInt(100);
            if (!signedUp[u] || roll < 25) {
                final ActivityKind kind = signedUp[u] ? ActivityKind.LOGIN : ActivityKind.SIGNUP;
                signedUp[u] = true;
                events.add(FraudEvents.activity(t, kind).user(user).device(device).ip(ip));
            } else if (roll < 70) {
                final long amount = level[u] / 2 + random.nextInt((int) level[u]);
                events.add(FraudEvents.order(t).user(user).device(device).ip(ip).instrument(card)
                    .country(u % 7 == 0 ? "FR" : "DE").amount(amount));
            } else {
                final int r = random.nextInt(100);
                final PaymentResult result = r < 92 ? PaymentResult.AUTHORIZED : r < 98 ? PaymentResult.DECLINED : PaymentResult.FAILED;
                events.add(FraudEvents.payment(t).user(user).instrument(card).amount(level[u]).result(result));
            }
        }
        return events;
    }
}
