package io.ringfence.engine.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.OptBoolean;
import io.ringfence.engine.cart.CartConfig;
import io.ringfence.engine.cart.CartSpec;
import io.ringfence.engine.anomaly.AnomalyMonitorConfig;
import io.ringfence.engine.anomaly.AnomalyMonitorSpec;
import io.ringfence.engine.commerce.CommerceSpec;
import io.ringfence.engine.commerce.InventoryConfig;
import io.ringfence.engine.commerce.OrdersConfig;
import io.ringfence.engine.fraud.FraudConfig;
import io.ringfence.engine.fraud.FraudSpec;
import io.ringfence.engine.trending.TrendingConfig;
import io.ringfence.engine.trending.TrendingSpec;
import io.ringfence.engine.window.WindowConfig;
import io.ringfence.engine.window.WindowSpec;
import io.ringfence.engine.window.WindowSpecs;

import java.util.ArrayList;
import java.util.List;

/**
 * All engine configuration, one object with a default for everything (the bundled
 * {@code ringfence-defaults.yaml}), loaded by {@link EngineConfigLoader} and checked once by
 * {@link #validate()} before anything starts.
 */
@JsonIgnoreProperties({"gateway"})
public final class EngineConfig {
    public PipelineConfig pipeline = new PipelineConfig();
    public JournalSection journal = new JournalSection();
    /** Snapshots of the engine's state for a fast restart (DESIGN §7). */
    public SnapshotSection snapshot = new SnapshotSection();
    public InputConfig input = new InputConfig();
    /** Replaced as a whole by a configuration file that names it; {@code windows: []} turns aggregation off. */
    @JsonMerge(OptBoolean.FALSE)
    public List<WindowConfig> windows = new ArrayList<>();
    /** Fraud scoring: features, rules, lists, thresholds (DESIGN §6). */
    public FraudConfig fraud = new FraudConfig();
    /** Trending skus per category by views and sales (docs/trending.md "Trending lists"). */
    public TrendingConfig trending = new TrendingConfig();
    /** Cart abandonment promotions (docs/trending.md "Cart promotions"). */
    public CartConfig carts = new CartConfig();
    /** Anomaly monitoring on tumbling windows' series; replaced as a whole by a file that names it. */
    @JsonMerge(OptBoolean.FALSE)
    public List<AnomalyMonitorConfig> anomalies = new ArrayList<>();
    /** Order lifecycle: overdue limits, retention, table size (docs/orders.md "Lifecycle"). */
    public OrdersConfig orders = new OrdersConfig();
    /** How an order or payment sent again under its id is answered (docs/fraud.md "Repeated orders and payments"). */
    public io.ringfence.engine.decision.DecisionsConfig decisions = new io.ringfence.engine.decision.DecisionsConfig();
    /** Stock per sku and warehouse: low-stock thresholds, oversell policy (docs/orders.md "Inventory"). */
    public InventoryConfig inventory = new InventoryConfig();

    /** The journal's archive is not the snapshot directory (both relative to the data directory, or absolute). */
    private void archiveApartFromSnapshots() {
        if (journal == null || snapshot == null || journal.archive == null || snapshot.dir == null) {
            return;
        }
        try {
            final java.nio.file.Path data = java.nio.file.Path.of("/data");
            if (data.resolve(journal.archive).normalize().equals(data.resolve(snapshot.dir).normalize())) {
                throw new ConfigException("journal.archive", journal.archive, "is the snapshot directory (snapshot.dir): give the"
                        + " journal's old cycle files a directory of their own");
            }
        } catch (final java.nio.file.InvalidPathException e) {
            // named by the section's own check
        }
    }

    /**
     * Checks every section, and names every problem found: one per section, per window, per rule
     * and per monitor (a monitor is checked only when the windows passed, as it names one).
     *
     * @return the validated window specifications
     * @throws ConfigException naming each bad field ({@link ConfigException#problems()})
     */
    public List<WindowSpec> validate() {
        final ConfigProblems problems = new ConfigProblems();
        problems.check(() -> section("pipeline", pipeline).validate("pipeline"));
        problems.check(() -> section("snapshot", snapshot).validate("snapshot"));
        problems.check(() -> section("journal", journal).validate("journal"));
        problems.check(this::archiveApartFromSnapshots);
        problems.check(() -> section("input", input).validate("input"));
        // checked with the others, before anything is written (configuration trial: a bad decisions.repeats was named only
        // once the engine was built, after a server had made its data directory, without the file's line)
        problems.check(this::repeatSpec);
        problems.check(this::fraudSpec);
        problems.check(this::trendingSpec);
        problems.check(this::cartSpec);
        // orders: and inventory: are two sections, each named on its own (trial: a bad inventory value was named only
        // once the orders section was fixed); each is checked beside the other's defaults
        final boolean ordersPass = problems.check((Runnable) () -> CommerceSpec.from(orders, new io.ringfence.engine.commerce.InventoryConfig()));
        final boolean inventoryPasses = problems.check((Runnable) () -> CommerceSpec.from(new io.ringfence.engine.commerce.OrdersConfig(), inventory));
        if (ordersPass && inventoryPasses) {
            problems.check(this::commerceSpec);
        }
        final List<WindowSpec> specs = problems.check(() -> WindowSpecs.from(windows == null ? List.of() : windows));
        if (specs != null) {
            problems.check(() -> anomalySpecs(specs));
            problems.check(() -> checkWindowTerms(specs));
        }
        problems.throwIfAny();
        return specs;
    }

