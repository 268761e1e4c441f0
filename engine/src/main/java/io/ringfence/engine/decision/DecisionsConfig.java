package io.ringfence.engine.decision;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.Durations;

import java.util.Locale;

/**
 * The {@code decisions:} section, as bound from YAML; {@link #validate} checks it into a
 * {@link RepeatSpec}, naming the field, the value and why in every error.
 *
 * <pre>
 * decisions:
 *   repeats: first         # first | again: an order or payment sent again (same id; for a payment also its result)
 *                          # with the same user, amount and currency is answered with its first decision
 *                          # and counted once (first), or decided and counted again (again)
 *   rememberFor: 7d        # how long (event time) a decided id is remembered
 *   maxRemembered: 262144  # ids remembered at once; beyond, the oldest is forgotten (counted)
 * </pre>
 *
 * A client's own resend after a reconnect never reaches this: the gateway answers it by its client
 * sequence (docs/gateway.md). This is for the same order or payment sent as a new message: a shop
 * that restarted without its sequence state, a retried webhook, a file loaded twice.
 */
public final class DecisionsConfig {
    public String repeats = "first";
    public String rememberFor = "7d";
    public int maxRemembered = 262_144;

    /**
     * @param path the section's name in errors ({@code decisions})
     * @throws ConfigException naming the first bad field
     */
    public RepeatSpec validate(final String path) {
        final String mode = repeats == null ? "" : repeats.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("first") && !mode.equals("again")) {
            throw new ConfigException(path + ".repeats", repeats, "must be first (answer an order or payment sent again with"
                    + " its first decision) or again (decide it again)");
        }
        final long micros = Durations.parseMicros(path + ".rememberFor", rememberFor);
        if (micros < 1_000_000L) {
            throw new ConfigException(path + ".rememberFor", rememberFor, "must be at least 1s");
        }
        if (maxRemembered < 1 || maxRemembered > (1 << 24)) {
            throw new ConfigException(path + ".maxRemembered", maxRemembered, "must be between 1 and 16777216");
        }
        return new RepeatSpec(mode.equals("first"), micros, maxRemembered);
    }
}
