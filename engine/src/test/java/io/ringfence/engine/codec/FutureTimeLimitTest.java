package io.ringfence.engine.codec;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.InputConfig;
import io.ringfence.engine.model.Times;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FutureTimeLimitTest {
    private static final long NOW = Times.parseMicros("now", "2026-12-03T07:00:00Z");
    private static final long HOUR = 3_600_000_000L;
    private static final long FIVE_MINUTES = 300_000_000L;

    @Test
    void shouldRefuseOnlyWhatIsStampedMoreThanTheLimitAheadOfTheClock() {
        final FutureTimeLimit limit = new InputConfig().futureTimeLimit(); // the default, 5m (1h before 2026-12-07)
        assertNull(limit.check("time", NOW + FIVE_MINUTES, NOW), "exactly the limit ahead is accepted");
        assertNull(limit.check("time", NOW - 15 * 365 * 24 * HOUR, NOW), "the past is never limited (history, replays of old data)");
        assertEquals("'time' 2026-12-03T07:05:00.000001Z is more than input.maxAhead (5m) ahead of this server's clock"
                + " (2026-12-03T07:00:00Z); a mistyped year or a local time sent as UTC? (input.maxAhead: 0s turns the check off)",
            limit.check("time", NOW + FIVE_MINUTES + 1, NOW));
        final long year2099 = Times.parseMicros("t", "2099-05-01T00:00:00Z");
        assertEquals("'eventTime' 2099-05-01T00:00:00Z is more", limit.check("eventTime", year2099, NOW).substring(0, 40));
        assertNull(new FutureTimeLimit(0).check("time", year2099, NOW), "0 turns it off");
    }

    @Test
    void shouldReadTheEventTimeOfEveryInboundType() {
        final JsonEventParser parser = new JsonEventParser();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
        final ParseResult result = new ParseResult();
        final String time = "\"time\":\"2026-12-03T07:00:00Z\"";
        for (final String line : new String[] {
            "{\"type\":\"order\"," + time + ",\"orderId\":\"o1\",\"userId\":\"u1\",\"amount\":\"1.00\",\"currency\":\"EUR\"}",
            "{\"type\":\"payment\"," + time + ",\"paymentId\":\"p1\",\"orderId\":\"o1\",\"amount\":\"1.00\",\"currency\":\"EUR\",\"result\":\"AUTHORIZED\"}",
            "{\"type\":\"orderStatus\"," + time + ",\"orderId\":\"o1\",\"status\":\"PAID\"}",
            "{\"type\":\"inventory\"," + time + ",\"sku\":\"s1\",\"warehouse\":\"w1\",\"delta\":-1}",
            "{\"type\":\"activity\"," + time + ",\"userId\":\"u1\",\"kind\":\"LOGIN\"}",
        }) {
            parser.parse(line, 1, 1, buffer, 0, result);
            assertNull(result.isRejected() ? result.toString() : null, line);
            assertEquals(NOW, FutureTimeLimit.eventTime(buffer, 0), line);
        }
    }

    @Test
    void shouldNameABadLimitInTheConfiguration() {
        final InputConfig input = new InputConfig();
        input.maxAhead = "soon";
        final ConfigException e = assertThrows(ConfigException.class, () -> input.validate("input"));
        assertEquals("input.maxAhead", e.field());
    }
}
