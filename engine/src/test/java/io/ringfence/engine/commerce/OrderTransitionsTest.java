package io.ringfence.engine.commerce;

import io.ringfence.sbe.OrderState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.ringfence.sbe.OrderState.CANCELLED;
import static io.ringfence.sbe.OrderState.CREATED;
import static io.ringfence.sbe.OrderState.DELIVERED;
import static io.ringfence.sbe.OrderState.PAID;
import static io.ringfence.sbe.OrderState.REFUNDED;
import static io.ringfence.sbe.OrderState.SHIPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every pair of lifecycle states against the table in the README. */
class OrderTransitionsTest {
    private static final OrderState[] STATES = {CREATED, PAID, SHIPPED, DELIVERED, CANCELLED, REFUNDED};
    private static final Set<String> ALLOWED = Set.of("CREATED>PAID", "CREATED>CANCELLED", "PAID>SHIPPED", "PAID>REFUNDED",
            "SHIPPED>DELIVERED", "SHIPPED>REFUNDED", "DELIVERED>REFUNDED");

    static List<Arguments> pairs() {
        final List<Arguments> pairs = new ArrayList<>();
        for (final OrderState from : STATES) {
            for (final OrderState to : STATES) {
                pairs.add(Arguments.of(from, to));
            }
        }
        return pairs;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void shouldAllowExactlyTheDocumentedMoves(final OrderState from, final OrderState to) {
        final int expected = from == to ? OrderTransitions.SAME
                : ALLOWED.contains(from + ">" + to) ? OrderTransitions.ALLOWED : OrderTransitions.INVALID;
        assertEquals(expected, OrderTransitions.check(from.value(), to.value()));
        if (expected == OrderTransitions.INVALID) {
            final String reason = new String(OrderTransitions.reason(from.value(), to.value()), StandardCharsets.US_ASCII);
            assertTrue(reason.startsWith("invalid transition " + from + " -> " + to), reason);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void shouldNameSettledAndTerminalStates(final OrderState state) {
        assertEquals(state == DELIVERED || state == CANCELLED || state == REFUNDED, OrderTransitions.settled(state.value()));
        assertEquals(state == CANCELLED || state == REFUNDED, OrderTransitions.terminal(state.value()));
        for (final OrderState to : STATES) {
            if (OrderTransitions.terminal(state.value()) && to != state) {
                assertEquals(OrderTransitions.INVALID, OrderTransitions.check(state.value(), to.value()), state + " -> " + to);
            }
        }
    }

    static OrderState[] states() {
        return STATES;
    }
}
