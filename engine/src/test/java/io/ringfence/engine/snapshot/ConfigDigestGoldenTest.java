package io.ringfence.engine.snapshot;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The digest snapshots are keyed by: the default configuration's digest is pinned (a change refuses
 * every snapshot taken under the defaults, so make it deliberately), and {@code fraud.riskyItems}
 * counts only when it names something.
 */
class ConfigDigestGoldenTest {
    /**
     * The defaults' digest. Empty {@code fraud.riskyItems} lists are left out of the digested form.
     * Changed on 2026-12-02 from 8934916f... when window metrics began to bind whole (the defaults'
     * {@code topk(sku, 5)} had been held as two list entries); the same release changed the business
     * snapshot layout (BUS2), which refuses every older snapshot anyway. Changed again from
     * 2b6d95ad... when {@code orders.whenFull} (default forget-oldest: a full order book forgets
     * its oldest order instead of refusing the new one) came, with the layout BUS3. Changed again
     * on 2026-12-03 from 6cb49d4c... when {@code orders.earlyPayments} and {@code maxEarlyPayments}
     * (a payment before its order waits for it) and {@code orders.lateness}, {@code carts.lateness}
     * (timers that fire late for slower sources) came, with the layout BUS6. Changed again on
     * 2026-12-06 from 086d276a... when the {@code decisions} section (an order or payment sent
     * again is answered with its first decision) came, with the layout BUSE.
     */
    private static final String DEFAULTS = "8fbe2b5bdcec4b6e19577d231ed44081e316366fd37458ecf91cd1c88bbc6dfc";

    private static String digest(final EngineConfig c) {
        return HexFormat.of().formatHex(ConfigDigest.of(c, null));
    }

    @Test
    void shouldKeepTheDefaultsDigest() {
        assertEquals(DEFAULTS, digest(EngineConfigLoader.defaults()));
        final EngineConfig explicitEmpty = EngineConfigLoader.defaults();
        explicitEmpty.fraud.riskyItems.skus().categories();
        assertEquals(DEFAULTS, digest(explicitEmpty), "empty lists are the defaults");
    }

    @Test
    void shouldChangeWithTheRiskyItems() {
        final EngineConfig skus = EngineConfigLoader.defaults();
        skus.fraud.riskyItems.skus("TRANSFER", "CASH_OUT");
        final EngineConfig other = EngineConfigLoader.defaults();
        other.fraud.riskyItems.skus("TRANSFER");
        final EngineConfig categories = EngineConfigLoader.defaults();
        categories.fraud.riskyItems.categories("TRANSFER", "CASH_OUT");
        assertNotEquals(DEFAULTS, digest(skus));
        assertNotEquals(digest(skus), digest(other));
        assertNotEquals(digest(skus), digest(categories), "the same ids as categories are another configuration");
    }
}
