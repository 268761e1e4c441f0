package io.ringfence.engine.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.fraud.FraudModel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of the configuration that decides the engine's state and outputs: the {@code windows},
 * {@code fraud} (rules, lists, thresholds, feature settings, table sizes), {@code trending},
 * {@code carts}, {@code orders}, {@code inventory}, {@code decisions} and {@code anomalies} sections, with the
 * model file's path replaced by the model's id (its content, not where it lies). Pipeline,
 * journal, input and snapshot settings are left out: they change how the engine runs, not what
 * it computes. A snapshot carries this digest; one taken under another digest is refused, since
 * the journal's tail replayed on top of it under this configuration would give a state no
 * single configuration produces.
 */
public final class ConfigDigest {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ConfigDigest() {
    }

    /** @param model the model the configuration resolved to ({@code config.fraudSpec().model()}) */
    public static byte[] of(final EngineConfig config, final FraudModel model) {
        final ObjectNode tree = JSON.createObjectNode();
        tree.set("windows", JSON.valueToTree(config.windows));
        final ObjectNode fraud = JSON.valueToTree(config.fraud);
        fraud.put("model", model == null ? "none" : model.id());
        tree.set("fraud", fraud);
        tree.set("trending", JSON.valueToTree(config.trending));
        tree.set("carts", JSON.valueToTree(config.carts));
        tree.set("orders", JSON.valueToTree(config.orders));
        tree.set("inventory", JSON.valueToTree(config.inventory));
        tree.set("decisions", JSON.valueToTree(config.decisions));
        if (config.anomalies != null && !config.anomalies.isEmpty()) {
            tree.set("anomalies", JSON.valueToTree(config.anomalies));
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8));
        } catch (final NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot digest the configuration: " + e, e);
        }
    }

    /** The first 12 hex digits, for log lines. */
    public static String shortHex(final byte[] digest) {
        return HexFormat.of().formatHex(digest, 0, 6);
    }
}
