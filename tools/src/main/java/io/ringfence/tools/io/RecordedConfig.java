package io.ringfence.tools.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.ringfence.engine.config.ConfigException;
import io.ringfence.engine.config.EngineConfig;
import io.ringfence.engine.config.EngineConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The engine configuration a data directory was written with, kept next to its journal: the
 * commands that write a journal ({@code run}, {@code server}, {@code demo}, {@code evaluate --data})
 * record the effective configuration as {@value #FILE} (every setting spelled out, the model file
 * copied in as {@value #MODEL}), and the commands that re-decide it ({@code replay},
 * {@code explain}) use it unless told {@code --config}. So "why was this order declined" is
 * answered with the rules and model that declined it, not with today's defaults.
 *
 * <p>One file per directory: a server restarted with another configuration overwrites it, and
 * the journal written before under the old one is then re-decided with the new one (pass the old
 * file with {@code --config} for that part).
 */
public final class RecordedConfig {
    public static final String FILE = "ringfence-config.yaml";
    public static final String MODEL = "ringfence-model.json";

    private RecordedConfig() {
    }

    /** Writes {@code config} (validated) into {@code data}, atomically. */
    public static void record(final Path data, final EngineConfig config) {
        try {
            Files.createDirectories(data);
            final ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
            final ObjectNode tree = yaml.valueToTree(config);
            final String model = config.fraud == null ? null : config.fraud.model;
            if (model != null && !model.isBlank()) {
                final Path copy = data.resolve(MODEL + ".tmp");
                Files.copy(Path.of(model), copy, StandardCopyOption.REPLACE_EXISTING);
                Files.move(copy, data.resolve(MODEL), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                ((ObjectNode) tree.get("fraud")).put("model", MODEL);
            }
            final String text = "# The engine configuration this data directory's journal was last written with\n"
                    + "# (recorded by ringfence; replay and explain use it unless given --config).\n"
                    + yaml.writeValueAsString(tree);
            final Path tmp = data.resolve(FILE + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, data.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot record the configuration in " + data + ": " + e.getMessage(), e);
        }
    }

    /**
     * The configuration to re-decide {@code data} with: {@code explicit} when given, else the one
     * recorded there, else the defaults. Validated.
     */
    public static EngineConfig load(final Path data, final Path explicit) {
        final Path source = source(data, explicit);
        final EngineConfig config = EngineConfigLoader.loadValidated(source);
        if (explicit == null && source != null && recordedBeforeWhenFull(source)) {
            config.orders.whenFull = "refuse";
        }
        return config;
    }

    /**
     * True when a recorded file predates {@code orders.whenFull}: it spells out every orders
     * setting but that one, and the engine that wrote its journal refused new orders over
     * {@code maxOrders}, so it is re-decided that way (today's default, forget-oldest, would give
     * other outputs once the book filled).
     */
    static boolean recordedBeforeWhenFull(final Path recorded) {
        try {
            final JsonNode orders = new ObjectMapper(new YAMLFactory()).readTree(recorded.toFile()).path("orders");
            return orders.isObject() && orders.has("maxOrders") && !orders.has("whenFull");
        } catch (final IOException e) {
            return false; // loadValidated has read it already; a file it accepted is not unreadable here
        }
    }

    /**
     * The lines saying how {@code whatIf} (loaded from {@code file}) differs from the configuration
     * {@code data} was decided with ({@link ConfigChanges}), for a what-if command's summary.
     */
    public static String whatIf(final Path data, final Path file, final EngineConfig whatIf) {
        final Path recorded = source(data, null);
        final EngineConfig before;
        try {
            before = load(data, null);
        } catch (final ConfigException e) {
            // --config is also the way round a recorded file this version cannot read: compare nothing, go on
            return "what-if " + file + ": not compared with the recorded configuration, which does not load here: "
                    + e.getMessage() + "\n";
        }
        return ConfigChanges.describe(recorded == null ? "the defaults" : recorded.toString(), file.toString(),
                ConfigChanges.between(before, whatIf));
    }

    /** The file {@link #load} reads, or null for the defaults. */
    public static Path source(final Path data, final Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        final Path recorded = data.resolve(FILE);
        return Files.isRegularFile(recorded) ? recorded : null;
    }
}
