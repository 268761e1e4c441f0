package io.ringfence.engine.fraud;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.EngineConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code fraud.riskyItems}: defaults, loading, and messages that name the bad entry. */
class RiskyItemsConfigTest {
    @TempDir
    Path dir;

    private FraudSpec load(final String yaml) throws IOException {
        final Path p = dir.resolve("c.yaml");
        Files.writeString(p, yaml);
        return EngineConfigLoader.loadValidated(p).fraudSpec();
    }

    private String error(final String yaml) throws IOException {
        final Path p = dir.resolve("c.yaml");
        Files.writeString(p, yaml);
        final String m = assertThrows(ConfigException.class, () -> EngineConfigLoader.loadValidated(p)).getMessage();
        final java.util.regex.Matcher where = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(p.toString())
                + " line \\d+: ").matcher(m);
        assertTrue(where.lookingAt(), "names the file and the line: " + m);
        return m.substring(where.end());
    }

    @Test
    void shouldDefaultToNoRiskyItems() {
        assertSame(RiskyItems.NONE, EngineConfigLoader.defaults().fraudSpec().features().riskyItems());
    }

    @Test
    void shouldLoadSkusAndCategories() throws IOException {
        final RiskyItems r = load("fraud:\n  riskyItems:\n    skus: [TRANSFER, CASH_OUT]\n    categories: [giftcards]\n")
            .features().riskyItems();
        assertEquals(2, r.skuCount());
        assertEquals(1, r.categoryCount());
        assertTrue(r.matches(FraudIds.hash("CASH_OUT"), FraudIds.ABSENT));
        assertTrue(r.matches(FraudIds.hash("x"), FraudIds.hash("giftcards")));
        final RiskyItems onlySkus = load("fraud:\n  riskyItems: {skus: [GIFT-50]}\n").features().riskyItems();
        assertEquals(1, onlySkus.skuCount());
        assertEquals(0, onlySkus.categoryCount(), "categories keep their default (empty)");
    }

    @Test
    void shouldNameTheDuplicateEntryAndItsFirstPlace() throws IOException {
        final String m = error("fraud:\n  riskyItems:\n    skus: [A, B, A]\n");
        assertEquals("fraud.riskyItems.skus[2]: 'A' is listed twice (also fraud.riskyItems.skus[0])", m);
        final String c = error("fraud:\n  riskyItems:\n    categories: [giftcards, giftcards]\n");
        assertTrue(c.startsWith("fraud.riskyItems.categories[1]: 'giftcards' is listed twice"), c);
    }

    @Test
    void shouldRefuseEntriesNoItemLineCanCarry() throws IOException {
        final String tooLong = "x".repeat(37);
        assertEquals("fraud.riskyItems.skus[1]: '" + tooLong + "' is 37 UTF-8 bytes, longer than the 36 an item's sku can have,"
            + " so no order could match it", error("fraud:\n  riskyItems:\n    skus: [ok, " + tooLong + "]\n"));
        // 12 three-byte characters = 36 bytes: fits; 13 do not
        load("fraud:\n  riskyItems:\n    categories: [" + "€".repeat(12) + "]\n");
        assertTrue(error("fraud:\n  riskyItems:\n    categories: [" + "€".repeat(13) + "]\n")
            .startsWith("fraud.riskyItems.categories[0]: '" + "€".repeat(13) + "' is 39 UTF-8 bytes"));
        assertEquals("fraud.riskyItems.skus[0]: '' must be a non-empty sku", error("fraud:\n  riskyItems:\n    skus: ['']\n"));
        assertEquals("fraud.riskyItems.categories[1] must be a non-empty category",
            error("fraud:\n  riskyItems:\n    categories: [a, null]\n"));
    }

    @Test
    void shouldRefuseAListLongerThanTheLimit() {
        final FraudConfig c = new FraudConfig();
        final String[] many = new String[FraudConfig.RiskyItemsConfig.MAX_ENTRIES + 1];
        for (int i = 0; i < many.length; i++) {
            many[i] = "sku-" + i;
        }
        c.riskyItems.skus(many);
        final String m = assertThrows(ConfigException.class, () -> c.validate("fraud")).getMessage();
        assertEquals("fraud.riskyItems.skus: '65537 entries' must have at most 65536 entries (name the risky skus, not the catalogue)", m);
        c.riskyItems.skus(java.util.Arrays.copyOf(many, FraudConfig.RiskyItemsConfig.MAX_ENTRIES));
        assertEquals(FraudConfig.RiskyItemsConfig.MAX_ENTRIES, c.validate("fraud").features().riskyItems().skuCount());
    }

    @Test
    void shouldRefuseUnknownFieldsOfTheSection() throws IOException {
        final Path p = dir.resolve("c.yaml");
        Files.writeString(p, "fraud:\n  riskyItems:\n    sku: [A]\n");
        final String m = assertThrows(ConfigException.class, () -> EngineConfigLoader.loadValidated(p)).getMessage();
        assertEquals(p + " line 3: fraud.riskyItems.sku: unknown field (known: categories, skus)", m);
    }
}
