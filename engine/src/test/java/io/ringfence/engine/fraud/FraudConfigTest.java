package io.ringfence.engine.fraud;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code fraud:} section: defaults, overrides and error messages that name the field. */
class FraudConfigTest {
    @TempDir
    Path dir;

    private EngineConfig load(final String yaml) throws IOException {
        final Path p = dir.resolve("c.yaml");
        Files.writeString(p, yaml);
        return EngineConfigLoader.loadValidated(p);
    }

    private String error(final String yaml) throws IOException {
        final Path p = dir.resolve("c.yaml");
        Files.writeString(p, yaml);
        return assertThrows(ConfigException.class, () -> EngineConfigLoader.loadValidated(p)).getMessage();
    }

    @Test
    void shouldLoadTheDefaultRules() {
        final FraudSpec spec = EngineConfigLoader.defaults().fraudSpec();
        assertTrue(spec.enabled());
        final List<String> reasons = spec.rules().rules().stream().map(Rule::reason).toList();
        assertTrue(reasons.containsAll(List.of("CARD_TESTING", "ACCOUNT_TAKEOVER", "DEVICE_RING", "NEW_ACCOUNT_FAST_ORDER")),
            reasons.toString());
        assertEquals("CARD_TESTING", reasons.get(0), "the only decline rule comes first");
        assertEquals(0.6, spec.rules().reviewAt());
        assertEquals(0.9, spec.rules().declineAt());
    }

    @Test
    void shouldReplaceTheRuleListWholeAndKeepOtherDefaults() throws IOException {
        final EngineConfig c = load("fraud:\n  reviewAt: 0.5\n  rules:\n    - reason: BIG\n      when: amount > 100000\n"
            + "      action: add 0.5\n");
        final FraudSpec spec = c.fraudSpec();
        assertEquals(1, spec.rules().rules().size());
        assertEquals(0.5, spec.rules().reviewAt());
        assertEquals(0.9, spec.rules().declineAt(), "declineAt kept");
        assertEquals(65_536, spec.features().maxUsers());
    }

    @Test
    void shouldNameTheBadConditionOfARule() throws IOException {
        final String m = error("fraud:\n  rules:\n    - reason: X\n      when: [\"amount > 1\", \"amount >> 2\"]\n      action: review\n");
        assertTrue(m.contains("fraud.rules[0].when[1]: 'amount >> 2' is not a condition"), m);
        final String f = error("fraud:\n  rules:\n    - reason: X\n      when: [\"velocity > 1\"]\n      action: review\n");
        assertTrue(f.contains("fraud.rules[0].when[0]") && f.contains("names no feature 'velocity'"), f);
    }

    private String adoptionError(final String yaml) throws IOException {
        final Path p = dir.resolve("c.yaml");
        Files.writeString(p, yaml);
        final EngineConfig c = EngineConfigLoader.loadValidated(p);
        return assertThrows(ConfigException.class, () -> c.requireModelFeatures(p)).getMessage();
    }

    @Test
    void shouldRefuseBadActionsReasonsAndKinds() throws IOException {
        assertTrue(error("fraud:\n  rules:\n    - reason: X\n      when: amount > 1\n      action: block\n")
            .contains("fraud.rules[0].action: 'block' is not approve, review, decline or add N"));
        assertTrue(error("fraud:\n  rules:\n    - reason: X\n      when: amount > 1\n      action: add 2\n")
            .contains("fraud.rules[0].action: 'add 2' must add a number between -1 and 1"));
        assertTrue(error("fraud:\n  rules:\n    - reason: ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456\n      when: amount > 1\n"
            + "      action: review\n").contains("fraud.rules[0].reason"));
        assertTrue(error("fraud:\n  rules:\n    - reason: X\n      on: refund\n      when: amount > 1\n      action: review\n")
            .contains("fraud.rules[0].on[0]: 'refund' is not order, payment or both"));
        // analyst trial: the docs' "(default both)" was refused as a value
        final EngineConfig both = load("fraud:\n  rules:\n    - reason: X\n      on: both\n      when: amount > 1\n      action: review\n");
        assertEquals(1, both.fraudSpec().rules().rules().size());
        assertTrue(error("fraud:\n  rules:\n    - reason: X\n      action: review\n")
            .contains("fraud.rules[0].when needs at least one condition"));
    }

