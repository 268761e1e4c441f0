package io.ringfence.gateway;

import io.ringfence.sbe.FilterKind;
import io.ringfence.sbe.Topic;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicFiltersTest {
    @Test
    void shouldAllowExactlyThePairsTheReadmeDocuments() {
        final List<String> allowed = new ArrayList<>();
        for (final Topic topic : Topic.values()) {
            for (final FilterKind kind : FilterKind.values()) {
                if (topic != Topic.NULL_VAL && kind != FilterKind.NULL_VAL && kind != FilterKind.ALL && TopicFilters.allowed(topic, kind)) {
                    allowed.add(topic + ":" + kind);
                }
            }
            if (topic != Topic.NULL_VAL) {
                assertTrue(TopicFilters.allowed(topic, FilterKind.ALL), topic + " with ALL");
            }
        }
        assertEquals(List.of("ORDER_STATUS:USER", "ORDER_STATUS:ORDER", "STOCK:SKU", "FRAUD_ALERT:USER", "WINDOW_RESULT:WINDOW",
            "ANOMALY:WINDOW", "TRENDING:USER", "TRENDING:WINDOW"), allowed);
        assertFalse(TopicFilters.allowed(Topic.NULL_VAL, FilterKind.ALL), "an unknown topic, not even with ALL");
    }
}
