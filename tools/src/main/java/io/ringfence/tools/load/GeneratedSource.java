package io.ringfence.tools.load;

import io.ringfence.tools.demo.ShopSimulator;

/**
 * {@code --generate N}: the demo's seeded shop ({@link ShopSimulator}), the first N events it emits.
 * Public for {@code bench}, which drives several runs from one shop: {@link #emit} resumes after a
 * sink stopped it, so order ids never repeat across runs on the same engine.
 */
public final class GeneratedSource implements LoadSource {
    /** Event time of the first event: 2026-01-01T00:00:00Z, as the demo. */
    static final long START_MICROS = 1_767_225_600_000_000L;
    private static final int USERS = 20_000;
    private static final double MEAN_GAP_MICROS = 200_000;
    private static final double FRAUD_RATE = 0.004;

    private final ShopSimulator shop;
    private final long events;
    private long emitted;
    private boolean stopped;

    public GeneratedSource(final long events, final long seed) {
        this.shop = new ShopSimulator(seed, USERS, START_MICROS, MEAN_GAP_MICROS, FRAUD_RATE);
        this.events = events;
    }

    @Override
    public void emit(final Sink sink) throws Exception {
        stopped = false;
        while (emitted < events && !stopped) {
            shop.step((buffer, offset, length, pattern) -> {
                if (emitted < events && !stopped) {
                    emitted++;
                    stopped = !sink.onEvent(buffer, offset, length, emitted);
                }
            });
        }
    }

    @Override
    public long progress() {
        return emitted;
    }

    @Override
    public long progressTotal() {
        return events;
    }

    @Override
    public String progressUnit() {
        return " events";
    }
}
