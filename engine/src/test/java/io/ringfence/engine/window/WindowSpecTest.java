package io.ringfence.engine.window;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ringfence.engine.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowSpecTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A window config wrapper the way the engine config holds the list. */
    static final class Root {
        public List<WindowConfig> windows;
    }

    private static WindowConfig valid() {
        return new WindowConfig().name("gmv_by_country_1h").key("country").kind("tumbling").size("1h").metrics("count", "sum(amount)");
    }

    @Test
    void shouldBindTheDocumentedYamlAndValidateIt() throws Exception {
        final String yaml = String.join("\n",
            "windows:",
            "  - name: gmv_by_country_1h",
            "    key: country",
            "    kind: tumbling",
            "    size: 1h",
            "    lateness: 0s",
            "    events: [order]",
            "    maxKeys: 100000",
            "    metrics: [count, sum(amount), min(amount), max(amount), mean(amount), stddev(amount), distinct(userId), topk(sku, 10)]",
            "  - name: user.velocity-1h",
            "    key: [user, deviceId]",
            "    kind: sliding",
            "    size: 1h",
            "    step: 5m",
            "    events: [order, payment]",
            "    metrics: [count, sum(amount), distinct(instrument)]",
            "");
        final List<WindowConfig> bound = YAML.readValue(yaml, Root.class).windows;
        assertEquals("topk(sku, 10)", bound.get(0).metrics.get(7),
            "the flow list split topk(sku, 10) at its comma; binding joins the pieces, so the config holds one entry per metric");
        assertEquals(8, bound.get(0).metrics.size());
        final List<WindowSpec> specs = WindowSpecs.from(bound);
        assertEquals(2, specs.size());
        final WindowSpec a = specs.get(0);
        assertEquals(3_600_000_000L, a.sizeMicros());
        assertEquals(a.sizeMicros(), a.stepMicros());
        assertEquals(List.of(KeyField.COUNTRY), a.key());
        assertEquals(List.of("count", "sum", "min", "max", "mean", "stddev", "distinctUserId", "topkSku"),
            a.metrics().stream().map(Metric::outputName).toList());
        assertTrue(a.money());
        assertEquals(10, a.metrics().get(7).k(), "the flow list split topk(sku, 10) at its comma; the pieces are joined");
        final WindowSpec b = specs.get(1);
        assertEquals(WindowSpec.Kind.SLIDING, b.kind());
        assertEquals(300_000_000L, b.stepMicros());
        assertEquals(List.of(KeyField.USER, KeyField.DEVICE), b.key());
        assertEquals(100_000, b.maxKeys(), "default");
        assertEquals(0, b.latenessMicros(), "default");
    }

    @Test
    void shouldFailOnUnknownPropertyNamingIt() {
        final String yaml = "windows:\n  - name: w\n    key: user\n    kind: tumbling\n    sizee: 1h\n    metrics: [count]\n";
        final JsonMappingException e = assertThrows(JsonMappingException.class, () -> YAML.readValue(yaml, Root.class));
        assertTrue(e.getMessage().contains("unknown window property 'sizee'"), e.getMessage());
        final ObjectMapper lenient = new ObjectMapper(new YAMLFactory())
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        assertThrows(JsonMappingException.class, () -> lenient.readValue(yaml, Root.class), "even with a lenient mapper");
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
            bad("size not a duration", c -> c.size("1x"), "windows[0].size: '1x' is not a duration"),
            bad("size zero", c -> c.size("0s"), "windows[0].size: '0s' must be positive"),
            bad("unknown key field", c -> c.key("planet"), "windows[0].key: 'planet' is not a key field"),
            bad("order is not a key", c -> c.key("order"), "windows[0].key: 'order' is not a key field"),
            bad("unknown composite part", c -> c.key("user", "planet"), "windows[0].key[1]: 'planet' is not a key field"),
            bad("repeated key part", c -> c.key("user", "userId"), "windows[0].key[1]: 'userId' appears twice in the key"),
            bad("unknown metric", c -> c.metrics("count", "median(amount)"), "windows[0].metrics[1]: 'median(amount)' has unknown metric 'median'"),
            bad("bad numeric argument", c -> c.metrics("sum(price)"), "windows[0].metrics[0]: 'sum(price)' has unknown numeric field 'price'"),
            bad("bad id argument", c -> c.metrics("distinct(planet)"), "windows[0].metrics[0]: 'distinct(planet)' has unknown id field 'planet'"),
            bad("missing argument", c -> c.metrics("sum"), "windows[0].metrics[0]: 'sum' needs one numeric field"),
            bad("count of an unknown subset", c -> c.metrics("count(user)"), "windows[0].metrics[0]: 'count(user)' counts an unknown subset"),
            bad("count with two arguments", c -> c.metrics("count(failed, 2)"), "'count(failed, 2)' counts an unknown subset"),
            bad("failed payments on an order window", c -> c.metrics("count", "count(failed)"),
                "windows[0].metrics[1]: 'count(failed)' counts payments by their result, and the window's events [order] have none"),
            bad("attempts on an order window", c -> c.metrics("count(attempts)"), "'count(attempts)' counts payments by their result"),
            bad("declined on an activity window", c -> c.key("user").events("activity").metrics("count(declined)"),
                "windows[0].metrics[0]: 'count(declined)' counts decided orders and payments, and the window's events [activity] are never decided"),
            bad("subset count on a sliding window", c -> c.kind("sliding").step("5m").metrics("count(held)"),
                "'count(held)' is only available on tumbling windows"),
            bad("subset count twice", c -> c.metrics("count(held)", "count(held)"), "'count(held)' is listed twice"),
            bad("topk without k", c -> c.metrics("topk(sku)"), "windows[0].metrics[0]: 'topk(sku)' needs an id field and a size"),
            bad("topk k zero", c -> c.metrics("topk(sku, 0)"), "windows[0].metrics[0]: 'topk(sku, 0)' has k = 0 outside 1..100"),
            bad("topk k too big", c -> c.metrics("topk(sku, 101)"), "windows[0].metrics[0]: 'topk(sku, 101)' has k = 101 outside 1..100"),
            bad("topk k not a number", c -> c.metrics("topk(sku, ten)"), "'topk(sku, ten)' has a size 'ten' that is not a whole number"),
            bad("topk of ip", c -> c.metrics("topk(ip, 3)"), "longer than the 36-byte item field"),
            bad("topk counters below k", c -> c.metrics("topk(sku, 5, 4)"), "'topk(sku, 5, 4)' has 4 counters, outside k..4096 (5..4096; default 4k = 20)"),
            bad("topk counters too many", c -> c.metrics("topk(sku, 5, 5000)"), "has 5000 counters, outside k..4096"),
            bad("topk counters not a number", c -> c.metrics("topk(sku, 5, many)"), "has counters 'many' that is not a whole number (5..4096)"),
            bad("a third argument elsewhere", c -> c.metrics("distinct(userId, 2, 3)"), "has a third argument; only topk takes one"),
            bad("duplicate metric", c -> c.metrics("sum(amount)", "sum(amount)"), "windows[0].metrics[1]: 'sum(amount)' is listed twice"),
            bad("sliding without step", c -> c.kind("sliding"), "windows[0].step is required for a sliding window"),
            bad("step not dividing size", c -> c.kind("sliding").step("7m"), "windows[0].step: '7m' does not divide size 1h"),
            bad("step on tumbling", c -> c.step("5m"), "windows[0].step: '5m' is only for sliding windows"),
            bad("negative lateness", c -> c.lateness("-5s"), "windows[0].lateness: '-5s' must not be negative"),
            bad("bad lateness", c -> c.lateness("soon"), "windows[0].lateness: 'soon' is not a duration"),
            bad("missing name", c -> c.name(null), "windows[0].name is required"),
            bad("empty name", c -> c.name(""), "windows[0].name is required"),
            bad("name too long", c -> c.name("a".repeat(49)), "windows[0].name: '" + "a".repeat(49) + "' is longer than 48 UTF-8 bytes"),
            bad("name multibyte too long", c -> c.name("é".repeat(25)), "is longer than 48 UTF-8 bytes"),
            bad("name bad characters", c -> c.name("gmv by country"), "windows[0].name: 'gmv by country' may only contain letters"),
            bad("maxKeys zero", c -> c.maxKeys(0), "windows[0].maxKeys: '0' must be between 1 and"),
            bad("unknown kind", c -> c.kind("hopping"), "windows[0].kind: 'hopping' is not a window kind"),
            bad("unknown event type", c -> c.events("order", "click"), "windows[0].events[1]: 'click' is not an event type"),
            bad("money from activities", c -> c.events("order", "activity"), "windows[0].metrics[1]: 'sum(amount)' needs an amount, which activity events do not have"),
            bad("qty from payments", c -> c.events("order", "payment").metrics("sum(qty)"), "'sum(qty)' needs item quantities, which only orders have"),
            bad("key absent from all events", c -> c.key("country").events("payment"), "windows[0].key: '[country]' is not carried by any of the events [payment]"),
            bad("merchant and device of payments", c -> c.key("merchant", "device").events("payment").metrics("count"),
                "windows[0].key: '[merchant, device]' is not carried by any of the events [payment]"),
            bad("merchant of activities", c -> c.key("merchant").events("activity").metrics("count"),
                "windows[0].key: '[merchant]' is not carried by any of the events [activity]"),
            bad("merchants counted in activities", c -> c.key("user").events("activity").metrics("distinct(merchantId)"),
                "windows[0].metrics[0]: 'distinct(merchantId)' counts a field that none of the events [activity] carry"),
            bad("topk on sliding", c -> c.kind("sliding").step("5m").metrics("topk(sku, 3)"), "is only available on tumbling windows"),
            bad("too many panes", c -> c.kind("sliding").size("2d").step("1s"), "windows[0].step: '1s' makes 172802 live panes"));
    }

    private static Arguments bad(final String what, final Consumer<WindowConfig> change, final String message) {
        return Arguments.of(what, change, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void shouldRejectBadConfigNamingFieldValueAndProblem(final String what, final Consumer<WindowConfig> change, final String message) {
        final WindowConfig c = valid();
        change.accept(c);
        final ConfigException e = assertThrows(ConfigException.class, () -> WindowSpecs.from(List.of(c)));
        assertTrue(e.getMessage().contains(message), "expected «" + message + "» in «" + e.getMessage() + "»");
    }

    @Test
    void shouldRejectDuplicateNamesNamingTheFirstUse() {
        final ConfigException e = assertThrows(ConfigException.class,
            () -> WindowSpecs.from(List.of(valid(), valid().name("other"), valid())));
        assertEquals("windows[2].name: 'gmv_by_country_1h' is already used by windows[0]", e.getMessage());
    }

    @Test
    void shouldAcceptShortAndFieldNamesAlike() {
        final WindowSpec s = WindowSpec.from(valid().key("userId", "device", "ip", "instrumentId", "merchant").key("merchantId")
            .metrics("distinct(orderId)", "distinct(order)".replace("order", "instrument"), "topk(category, 5)", "max(qty)"), "w");
        assertEquals(List.of("distinctOrderId", "distinctInstrumentId", "topkCategory", "maxQty"),
            s.metrics().stream().map(Metric::outputName).toList());
        assertEquals(List.of(KeyField.MERCHANT), s.key());
    }

    /** A payment's merchant is its order's (docs/configuration.md "Rate series"): payment windows may key or count it, and then join. */
    @Test
    void shouldAcceptPaymentWindowsKeyedOrCountingTheirOrdersMerchant() {
        final WindowSpec failures = WindowSpec.from(new WindowConfig().name("payments_by_merchant_1h").key("merchant").kind("tumbling")
            .size("1h").events("payment").metrics("count", "count(attempts)", "count(failed)"), "windows[0]");
        assertTrue(failures.joinsMerchant());
        assertEquals(List.of(KeyField.MERCHANT), failures.key());
        assertTrue(WindowSpec.from(new WindowConfig().name("c").key("currency").kind("tumbling").size("1h").events("payment")
            .metrics("count", "distinct(merchant)", "topk(merchantId, 3)"), "windows[0]").joinsMerchant());
        assertTrue(WindowSpec.from(new WindowConfig().name("s").key("merchant", "instrument").kind("sliding").size("1h").step("5m")
            .events("order", "payment").metrics("count"), "windows[0]").joinsMerchant());
        assertTrue(!WindowSpec.from(new WindowConfig().name("o").key("merchant").kind("tumbling").size("1h")
            .metrics("count", "count(declined)"), "windows[0]").joinsMerchant(), "orders carry their own merchant");
        assertTrue(!WindowSpec.from(new WindowConfig().name("p").key("currency").kind("tumbling").size("1h").events("payment")
            .metrics("count"), "windows[0]").joinsMerchant(), "no merchant asked for");
    }
}
