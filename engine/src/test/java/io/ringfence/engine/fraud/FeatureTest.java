package io.ringfence.engine.fraud;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The feature list: unique snake_case names, the index arithmetic of the velocity blocks, stable indices. */
class FeatureTest {
    private static final String[] ENTITIES = {"user", "device", "ip", "instrument"};
    private static final String[] PAYERS = {"user", "instrument"};

    @Test
    void shouldHaveUniqueSnakeCaseNames() {
        final Set<String> names = new HashSet<>();
        for (final Feature f : Feature.values()) {
            assertTrue(f.featureName().matches("[a-z][a-z0-9_]*"), f.featureName());
            assertTrue(names.add(f.featureName()), "duplicate " + f.featureName());
            assertSame(f, Feature.byName(f.featureName().toUpperCase()));
            assertSame(f, Feature.at(f.ordinal()));
        }
        assertNull(Feature.byName("nope"));
    }

    @Test
    void shouldLayOutTheVelocityBlocksAsTheIndexArithmeticSays() {
        for (int e = 0; e < ENTITIES.length; e++) {
            for (int h = 0; h < Horizon.COUNT; h++) {
                final int i = Feature.orderVelocity(e, h);
                assertEquals(ENTITIES[e] + "_orders_" + Horizon.NAMES[h], Feature.at(i).featureName());
                assertEquals(ENTITIES[e] + "_amount_" + Horizon.NAMES[h], Feature.at(i + 1).featureName());
            }
        }
        for (int e = 0; e < PAYERS.length; e++) {
            for (int h = 0; h < Horizon.COUNT; h++) {
                final int i = Feature.paymentVelocity(e, h);
                assertEquals(PAYERS[e] + "_payments_" + Horizon.NAMES[h], Feature.at(i).featureName());
                assertEquals(PAYERS[e] + "_failed_payments_" + Horizon.NAMES[h], Feature.at(i + 1).featureName());
            }
        }
    }

    @Test
    void shouldKeepTheIndicesModelFilesAndRulesRelyOn() {
        // appending is fine; moving any of these breaks stored models: update deliberately
        assertEquals(55, Feature.COUNT);
        assertEquals(0, Feature.AMOUNT.ordinal());
        assertEquals(2, Feature.USER_ORDERS_1M.ordinal());
        assertEquals(26, Feature.USER_PAYMENTS_1M.ordinal());
        assertEquals(38, Feature.USER_FAIL_RATIO.ordinal());
        assertEquals(42, Feature.USER_AMOUNT_ZSCORE.ordinal());
        assertEquals(45, Feature.DEVICE_OTHER_USERS_24H.ordinal());
        assertEquals(51, Feature.USER_COUNTRY_CHANGE.ordinal());
        assertEquals(52, Feature.DEVICE_PRIOR_USERS.ordinal());
        assertEquals(53, Feature.IP_PRIOR_USERS.ordinal());
        assertEquals(54, Feature.RISKY_ITEMS.ordinal());
    }
}