    /**
     * Rule conditions on sliding windows ({@code user_velocity_1h.count >= 10}) name a configured sliding window and a
     * metric it keeps; other problems of a condition are the fraud section's ({@link #fraudSpec()}).
     */
    private void checkWindowTerms(final List<WindowSpec> specs) {
        if (fraud == null || fraud.rules == null) {
            return;
        }
        final ConfigProblems problems = new ConfigProblems(); // every bad term, as for the rest (review: the first only)
        for (int i = 0; i < fraud.rules.size(); i++) {
            final io.ringfence.engine.fraud.FraudConfig.RuleConfig rule = fraud.rules.get(i);
            if (rule == null || rule.when == null) {
                continue;
            }
            for (int j = 0; j < rule.when.size(); j++) {
                final io.ringfence.engine.fraud.Condition c;
                try {
                    c = io.ringfence.engine.fraud.Condition.parse(rule.when.get(j));
                } catch (final IllegalArgumentException e) {
                    continue; // said by fraudSpec()
                }
                final String problem = c.term() == null ? null : io.ringfence.engine.SlidingWindowTerms.problem(c.term(), specs);
                final String field = "fraud.rules[" + i + "].when[" + j + "]";
                final String text = rule.when.get(j);
                problems.check(() -> {
                    if (problem != null) {
                        throw new ConfigException(field, text, problem);
                    }
                });
            }
        }
        problems.throwIfAny();
    }

    private static <T> T section(final String name, final T section) {
        if (section == null) {
            throw new ConfigException(name, null, "must be a section");
        }
        return section;
    }

    /**
     * The validated {@code anomalies:} section.
     *
     * @param windows the validated windows ({@link #validate()})
     * @throws ConfigException naming each bad monitor
     */
    public List<AnomalyMonitorSpec> anomalySpecs(final List<WindowSpec> windows) {
        return AnomalyMonitorSpec.from(anomalies, windows);
    }

    /**
     * The validated {@code fraud:} section.
     *
     * @throws ConfigException naming each bad part (a problem per rule)
     */
    public FraudSpec fraudSpec() {
        if (fraud == null) {
            throw new ConfigException("fraud", null, "must be a section");
        }
        return fraud.validate("fraud");
    }

    /**
     * Refuses a model that weighs a feature this configuration leaves at 0 on every order (see
     * {@link io.ringfence.engine.fraud.FraudConfig#modelWithoutItsFeatures}): for commands that
     * decide anew; a recorded directory is re-decided as it was, with a warning.
     *
     * @throws ConfigException saying which feature and why
     */
    public void requireModelFeatures() {
        final String problem = fraud.modelWithoutItsFeatures(fraudSpec());
        if (problem != null) {
            throw new ConfigException(problem);
        }
    }

    /**
     * Refuses reasons a decision could not tell apart ({@link io.ringfence.engine.fraud.FraudConfig#reasonClash}) in a
     * configuration adopted to decide anew, naming {@code file} and the field's line ({@code defaults:} for none); a
     * recorded one is re-decided as it was, with a warning (tools' RecordedConfig).
     */
    public void requireDistinctReasons(final java.nio.file.Path file) {
        final ConfigException clash = fraud == null ? null : fraud.reasonClash("fraud");
        if (clash != null) {
            throw new ConfigException(file == null ? "defaults: " + clash.getMessage() : YamlLines.locate(file, clash));
        }
    }

    /**
     * As {@link #requireModelFeatures()}, the refusal naming {@code file} and the line of its {@code fraud.model} (analyst
     * trial: this was the one configuration refusal without its file), or {@code defaults:} for none.
     */
    public void requireModelFeatures(final java.nio.file.Path file) {
        requireDistinctReasons(file);
        try {
            requireModelFeatures();
        } catch (final ConfigException e) {
            final int line = file == null ? -1 : YamlLines.lineOf(file, "fraud.model");
            throw new ConfigException((file == null ? "defaults" : file + (line > 0 ? " line " + line : "")) + ": " + e.getMessage());
        }
    }

    /**
     * The validated {@code trending:} section.
     *
     * @throws ConfigException naming the first bad field
     */
    public TrendingSpec trendingSpec() {
        if (trending == null) {
            throw new ConfigException("trending", null, "must be a section");
        }
        return trending.validate("trending");
    }

    /**
     * The validated {@code carts:} section.
     *
     * @throws ConfigException naming the first bad field
     */
    public CartSpec cartSpec() {
        if (carts == null) {
            throw new ConfigException("carts", null, "must be a section");
        }
        return carts.validate("carts");
    }

    /**
     * The validated {@code orders:} and {@code inventory:} sections.
     *
     * @throws ConfigException naming the first bad field
     */
    public CommerceSpec commerceSpec() {
        return CommerceSpec.from(orders, inventory);
    }

    /**
     * The validated {@code decisions:} section.
     *
     * @throws ConfigException naming the first bad field
     */
    public io.ringfence.engine.decision.RepeatSpec repeatSpec() {
        if (decisions == null) {
            throw new ConfigException("decisions", null, "must be a section");
        }
        return decisions.validate("decisions");
    }
}
