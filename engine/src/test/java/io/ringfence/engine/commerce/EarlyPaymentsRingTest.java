package io.ringfence.engine.commerce;

import io.ringfence.engine.snapshot.StateReader;
import io.ringfence.engine.snapshot.StateWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link EarlyPayments}' ring (holes, close-ups, push-outs, per-order chains, expiry, snapshots)
 * against a plain list model, over seeded random holds, order arrivals and watermark moves with
 * rings of 1 to 12 places (review: the full ring whose oldest entry is the new payment's own order
 * was not tested).
 */
class EarlyPaymentsRingTest {
    private static final int ORDERS = 4;
    private static final long HOLD = 100;

    /** One ring place of the model: kind -1 is an applied payment's hole. */
    private static final class Entry {
        final long order;
        final long payment;
        int kind;
        final long deadline;

        Entry(final long order, final long payment, final int kind, final long deadline) {
            this.order = order;
            this.payment = payment;
            this.kind = kind;
            this.deadline = deadline;
        }
    }

    private static final class Model {
        final int capacity;
        final List<Entry> ring = new ArrayList<>();
        long applied;
        long unmatched;
        long pushedOut;
        long repeated;

        Model(final int capacity) {
            this.capacity = capacity;
        }

        long waiting(final long order) {
            return ring.stream().filter(e -> e.kind >= 0 && e.order == order).count();
        }

        long live() {
            return ring.stream().filter(e -> e.kind >= 0).count();
        }

        void hold(final long order, final long payment, final int kind, final long watermark) {
            if (ring.stream().anyMatch(e -> e.kind == kind && e.order == order && e.payment == payment)) {
                repeated++;
                return;
            }
            if (waiting(order) >= EarlyPayments.PER_ORDER) {
                ring.stream().filter(e -> e.kind >= 0 && e.order == order).findFirst().orElseThrow().kind = -1;
                pushedOut++;
            }
            if (ring.size() == capacity) {
                if (ring.get(0).kind >= 0 && live() < capacity) {
                    ring.removeIf(e -> e.kind < 0);
                } else {
                    if (ring.remove(0).kind >= 0) {
                        pushedOut++;
                    }
                }
            }
            ring.add(new Entry(order, payment, kind, watermark + HOLD));
        }

        void advance(final long watermark) {
            while (!ring.isEmpty() && ring.get(0).deadline < watermark) {
                if (ring.remove(0).kind >= 0) {
                    unmatched++;
                }
            }
        }

        List<Long> chain(final long order) {
            final List<Long> c = new ArrayList<>();
            ring.stream().filter(e -> e.kind >= 0 && e.order == order).forEach(e -> c.add(e.payment));
            return c;
        }

        void apply(final long order) {
            for (final Entry e : ring) {
                if (e.kind >= 0 && e.order == order) {
                    e.kind = -1;
                    applied++;
                }
            }
        }
    }

    private static List<Long> chain(final EarlyPayments p, final long order) {
        final List<Long> c = new ArrayList<>();
        for (int at = p.first(order); at >= 0; at = p.next(at)) {
            c.add(p.payment(at));
        }
        return c;
    }

    private static EarlyPayments restored(final EarlyPayments p, final int capacity) {
        final StateWriter w = new StateWriter(1 << 12);
        p.writeState(w);
        final ByteBuffer bytes = ByteBuffer.allocate(w.position());
        w.buffer().getBytes(0, bytes, w.position());
        bytes.flip();
        final EarlyPayments copy = new EarlyPayments(capacity, HOLD);
        copy.readState(new StateReader(bytes));
        assertEquals(p.stateHash(), copy.stateHash());
        return copy;
    }

    @Test
    void shouldKeepEveryWaitingPaymentAsAPlainListWould() {
        final SplittableRandom random = new SplittableRandom(20261203);
        for (int run = 0; run < 300; run++) {
            final int capacity = 1 + random.nextInt(12);
            EarlyPayments ring = new EarlyPayments(capacity, HOLD);
            final Model model = new Model(capacity);
            long watermark = 0;
            long payment = 0;
            for (int step = 0; step < 400; step++) {
                final int roll = random.nextInt(100);
                final long order = 1 + random.nextInt(ORDERS);
                if (roll < 60) {
                    // now and then a payment sent again (the same id and kind), else a new one
                    final long id = payment > 0 && random.nextInt(5) == 0 ? 1 + random.nextLong(payment) : ++payment;
                    final int kind = 2 + (int) (id % 3);
                    final int kept = ring.hold(order, kind, id, 1, 0, watermark, watermark);
                    final long repeatedBefore = model.repeated;
                    model.hold(order, id, kind, watermark);
                    assertEquals(model.repeated > repeatedBefore, kept == EarlyPayments.REPEATED, "run " + run + " step " + step);
                } else if (roll < 80) {
                    for (int at = ring.first(order); at >= 0; at = ring.next(at)) {
                        // walked, as the order book applies them
                    }
                    ring.applied(order);
                    model.apply(order);
                } else if (roll < 97) {
                    watermark += random.nextInt(40);
                    ring.advance(watermark);
                    model.advance(watermark);
                } else {
                    ring = restored(ring, capacity);
                }
                for (long o = 1; o <= ORDERS; o++) {
                    assertEquals(model.chain(o), chain(ring, o), "run " + run + " step " + step + " order " + o);
                }
                assertEquals(model.live(), ring.waiting(), "run " + run + " step " + step);
                assertEquals(model.applied, ring.applied(), "run " + run + " step " + step);
                assertEquals(model.unmatched, ring.unmatched(), "run " + run + " step " + step);
                assertEquals(model.pushedOut, ring.pushedOut(), "run " + run + " step " + step);
            }
        }
    }
}
