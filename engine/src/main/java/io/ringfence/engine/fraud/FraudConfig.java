package io.ringfence.engine.fraud;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.OptBoolean;
import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.ConfigProblems;
import io.ringfence.engine.config.Durations;
import io.ringfence.engine.decision.Verdict;
import io.ringfence.engine.model.Ids;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code fraud:} section of the engine configuration, as bound from YAML; {@link #validate}
 * checks it into a {@link FraudSpec}, naming the bad field ({@code fraud.rules[2].when[1]}) in
 * every error. Lists ({@code rules}, and the id lists of {@code allow} and {@code deny}) are
 * replaced whole by a file that names them, never appended to the defaults.
 *
 * <pre>
 * fraud:
 *   enabled: true
 *   reviewAt: 0.6            # score from which the outcome is at least REVIEW
 *   declineAt: 0.9           # score from which the outcome is DECLINE
 *   model: model.json        # a model file from `ringfence train` (relative to this file); none by default
 *   state:
 *     maxUsers: 65536        # live keys per table; the least recently seen is replaced when full
 *     maxDevices: 65536
 *     maxIps: 65536
 *     maxInstruments: 65536
 *     idleTtl: 30d           # keys not seen for this long (event time) are evicted
 *   features:
 *     zscoreMinHistory: 3    # earlier orders before user_amount_zscore has a value
 *     failPriorRate: 0.05    # fail ratio = (failed + rate*weight) / (attempts + weight)
 *     failPriorWeight: 2
 *   allow: {reason: ALLOW_LIST, users: [], devices: [], ips: [], instruments: []}
 *   deny:  {reason: DENY_LIST,  users: [], devices: [], ips: [], instruments: []}
 *   riskyItems:              # high-risk goods: risky_items counts an order's item lines on these lists
 *     skus: []               # exact skus, e.g. [GIFT-CARD-50, PSN-CODE-20]
 *     categories: []         # exact categories, e.g. [giftcards, electronics]
 *   rules:
 *     - reason: CARD_TESTING                # 1..32 of A-Z a-z 0-9 _ - .
 *       on: [payment]                       # order, payment (default both)
 *       when: ["instrument_payments_1m >= 3", "instrument_failed_payments_1m >= 2", "amount <= 2000"]
 *       action: decline                     # approve | review | decline | add N (N in [-1, 1])
 * </pre>
 */
public final class FraudConfig {
    public boolean enabled = true;
    public double reviewAt = 0.6;
    public double declineAt = 0.9;
    /** Path of a model file ({@link ModelFile}); null or empty for none (rules only). */
    public String model;
    public State state = new State();
    public Features features = new Features();
    public IdListConfig allow = new IdListConfig("ALLOW_LIST");
    public IdListConfig deny = new IdListConfig("DENY_LIST");
    /**
     * Left out of the serialised form while both lists are empty, so configurations from before the
     * section keep their {@code ConfigDigest} (and their snapshots stay usable).
     */
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = RiskyItemsConfig.Unset.class)
    public RiskyItemsConfig riskyItems = new RiskyItemsConfig();
    @JsonMerge(OptBoolean.FALSE)
    public List<RuleConfig> rules = new ArrayList<>();

    /**
     * Makes a relative {@code model} path relative to {@code dir} (the directory of the configuration
     * file that named it) rather than to the working directory.
     */
    public void resolveModelAgainst(final java.nio.file.Path dir) {
        try {
            if (model != null && !model.isBlank() && dir != null && !java.nio.file.Path.of(model).isAbsolute()) {
                model = dir.resolve(model).normalize().toString();
            }
        } catch (final java.nio.file.InvalidPathException e) {
            // left as written: validate() reports it as an unusable fraud.model
        }
    }

    /** {@code fraud.state}. */
    public static final class State {
        public int maxUsers = 65_536;
        public int maxDevices = 65_536;
        public int maxIps = 65_536;
        public int maxInstruments = 65_536;
        public String idleTtl = "30d";
    }

    /** {@code fraud.features}. */
    public static final class Features {
        public int zscoreMinHistory = 3;
        public double failPriorRate = 0.05;
        public double failPriorWeight = 2;
    }

    /** {@code fraud.allow} and {@code fraud.deny}. */
    public static final class IdListConfig {
        public String reason;
        @JsonMerge(OptBoolean.FALSE)
        public List<String> users = new ArrayList<>();
        @JsonMerge(OptBoolean.FALSE)
        public List<String> devices = new ArrayList<>();
        @JsonMerge(OptBoolean.FALSE)
        public List<String> ips = new ArrayList<>();
        @JsonMerge(OptBoolean.FALSE)
        public List<String> instruments = new ArrayList<>();

        public IdListConfig() {
        }

        IdListConfig(final String reason) {
            this.reason = reason;
        }
    }

    /** {@code fraud.riskyItems}: skus and categories whose item lines {@code risky_items} counts. */
    public static final class RiskyItemsConfig {
        /** Most entries per list: a shop names its risky goods, not its catalogue. */
        public static final int MAX_ENTRIES = 65_536;

        @JsonMerge(OptBoolean.FALSE)
        public List<String> skus = new ArrayList<>();
        @JsonMerge(OptBoolean.FALSE)
        public List<String> categories = new ArrayList<>();

        public RiskyItemsConfig() {
        }

        /** Fluent setters for code and tests. */
        public RiskyItemsConfig skus(final String... v) {
            skus = new ArrayList<>(List.of(v));
            return this;
        }

        public RiskyItemsConfig categories(final String... v) {
            categories = new ArrayList<>(List.of(v));
            return this;
        }

        boolean isUnset() {
            return (skus == null || skus.isEmpty()) && (categories == null || categories.isEmpty());
        }

        /** Jackson's value filter: true (leave out) for a section with both lists empty. */
        static final class Unset {
            @Override
            public boolean equals(final Object other) {
                return other == null || other instanceof RiskyItemsConfig c && c.isUnset();
            }

            @Override
            public int hashCode() {
                return 0;
            }
        }
    }

    /** One entry of {@code fraud.rules}. */
    public static final class RuleConfig {
        public String reason;
        /** Free text for people (and {@code explain}); not used in scoring. */
        public String description;
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        public List<String> on;
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        public List<String> when;
        public String action;

        public RuleConfig() {
        }

        /** Fluent setters for code and tests. */
        public RuleConfig reason(final String v) {
            reason = v;
            return this;
        }

        public RuleConfig on(final String... v) {
            on = List.of(v);
            return this;
        }

        public RuleConfig when(final String... v) {
            when = List.of(v);
            return this;
        }

        public RuleConfig action(final String v) {
            action = v;
            return this;
        }
    }

    /**
     * Checks the section.
     *
     * @param path the section's path in the configuration ({@code fraud}), for messages
     * @throws ConfigException naming each bad part (a problem per rule)
     */
    public FraudSpec validate(final String path) {
        final ConfigProblems problems = new ConfigProblems(); // every bad part, rule by rule, not the first only
        problems.check(() -> {
            probability(path + ".reviewAt", reviewAt, false);
            probability(path + ".declineAt", declineAt, false);
            if (declineAt < reviewAt) {
                throw new ConfigException(path + ".declineAt", declineAt, "must not be below reviewAt (" + reviewAt + ")");
            }
        });
        final FeatureSettings settings = problems.check(() -> featureSettings(path));
        final IdList allowList = problems.check(() -> idList(path + ".allow", allow));
        final IdList denyList = problems.check(() -> idList(path + ".deny", deny));
        final List<Rule> parsed = new ArrayList<>();
        final List<RuleConfig> list = rules == null ? List.of() : rules;
        for (int i = 0; i < list.size(); i++) {
            final int index = i;
            parsed.add(problems.check(() -> rule(path + ".rules[" + index + "]", list.get(index), index)));
        }
        problems.check(() -> uniqueReasons(path, list));
        final FraudModel fraudModel = problems.check(() -> model(path));
        problems.throwIfAny();
        return new FraudSpec(enabled, settings, new RuleSet(parsed, allowList, denyList, reviewAt, declineAt), fraudModel);
    }

    /**
     * A rule's reason names it in every decision, in {@code explain} and in a what-if's list of changed settings (rules
     * are matched by reason there): two rules with one reason, or a rule with the allow or deny list's reason or the
     * stock check's {@value io.ringfence.engine.commerce.CommerceStage#OVERSELL}, made decisions whose reasons say the
     * wrong thing (trial: a decline rule named ALLOW_LIST declined with reason ALLOW_LIST).
     */
    private void uniqueReasons(final String path, final List<RuleConfig> list) {
        final java.util.Map<String, String> taken = new java.util.HashMap<>();
        if (allow != null && allow.reason != null) {
            taken.put(allow.reason, path + ".allow.reason");
        }
        if (deny != null && deny.reason != null) {
            taken.putIfAbsent(deny.reason, path + ".deny.reason");
        }
        taken.put(io.ringfence.engine.commerce.CommerceStage.OVERSELL, "the stock check (an order for more than is available)");
        for (int i = 0; i < list.size(); i++) {
            final RuleConfig rule = list.get(i);
            if (rule == null || rule.reason == null) {
                continue; // reported by the rule's own check
            }
            final String field = path + ".rules[" + i + "].reason";
            final String other = taken.putIfAbsent(rule.reason, field);
            if (other != null) {
                throw new ConfigException(field, rule.reason, "is already the reason of " + other
                        + ": every rule needs a reason of its own (decisions, explain and what-if name rules by it)");
            }
        }
    }

    /**
     * Reasons a decision could not tell apart, beyond what {@link #validate} refuses: a rule or list named
     * {@code REPEATED_ID} or {@code ID_REUSED} (the repeats' own), the allow and deny lists under one reason, reasons
     * that differ only in letter case (analyst trial, 2026-12-06). Refused for a configuration adopted to decide anew
     * ({@code EngineConfig.requireModelFeatures}); a directory recorded under such a one is re-decided as it was, with a
     * warning (review: refusing it in validate left such journals impossible to replay or explain).
     *
     * @return the first clash, naming its field, or null
     */
    public ConfigException reasonClash(final String path) {
        final java.util.Map<String, String[]> taken = new java.util.HashMap<>();
        try {
            claim(taken, io.ringfence.engine.commerce.CommerceStage.OVERSELL, "the stock check (an order for more than is available)", null);
            claim(taken, io.ringfence.engine.decision.DecisionStage.REPEATED_ID, "the repeats (an order or payment sent again)", null);
            claim(taken, io.ringfence.engine.decision.DecisionStage.ID_REUSED, "the repeats (an id sent again for other content)", null);
            if (allow != null && allow.reason != null) {
                claim(taken, allow.reason, path + ".allow.reason", "the lists and rules need reasons of their own");
            }
            if (deny != null && deny.reason != null) {
                claim(taken, deny.reason, path + ".deny.reason", "an APPROVE and a DECLINE would read alike");
            }
            for (int i = 0; rules != null && i < rules.size(); i++) {
                final RuleConfig rule = rules.get(i);
                if (rule != null && rule.reason != null) {
                    claim(taken, rule.reason, path + ".rules[" + i + "].reason", "every rule needs a reason of its own (decisions,"
                            + " explain and what-if name rules by it)");
                }
            }
            return null;
        } catch (final ConfigException e) {
            return e;
        }
    }

    /** {@code taken}: by upper-case reason, the field holding it and its spelling there. */
    private static void claim(final java.util.Map<String, String[]> taken, final String reason, final String field, final String why) {
        final String key = reason.trim().toUpperCase(Locale.ROOT);
        final String[] other = taken.get(key);
        if (other != null) {
            throw new ConfigException(field, reason, "is already the reason of " + other[0]
                    + (other[1].equals(reason.trim()) ? "" : " ('" + other[1] + "': reasons that differ only in letter case read"
                    + " as one)") + (why == null ? "" : ": " + why));
        }
        taken.put(key, new String[] {field, reason.trim()});
    }

    private FeatureSettings featureSettings(final String path) {
        if (state == null) {
            throw new ConfigException(path + ".state", null, "must be a section");
        }
        if (features == null) {
            throw new ConfigException(path + ".features", null, "must be a section");
        }
        final String s = path + ".state";
        maxKeys(s + ".maxUsers", state.maxUsers);
        maxKeys(s + ".maxDevices", state.maxDevices);
        maxKeys(s + ".maxIps", state.maxIps);
        maxKeys(s + ".maxInstruments", state.maxInstruments);
        final long ttl = Durations.parseMicros(s + ".idleTtl", state.idleTtl);
        if (ttl < Horizon.DAY) {
            throw new ConfigException(s + ".idleTtl", state.idleTtl, "must be at least 1d (the longest velocity window)");
        }
        final String f = path + ".features";
        if (features.zscoreMinHistory < 2 || features.zscoreMinHistory > 1_000) {
            throw new ConfigException(f + ".zscoreMinHistory", features.zscoreMinHistory, "must be between 2 and 1000");
        }
        probability(f + ".failPriorRate", features.failPriorRate, true);
        if (!(features.failPriorWeight > 0) || features.failPriorWeight > 1_000) {
            throw new ConfigException(f + ".failPriorWeight", features.failPriorWeight,
                "must be above 0 and at most 1000 (attempts the prior counts as)");
        }
        return new FeatureSettings(state.maxUsers, state.maxDevices, state.maxIps,
            state.maxInstruments, ttl, features.zscoreMinHistory, features.failPriorRate, features.failPriorWeight,
            riskyItems(path + ".riskyItems", riskyItems));
    }

    private FraudModel model(final String path) {
        if (model == null || model.isBlank()) {
            return FraudModel.NONE;
        }
        try {
            return ModelFile.read(java.nio.file.Path.of(model));
        } catch (final ModelFile.ModelFileException | java.nio.file.InvalidPathException e) {
            throw new ConfigException(path + ".model", model, "is not a usable model file: " + e.getMessage());
        }
    }

    /**
     * A model that weighs {@code risky_items} under a configuration without {@code riskyItems}
     * lists: the feature would be 0 on every order and the model score silently without its
     * (often largest) term (model trial: a PaySim model lost every review). Commands that decide
     * anew refuse it ({@code run}, {@code server}, {@code demo}, {@code evaluate}); those that
     * re-decide a recorded directory warn and re-decide it as recorded.
     *
     * @param spec this section's validated spec
     * @return what is wrong, or null
     */
    public String modelWithoutItsFeatures(final FraudSpec spec) {
        if (!spec.enabled() || !(spec.model() instanceof LogisticModel) || !spec.features().riskyItems().isEmpty()) {
            return null;
        }
        for (final ModelTerm t : ((LogisticModel) spec.model()).terms()) {
            if (t.weight() != 0 && t.feature() == Feature.RISKY_ITEMS) {
                return "fraud.model: '" + model + "' weighs risky_items (weight " + t.weight() + " per standard deviation) but"
                        + " fraud.riskyItems is empty, so that feature would be 0 on every order: set the riskyItems the model"
                        + " was trained with, or train one without them";
            }
        }
        return null;
    }

    private static void probability(final String field, final double value, final boolean zeroOk) {
        if (!(value >= 0 && value <= 1) || (!zeroOk && value == 0)) {
            throw new ConfigException(field, value, zeroOk ? "must be between 0 and 1" : "must be above 0 and at most 1");
        }
    }

    private static void maxKeys(final String field, final int value) {
        if (value < 16 || value > 16_777_216) {
            throw new ConfigException(field, value, "must be between 16 and 16777216");
        }
    }

    private static String reason(final String field, final String reason) {
        if (reason == null || reason.isEmpty()) {
            throw new ConfigException(field, null, "is required (a reason code of 1.." + Verdict.MAX_REASON_LENGTH
                + " characters A-Z a-z 0-9 _ - .)");
        }
        if (reason.length() > Verdict.MAX_REASON_LENGTH || !reason.matches("[A-Za-z0-9_.-]+")) {
            throw new ConfigException(field, reason, "must be 1.." + Verdict.MAX_REASON_LENGTH
                + " characters A-Z a-z 0-9 _ - .");
        }
        return reason;
    }

    private static IdList idList(final String field, final IdListConfig c) {
        if (c == null) {
            return IdList.EMPTY;
        }
        final String code = reason(field + ".reason", c.reason);
        return new IdList(code, ids(field + ".users", c.users, Ids.MAX_ID_BYTES), ids(field + ".devices", c.devices, Ids.MAX_ID_BYTES),
            ids(field + ".ips", c.ips, MAX_IP_BYTES), ids(field + ".instruments", c.instruments, Ids.MAX_ID_BYTES));
    }

    /** The longest ip text an event carries (the SBE {@code Ip} field). */
    private static final int MAX_IP_BYTES = 46;

    private static List<String> ids(final String field, final List<String> ids, final int maxBytes) {
        if (ids == null) {
            return List.of();
        }
        for (int i = 0; i < ids.size(); i++) {
            final String id = ids.get(i);
            if (id == null || id.isEmpty()) {
                throw new ConfigException(field + "[" + i + "]", id, "must be a non-empty id");
            }
            final int bytes = id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > maxBytes) {
                // an event with a longer id is refused at input (ID_TOO_LONG), so this entry could never match
                throw new ConfigException(field + "[" + i + "]", id, "is " + bytes + " UTF-8 bytes, longer than the " + maxBytes
                    + " an event's id can have, so no event could match it");
            }
        }
        return ids;
    }

    private static RiskyItems riskyItems(final String field, final RiskyItemsConfig c) {
        if (c == null) {
            return RiskyItems.NONE;
        }
        final List<String> skus = itemIds(field + ".skus", c.skus, "sku");
        final List<String> categories = itemIds(field + ".categories", c.categories, "category");
        return skus.isEmpty() && categories.isEmpty() ? RiskyItems.NONE : new RiskyItems(skus, categories);
    }

    /** A list of skus or categories: each an id an item line can carry, listed once. */
    private static List<String> itemIds(final String field, final List<String> ids, final String what) {
        if (ids == null) {
            return List.of();
        }
        if (ids.size() > RiskyItemsConfig.MAX_ENTRIES) {
            throw new ConfigException(field, ids.size() + " entries", "must have at most " + RiskyItemsConfig.MAX_ENTRIES
                + " entries (name the risky " + what + "s, not the catalogue)");
        }
        final Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            final String id = ids.get(i);
            final String entry = field + "[" + i + "]";
            if (id == null || id.isEmpty()) {
                throw new ConfigException(entry, id, "must be a non-empty " + what);
            }
            final int bytes = id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > Ids.MAX_ID_BYTES) {
                throw new ConfigException(entry, id, "is " + bytes + " UTF-8 bytes, longer than the " + Ids.MAX_ID_BYTES
                    + " an item's " + what + " can have, so no order could match it");
            }
            if (id.indexOf('\0') >= 0) {
                throw new ConfigException(entry, id, "must not contain a NUL character");
            }
            final Integer first = seen.putIfAbsent(id, i);
            if (first != null) {
                throw new ConfigException(entry, id, "is listed twice (also " + field + "[" + first + "])");
            }
        }
        return ids;
    }

    private static Rule rule(final String field, final RuleConfig c, final int index) {
        if (c == null) {
            throw new ConfigException(field, null, "must be a rule (reason, on, when, action)");
        }
        final String code = reason(field + ".reason", c.reason);
        boolean orders = true;
        boolean payments = true;
        if (c.on != null) {
            orders = false;
            payments = false;
            if (c.on.isEmpty()) {
                throw new ConfigException(field + ".on", c.on, "must name order, payment or both");
            }
            for (int i = 0; i < c.on.size(); i++) {
                final String kind = c.on.get(i) == null ? "" : c.on.get(i).trim().toLowerCase(Locale.ROOT);
                switch (kind) {
                    case "order": orders = true; break;
                    case "payment": payments = true; break;
                    case "both": orders = true; payments = true; break; // the docs' word for the default (analyst trial)
                    default: throw new ConfigException(field + ".on[" + i + "]", c.on.get(i), "is not order, payment or both");
                }
            }
        }
        final List<Condition> conditions = new ArrayList<>();
        if (c.when == null || c.when.isEmpty()) {
            throw new ConfigException(field + ".when", null, "needs at least one condition (feature op number)");
        }
        for (int i = 0; i < c.when.size(); i++) {
            try {
                final Condition cond = Condition.parse(c.when.get(i));
                conditions.add(cond);
            } catch (final IllegalArgumentException e) {
                throw new ConfigException(field + ".when[" + i + "]", c.when.get(i), e.getMessage());
            }
        }
        if (c.action == null) {
            throw new ConfigException(field + ".action", null, "is required (approve, review, decline or add N)");
        }
        final String a = c.action.trim().toLowerCase(Locale.ROOT);
        final Rule.Action action;
        double add = 0;
        switch (a) {
            case "approve": action = Rule.Action.APPROVE; break;
            case "review": action = Rule.Action.REVIEW; break;
            case "decline": action = Rule.Action.DECLINE; break;
            default:
                if (!a.startsWith("add ")) {
                    throw new ConfigException(field + ".action", c.action, "is not approve, review, decline or add N");
                }
                try {
                    add = Double.parseDouble(a.substring(4).trim());
                } catch (final NumberFormatException e) {
                    throw new ConfigException(field + ".action", c.action, "has no number after add (add 0.25)");
                }
                if (!(add >= -1 && add <= 1)) {
                    throw new ConfigException(field + ".action", c.action, "must add a number between -1 and 1");
                }
                action = Rule.Action.ADD;
                break;
        }
        return new Rule(code, conditions, orders, payments, action, add, index);
    }
}