    /** Trial: two rules named BIG were both accepted ("reasons":["BIG","BIG"]), and a decline rule named ALLOW_LIST too. */
    @Test
    void shouldRefuseARuleReasonThatIsAlreadyTaken() throws IOException {
        final String twice = error("fraud:\n  rules:\n    - reason: BIG\n      when: amount > 100000\n      action: decline\n"
            + "    - reason: BIG\n      when: amount > 5\n      action: decline\n");
        assertTrue(twice.contains("fraud.rules[1].reason: 'BIG' is already the reason of fraud.rules[0].reason"), twice);
        final String list = error("fraud:\n  rules:\n    - reason: ALLOW_LIST\n      when: amount > 5\n      action: decline\n");
        assertTrue(list.contains("fraud.rules[0].reason: 'ALLOW_LIST' is already the reason of fraud.allow.reason"), list);
        final String renamed = error("fraud:\n  deny: {reason: BLOCKED}\n  rules:\n    - reason: BLOCKED\n      when: amount > 5\n"
            + "      action: decline\n");
        assertTrue(renamed.contains("is already the reason of fraud.deny.reason"), renamed);
        assertTrue(error("fraud:\n  rules:\n    - reason: OVERSELL\n      when: amount > 5\n      action: review\n")
            .contains("is already the reason of the stock check"));
        assertEquals(2, load("fraud:\n  rules:\n    - reason: BIG\n      when: amount > 100000\n      action: decline\n"
            + "    - reason: BIGGER\n      when: amount > 5\n      action: review\n").fraudSpec().rules().rules().size());
        // analyst trial: the repeats' reasons, one reason for both lists, and reasons apart only by letter case were taken;
        // refused for a configuration adopted to decide anew, not in validation (a recorded one is re-decided as it was)
        assertTrue(adoptionError("fraud:\n  rules:\n    - reason: REPEATED_ID\n      when: amount > 5\n      action: review\n")
            .contains("c.yaml line 3: fraud.rules[0].reason: 'REPEATED_ID' is already the reason of the repeats"));
        assertTrue(adoptionError("fraud:\n  rules:\n    - reason: ID_REUSED\n      when: amount > 5\n      action: review\n")
            .contains("is already the reason of the repeats"));
        assertTrue(adoptionError("fraud:\n  allow: {reason: LISTED}\n  deny: {reason: LISTED}\n")
            .contains("fraud.deny.reason: 'LISTED' is already the reason of fraud.allow.reason: an APPROVE and a DECLINE"));
        assertTrue(adoptionError("fraud:\n  rules:\n    - reason: BIG\n      when: amount > 100000\n      action: decline\n"
            + "    - reason: big\n      when: amount > 5\n      action: decline\n")
            .contains("fraud.rules[1].reason: 'big' is already the reason of fraud.rules[0].reason ('BIG': reasons that differ only"));
        assertEquals(2, load("fraud:\n  rules:\n    - reason: BIG\n      when: amount > 100000\n      action: decline\n"
            + "    - reason: big\n      when: amount > 5\n      action: decline\n").fraudSpec().rules().rules().size(),
            "validation alone takes it: a directory recorded under it is re-decided as it was");
    }

    @Test
    void shouldRefuseBadThresholdsAndState() throws IOException {
        assertTrue(error("fraud:\n  reviewAt: 0.95\n").contains("fraud.declineAt: '0.9' must not be below reviewAt"));
        assertTrue(error("fraud:\n  reviewAt: 0\n").contains("fraud.reviewAt: '0' must be above 0"));
        assertTrue(error("fraud:\n  state:\n    maxUsers: 3\n").contains("fraud.state.maxUsers: '3' must be between"));
        assertTrue(error("fraud:\n  state:\n    idleTtl: 1h\n").contains("fraud.state.idleTtl: '1h' must be at least 1d"));
        assertTrue(error("fraud:\n  features:\n    failPriorWeight: 0\n").contains("fraud.features.failPriorWeight"));
        assertTrue(error("fraud:\n  deny:\n    users: [\"\"]\n").contains("fraud.deny.users[0]"));
        // config trial: a 40-byte user id was accepted, yet an event carrying it is refused (ID_TOO_LONG): dead entry
        final String longUser = error("fraud:\n  deny:\n    users: [u-1, " + "x".repeat(40) + "]\n");
        assertTrue(longUser.contains("fraud.deny.users[1]: '" + "x".repeat(40) + "' is 40 UTF-8 bytes, longer than the 36 an event's id"
            + " can have, so no event could match it"), longUser);
        assertTrue(error("fraud:\n  allow:\n    devices: [" + "d".repeat(37) + "]\n").contains("fraud.allow.devices[0]"));
        assertEquals(1, load("fraud:\n  deny:\n    users: [" + "x".repeat(36) + "]\n    ips: [\"2001:0db8:85a3:0000:0000:8a2e:0370:7334\"]\n")
            .fraud.deny.users.size(), "36 bytes, and an IPv6 text of 39, are fine");
    }

    @Test
    void shouldTurnScoringOff() throws IOException {
        assertTrue(!load("fraud:\n  enabled: false\n").fraudSpec().enabled());
    }
}
