package io.ringfence.tools.io;

import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a what-if configuration changes against the recorded one, setting by setting. */
class ConfigChangesTest {
    @TempDir
    Path dir;

    private EngineConfig load(final String name, final String yaml) throws IOException {
        final Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return EngineConfigLoader.loadValidated(file);
    }

    @Test
    void shouldFindNoChangeBetweenTheSameSettingsWrittenDifferently() throws IOException {
        final EngineConfig a = load("a.yaml", "fraud:\n  reviewAt: 0.5\n");
        final EngineConfig b = load("b.yaml", "fraud: {reviewAt: 0.50}\n");
        assertEquals(List.of(), ConfigChanges.between(a, b));
        assertTrue(ConfigChanges.describe("a", "b", List.of()).contains("the same settings and model"));
    }

    @Test
    void shouldListEachChangedSettingAndMatchRulesByTheirReason() throws IOException {
        final String rules = "  rules:\n"
                + "    - {reason: CARD_TESTING, on: [payment], when: [\"instrument_payments_1m >= 3\"], action: decline}\n"
                + "    - {reason: USER_VELOCITY, on: [order], when: [\"user_orders_1h >= 2\"], action: review}\n";
        final EngineConfig recorded = load("recorded.yaml", "fraud:\n  reviewAt: 0.6\n" + rules);
        final EngineConfig whatIf = load("whatif.yaml", "fraud:\n  reviewAt: 0.5\n  rules:\n"
                + "    - {reason: NEW_ACCOUNT_FAST_ORDER, on: [order], when: [\"seconds_since_signup < 30\"], action: decline}\n"
                + rules.substring(rules.indexOf('\n') + 1).replace("action: review", "action: decline"));
        final List<String> changes = ConfigChanges.between(recorded, whatIf);
        assertEquals(List.of(
                "fraud.reviewAt: 0.6 -> 0.5",
                "fraud.rules[NEW_ACCOUNT_FAST_ORDER]: (none) -> {\"reason\":\"NEW_ACCOUNT_FAST_ORDER\",\"on\":[\"order\"],"
                        + "\"when\":[\"seconds_since_signup < 30\"],\"action\":\"decline\"}",
                "fraud.rules[USER_VELOCITY].action: review -> decline"), changes,
                "an inserted rule is one change, not a change of every rule after it");
        assertTrue(ConfigChanges.describe("recorded.yaml", "whatif.yaml", changes)
                .startsWith("what-if whatif.yaml differs from recorded.yaml in 3 settings"));
    }

    @Test
    void shouldSayWhenTheWhatIfDropsTheRecordedModelAndCompareModelsByContent() throws IOException {
        final Path model = dir.resolve("model.json");
        Files.writeString(model, "{\"version\":1}");
        final Path copy = dir.resolve("copy.json");
        Files.copy(model, copy);
        final EngineConfig withModel = EngineConfigLoader.defaults();
        withModel.fraud.model = model.toString();
        final EngineConfig withCopy = EngineConfigLoader.defaults();
        withCopy.fraud.model = copy.toString();
        final EngineConfig without = EngineConfigLoader.defaults();
        assertEquals(List.of(), ConfigChanges.between(withModel, withCopy), "the recorded copy is the same model");
        final List<String> dropped = ConfigChanges.between(withModel, without);
        assertEquals(1, dropped.size(), dropped.toString());
        assertTrue(dropped.get(0).startsWith("fraud.model: " + model + " -> (none): decided by rules alone"), dropped.get(0));
        Files.writeString(copy, "{\"version\":2}");
        assertTrue(ConfigChanges.between(withModel, withCopy).get(0).endsWith("(another model)"));
    }
}
