package io.ringfence.engine.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads {@link EngineConfig} from YAML: the bundled defaults first, then the user's file over
 * them (sections merge field by field; {@code windows} is replaced whole). Every mistake becomes
 * a {@link ConfigException} that names the file, line, field and problem.
 */
public final class EngineConfigLoader {
    public static final String DEFAULTS_RESOURCE = "/ringfence-defaults.yaml";
    /** Files already said to hold no settings: once per process (a server loads its file for the warm-up too). */
    private static final java.util.Set<Path> WARNED_EMPTY = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private EngineConfigLoader() {
    }

    /** The defaults alone. */
    public static EngineConfig defaults() {
        try (InputStream in = EngineConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULTS_RESOURCE);
            }
            return mapper().readValue(in, EngineConfig.class);
        } catch (final IOException e) {
            throw new UncheckedIOException("bundled defaults unreadable", e);
        }
    }

    /**
     * Defaults overridden by {@code file}; a null file means defaults only. Not yet validated. A
     * relative {@code fraud.model} path is taken relative to the file's directory.
     */
    public static EngineConfig load(final Path file) {
        final EngineConfig config = readInto(file, defaults());
        if (file != null && holdsNothing(file) && WARNED_EMPTY.add(file.toAbsolutePath().normalize())) {
            // a file given on purpose that says nothing is more often a mistake (a template all commented out, a file
            // truncated on its way) than a wish for the defaults: said, not refused (left item)
            org.slf4j.LoggerFactory.getLogger(EngineConfigLoader.class).warn("{} holds no settings (empty, or comments only):"
                + " the defaults apply to every section", file);
        }
        if (file != null && config.fraud != null) {
            config.fraud.resolveModelAgainst(file.toAbsolutePath().getParent());
        }
        if (file != null && config.journal != null) {
            config.journal.resolveSealKeyAgainst(file.toAbsolutePath().getParent());
        }
        return config;
    }

    /**
     * A key with nothing after it ({@code fraud.rules:} left empty reads as null) whose default is a list or a map with
     * entries (or a top-level list: {@code windows}, {@code anomalies}) is refused with its line: it would replace the default by none without a word (audit: {@code fraud.rules:} left empty
     * dropped all ten default rules, and a card-testing burst was then approved; {@code windows:} the same for every
     * window); {@code []} and <code>{}</code> say "none" on purpose, and a key left out keeps its default. Other keys
     * may be null (optional settings, as the recorded {@code ringfence-config.yaml} writes them).
     */
    private static <T> void refuseEmptyLists(final Path file, final String text, final T target) {
        final com.fasterxml.jackson.databind.JsonNode tree;
        final com.fasterxml.jackson.databind.JsonNode defaults;
        try {
            tree = mapper().readTree(text);
            defaults = mapper().valueToTree(target);
        } catch (final IOException | IllegalArgumentException e) {
            return; // reported with its line by the binding
        }
        final String path = emptyList(tree, defaults, "");
        if (path == null) {
            return;
        }
        final int line = YamlLines.lineOf(file, path);
        final String where = line > 0 ? file + " line " + line + ": " : file + ": ";
        if (defaults.at("/" + path.replace('.', '/')).isArray() && !path.contains(".")) {
            throw new ConfigException(where + path + ": is empty: list them, or write `" + path + ": []` for none");
        }
        throw new ConfigException(where + path + ": is empty, which would drop its default: write `[]` (an empty list) or"
                + " `{}` (an empty map) for none, or leave the key out for its default");
    }

    /**
     * The path of the first key of {@code node} (in the file's order; sections only, not list items) that is null where
     * {@code defaults} has a list or a map with entries, or a list at the top, or null.
     */
    private static String emptyList(final com.fasterxml.jackson.databind.JsonNode node,
                                    final com.fasterxml.jackson.databind.JsonNode defaults, final String at) {
        if (node == null || !node.isObject() || defaults == null || !defaults.isObject()) {
            return null;
        }
        final java.util.Iterator<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            final java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f = fields.next();
            final String path = at.isEmpty() ? f.getKey() : at + "." + f.getKey();
            final com.fasterxml.jackson.databind.JsonNode fallback = defaults.get(f.getKey());
            if (f.getValue().isNull()) {
                // a default of none is what null means anyway; windows and anomalies: [] says none on purpose
                if (fallback != null && (fallback.isArray() || fallback.isObject()) && (!fallback.isEmpty() || at.isEmpty())) {
                    return path;
                }
            } else {
                final String found = emptyList(f.getValue(), fallback, path);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The refusal of a file that is not UTF-8 text, naming the line and byte of the first bad byte when it can read them. */
    private static String notUtf8(final Path file) {
        if (!Files.isRegularFile(file)) {
            // a FIFO or a pipe cannot be read again for the line (review: a FIFO waited for a writer for ever)
            return file + ": is not UTF-8 text: a configuration is UTF-8 (save the file as UTF-8)";
        }
        try {
            final byte[] bytes = Files.readAllBytes(file);
            final java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
            final java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
            java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            return String.format("%s line %d: byte 0x%02X at offset %,d is not UTF-8: a configuration is UTF-8 text (save the"
                    + " file as UTF-8)", file, line, bytes[in.position()] & 0xFF, in.position());
        } catch (final IOException | RuntimeException e) {
            return file + ": is not UTF-8 text: a configuration is UTF-8 (save the file as UTF-8)";
        }
    }

    /**
     * YAML anchors and aliases ({@code &name}, {@code *name}) are refused with their line: the reader took an alias of a
     * value as the alias's own name (audit: {@code lateness: *5m} after {@code &5m 10m} read as 5m; {@code keys: [*uk]}
     * watched a key named "uk") and refused one of a list or section with a message that did not say why.
     */
    private static void refuseAnchors(final Path file, final String text) {
        try {
            for (final org.yaml.snakeyaml.events.Event event : new org.yaml.snakeyaml.Yaml().parse(new java.io.StringReader(text))) {
                if (event instanceof org.yaml.snakeyaml.events.NodeEvent node && node.getAnchor() != null) {
                    final boolean alias = event instanceof org.yaml.snakeyaml.events.AliasEvent;
                    throw new ConfigException(file + " line " + (event.getStartMark().getLine() + 1) + ": " + (alias ? "*" : "&")
                            + node.getAnchor() + ": YAML " + (alias ? "aliases" : "anchors") + " (&name, *name) are not supported"
                            + " in a configuration: write the value out where it is used");
                }
            }
        } catch (final org.yaml.snakeyaml.error.YAMLException e) {
            // a syntax error: reported with its line by the binding
        }
    }

    /**
     * Overrides the fields of {@code target} with what {@code file} says, with the same strictness and
     * messages as the engine's own configuration (unknown fields named with the known ones, wrong
     * types, YAML errors with their line). Other modules read their section of the one
     * configuration file this way (the gateway its {@code gateway:} section, through a wrapper that
     * ignores the other top-level sections). A null or blank file leaves {@code target} as it is.
     */
    public static <T> T readInto(final Path file, final T target) {
        if (file == null) {
            return target;
        }
        final String text;
        try {
            text = YamlLines.read(file);
        } catch (final NoSuchFileException e) {
            throw new ConfigException(file + ": no such configuration file");
        } catch (final java.nio.charset.CharacterCodingException e) {
            // audit: "cannot read configuration file: Input length = 1" named neither the line nor the encoding
            throw new ConfigException(notUtf8(file));
        } catch (final java.nio.file.AccessDeniedException e) {
            // SRE trial: "cannot read configuration file: FILE" did not say why (a 0600 file of another user)
            throw new ConfigException(file + ": cannot read configuration file: permission denied (this process's user may not"
                + " read it: check its owner and mode)");
        } catch (final IOException e) {
            throw new ConfigException(file + ": cannot read configuration file: " + e.getMessage());
        }
        final int hidden = contentAfterEmptyFirstDocument(text);
        if (hidden > 0) {
            // review: '---' twice then settings read as an empty file (the first document), the settings ignored
            throw new ConfigException(file + " line " + hidden + ": these settings follow an empty YAML document (a '---' line"
                    + " with nothing before the next one) and would be ignored: remove the extra '---'");
        }
        if (text.isBlank() || noContent(text)) {
            return target;
        }
        final int second = secondDocumentLine(text);
        if (second > 0) {
            throw new ConfigException(file + " line " + second + ": a second YAML document (after a '---' line): a configuration"
                    + " is one document, and this one would be ignored; put every setting in one");
        }
        refuseAnchors(file, text);
        refuseEmptyLists(file, text, target);
        try {
            checkShapes(text, target.getClass());
            return mapper().readerForUpdating(target).readValue(text);
        } catch (final UnrecognizedPropertyException e) {
            final java.util.Set<String> names = new java.util.TreeSet<>();
            if (e.getKnownPropertyIds() != null) {
                e.getKnownPropertyIds().forEach(id -> names.add(String.valueOf(id)));
            }
            final com.fasterxml.jackson.annotation.JsonIgnoreProperties other = e.getReferringClass() == null ? null
                    : e.getReferringClass().getAnnotation(com.fasterxml.jackson.annotation.JsonIgnoreProperties.class);
            if (other != null) {
                names.addAll(java.util.List.of(other.value())); // sections other modules read (gateway)
            }
            final String known = names.isEmpty() ? "" : " (known: " + String.join(", ", names) + ")";
            // the key's own line: the parser's location is its value's, the next line for a section (audit: `windws:` on
            // line 1 was reported at line 2)
            final int keyLine = file == null ? -1 : YamlLines.lineOf(file, path(e));
            throw new ConfigException((keyLine > 0 ? file + " line " + keyLine + ": " : where(file, e)) + path(e) + ": unknown field" + known);
        } catch (final InvalidFormatException e) {
            final Class<?> type = e.getTargetType();
            // the text as written ('1e6', not the '1000000.0' it was read as: trial)
            final String written = e.getProcessor() instanceof JsonParser parser && parser.currentToken() != null
                    && parser.currentToken().isScalarValue() ? textOf(parser) : null;
            throw new ConfigException(where(file, e) + path(e) + ": '" + (written != null ? written : e.getValue()) + "' is not "
                    + (type != null && type.isEnum() ? "one of " + java.util.Arrays.toString(type.getEnumConstants())
                    : type == null ? "valid here" : expected(type)));
        } catch (final MismatchedInputException e) {
            throw new ConfigException(where(file, e) + path(e) + ": " + mismatch(e));
        } catch (final JsonMappingException e) {
            final String syntax = syntaxError(file, e);
            if (syntax != null) {
                throw new ConfigException(syntax);
            }
            if (e.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException) {
                // a number too large for its field: Jackson's text names Java's int range, not the setting's
                throw new ConfigException(where(file, e) + path(e) + ": '" + text((com.fasterxml.jackson.core.exc.InputCoercionException)
                        e.getCause()) + "' is too large a number here (see the setting's range in docs/configuration.md; gateway: docs/gateway.md, anomalies: docs/anomaly.md)");
            }
            final String malformed = malformedNumber(e.getOriginalMessage());
            if (malformed != null) { // YAML's .nan or .inf where a whole number goes (the double fields take them: YamlInfinity)
                throw new ConfigException(where(file, e) + path(e) + ": '" + malformed + "' is not a whole number");
            }
            throw new ConfigException(where(file, e) + path(e) + ": " + duplicate(e.getOriginalMessage()));
        } catch (final JsonProcessingException e) {
            final String syntax = syntaxError(file, e);
            if (syntax != null) {
                throw new ConfigException(syntax);
            }
            final String message = duplicate(e.getOriginalMessage());
            throw new ConfigException(where(file, e) + (message.equals(e.getOriginalMessage()) ? "not valid YAML: " : "") + message);
        }
    }

    /**
     * Binds the text once into a fresh object, not merged, only to find what merging would let
     * through silently: a section given as a scalar or a list ({@code snapshot: true}), which an
     * update leaves as it was. Classes that cannot be made fresh are checked by the update alone.
     */
    private static void checkShapes(final String text, final Class<?> type) throws JsonProcessingException {
        final ObjectMapper fresh = mapper();
        fresh.setDefaultMergeable(Boolean.FALSE);
        try {
            fresh.readValue(text, type);
        } catch (final InvalidDefinitionException e) {
            // no default constructor: the update below is the only check
        }
    }

    /**
     * The value of the reader's "Malformed numeric value '...'" (YAML's {@code .nan} or {@code .inf} in a whole-number field:
     * review, the reader's words were shown), or null for any other message.
     */
    private static String malformedNumber(final String message) {
        final String prefix = "Malformed numeric value '";
        if (message == null || !message.startsWith(prefix)) {
            return null;
        }
        final int end = message.indexOf('\'', prefix.length());
        return end < 0 ? null : message.substring(prefix.length(), end);
    }

    /** The parser's duplicate-key message in words (the key is named); any other message as it is. */
    private static String duplicate(final String message) {
        return message != null && message.startsWith("Duplicate field ")
                ? message.substring("Duplicate field ".length()) + " is given twice in one section: give it once"
                : message;
    }

    /** A wrong shape or type in words: what the field takes, and what the file gave. */
    private static String mismatch(final MismatchedInputException e) {
        final Class<?> type = e.getTargetType();
        final JsonToken token = e.getProcessor() instanceof JsonParser ? ((JsonParser) e.getProcessor()).currentToken() : null;
        if (type == null || token == null) {
            return e.getOriginalMessage();
        }
        return "expected " + expected(type) + ", found " + found(token, (JsonParser) e.getProcessor());
    }

    private static String textOf(final JsonParser parser) {
        try {
            return parser.getText();
        } catch (final IOException e) {
            return null;
        }
    }

    private static String expected(final Class<?> type) {
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class || type == short.class) {
            return "a whole number";
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class || type.isEnum()) {
            return "a single value";
        }
        return "a section (indented 'name: value' lines)";
    }

    private static String found(final JsonToken token, final JsonParser p) {
        switch (token) {
            case START_ARRAY: return "a list";
            case START_OBJECT: case FIELD_NAME: return "a section";
            case VALUE_NUMBER_INT: case VALUE_NUMBER_FLOAT: return "the number " + text(p);
            case VALUE_TRUE: case VALUE_FALSE: return text(p);
            case VALUE_STRING: return "'" + text(p) + "'";
            case VALUE_NULL: return "nothing (null)";
            default: return token.asString() == null ? token.name() : token.asString();
        }
    }

    private static String text(final com.fasterxml.jackson.core.exc.InputCoercionException e) {
        return e.getProcessor() instanceof JsonParser ? text((JsonParser) e.getProcessor()) : "?";
    }

    private static String text(final JsonParser p) {
        try {
            return p.getText();
        } catch (final IOException e) {
            return "?";
        }
    }

    /** The line of a second YAML document's start in {@code text}, or 0 when it holds one document. */
    private static int secondDocumentLine(final String text) {
        try (com.fasterxml.jackson.core.JsonParser p = new YAMLFactory().createParser(text)) {
            int depth = 0;
            int documents = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (depth == 0 && t == JsonToken.VALUE_NULL) {
                    continue; // an empty document (a trailing '---', as templating tools leave): nothing to ignore
                }
                if (depth == 0 && ++documents == 2) {
                    return p.currentTokenLocation().getLineNr();
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            }
            return 0;
        } catch (final IOException e) {
            return 0; // reported with its line by the binding
        }
    }

    /**
     * The line where content starts after an empty first document ({@code ---} twice, or {@code ~} then {@code ---}), 0 if
     * none: a reader takes the first document only, so that content would be ignored.
     */
    private static int contentAfterEmptyFirstDocument(final String text) {
        try (com.fasterxml.jackson.core.JsonParser p = new YAMLFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.VALUE_NULL) {
                return 0;
            }
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.VALUE_NULL) {
                    return p.currentTokenLocation().getLineNr();
                }
            }
            return 0;
        } catch (final IOException e) {
            return 0; // reported with its line by the binding
        }
    }

    /** Whether {@code file} (readable: {@link #readInto} read it) holds nothing but comments or document markers. */
    private static boolean holdsNothing(final Path file) {
        try {
            final String text = YamlLines.read(file);
            return text.isBlank() || noContent(text);
        } catch (final IOException e) {
            return false;
        }
    }

    private static boolean noContent(final String text) {
        try {
            final com.fasterxml.jackson.databind.JsonNode tree = mapper().readTree(text);
            return tree == null || tree.isMissingNode() || tree.isNull();
        } catch (final JsonProcessingException e) {
            return false; // reported with its line by the binding below
        }
    }

    /** Loads and validates in one step. */
    public static EngineConfig loadValidated(final Path file) {
        final EngineConfig config = load(file);
        try {
            config.validate();
        } catch (final ConfigException e) {
            throw new ConfigException(file == null ? "defaults: " + e.getMessage() : YamlLines.locate(file, e));
        }
        return config;
    }

    /**
     * Warns of a setting that is valid but likely a mistake for a command taking new input ({@code server}, {@code run},
     * {@code demo}): not for a replay of a recorded file, whose history cannot change (review).
     */
    public static void warnOfLikelyMistakes(final Path file, final EngineConfig config) {
        if (file == null) {
            return;
        }
        for (final String said : new String[] {aheadOfOrderTimers(config), aheadOfEarlyPayments(config)}) {
            if (said != null) {
                org.slf4j.LoggerFactory.getLogger(EngineConfigLoader.class).warn("{}: {}", file, said);
            }
        }
    }

    /**
     * What to say of an {@code input.maxAhead} longer than {@code orders.unpaidAfter} (validated settings; null when it is
     * not): one event stamped that far ahead moves the engine's clock past every open order's unpaid deadline at once
     * (configuration trial: accepted without a word, where the defaults' comment says to keep it shorter). Not refused:
     * 0s (no limit) and long limits are for backfills of history.
     */
    static String aheadOfOrderTimers(final EngineConfig config) {
        return aheadOf(config, "orders.unpaidAfter", config.orders == null ? null : config.orders.unpaidAfter,
            "open order's unpaid deadline at once (each pushed UNPAID_OVERDUE)");
    }

    /**
     * What to say of an {@code input.maxAhead} longer than {@code orders.earlyPayments} (validated settings; null when it
     * is not, or when no payment waits: 0s): a payment before its order waits that long from the engine's event time when
     * it came, so one event stamped that far ahead moves event time past every waiting payment's deadline at once, and
     * their orders, when they come, stay unpaid (the README's integrator trial: a payment stamped 45 min ahead dropped
     * another's early payment). Not refused, as for {@link #aheadOfOrderTimers}.
     */
    static String aheadOfEarlyPayments(final EngineConfig config) {
        return aheadOf(config, "orders.earlyPayments", config.orders == null ? null : config.orders.earlyPayments,
            "payment waiting for its order at once (each counted as without an order, its order left unpaid when it comes)");
    }

    /** The warning of an {@code input.maxAhead} longer than the orders' {@code setting} (not 0s), or null. */
    private static String aheadOf(final EngineConfig config, final String setting, final String value, final String passed) {
        if (config.orders == null || !config.orders.enabled || config.input == null) {
            return null;
        }
        final long ahead = Durations.parseMicros("input.maxAhead", config.input.maxAhead);
        final long limit = Durations.parseMicros(setting, value);
        return limit > 0 && ahead > limit ? "input.maxAhead " + config.input.maxAhead + " is longer than " + setting + " "
            + value + ": one event stamped that far ahead of the clock moves event time past every " + passed
            + "; keep it shorter unless this is a backfill" : null;
    }

    /**
     * Refuses, with the file's line, a ring this JVM's heap cannot hold for a live engine ({@code server}, {@code run}),
     * before anything is created or deleted; the engine checks again when it allocates the ring.
     */
    public static void checkLiveRing(final Path file, final EngineConfig config) {
        try {
            config.pipeline.ringSizeForHeap("pipeline", Runtime.getRuntime().maxMemory(), true);
            checkPreallocated(config, Runtime.getRuntime().maxMemory());
        } catch (final ConfigException e) {
            throw new ConfigException(locate(file, e));
        }
    }

    /** Bytes per entry the tables preallocate at their cap: the slot index and two deadline queues (orders, carts), stock's index, queue and touch marks. */
    static final int ORDER_BYTES = 12 + 2 * 24;
    static final int SKU_BYTES = 12 + 12 + 24;
    static final int CART_BYTES = 2 * 24;

    /**
     * Refuses caps whose preallocated tables (allocated whole when the engine starts, unlike the fraud tables, which grow
     * with the working set) take more than a quarter of the heap: such a start ended in an OutOfMemoryError naming no
     * setting (trial: {@code orders.maxOrders: 16777216} with the default 2 GiB heap). Names the largest.
     */
    static void checkPreallocated(final EngineConfig config, final long heapBytes) {
        final long orders = config.orders.enabled ? (long) config.orders.maxOrders * ORDER_BYTES : 0;
        final long skus = config.inventory.enabled ? (long) config.inventory.maxSkus * SKU_BYTES : 0;
        final long carts = config.carts.enabled ? (long) config.carts.maxCarts * CART_BYTES : 0;
        final long total = orders + skus + carts;
        if (total <= heapBytes / 4) {
            return;
        }
        final String field;
        final long value;
        if (orders >= skus && orders >= carts) {
            field = "orders.maxOrders";
            value = config.orders.maxOrders;
        } else if (skus >= carts) {
            field = "inventory.maxSkus";
            value = config.inventory.maxSkus;
        } else {
            field = "carts.maxCarts";
            value = config.carts.maxCarts;
        }
        throw new ConfigException(field, value, String.format(java.util.Locale.ROOT, "with the other table caps preallocates about"
                + " %,d MiB at start (orders %,d MiB, stock %,d MiB, carts %,d MiB), more than a quarter of this JVM's %,d MiB"
                + " heap: lower it, or give the JVM more heap (RINGFENCE_JAVA_OPTS=-Xmx...)", total >> 20, orders >> 20,
                skus >> 20, carts >> 20, heapBytes >> 20));
    }

    /** {@code file line N: message} (the line where the refused field is written, when it is), for other modules' sections. */
    public static String locate(final Path file, final ConfigException e) {
        return file == null ? "defaults: " + e.getMessage() : YamlLines.locate(file, e);
    }

    static ObjectMapper mapper() {
        final ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // a key given twice is a mistake, not "the last wins"
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT); // lowStock: 3.5 is refused, not cut to 3
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.setDefaultMergeable(Boolean.TRUE);
        // enabled: 2 is a mistake, not true (config trial); yes/no/on/off stay YAML's booleans
        mapper.coercionConfigFor(com.fasterxml.jackson.databind.type.LogicalType.Boolean)
                .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.Integer,
                        com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);
        mapper.registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("yaml-infinity")
                .addDeserializer(Double.TYPE, new YamlInfinity(Double.TYPE, 0.0))
                .addDeserializer(Double.class, new YamlInfinity(Double.class, null)));
        return mapper;
    }

    /**
     * A number that may be YAML's infinity ({@code .inf}, {@code -.inf}, any case, as the README's
     * reference shows for {@code cusumLimit}), which the YAML parser reads as a float it cannot
     * convert; YAML's not-a-number ({@code .nan}) is refused as "'.nan' is not a number" (it was
     * Jackson's "Malformed numeric value '.nan'": configuration trial); every other value as Jackson
     * reads a double.
     */
    private static final class YamlInfinity extends com.fasterxml.jackson.databind.deser.std.NumberDeserializers.DoubleDeserializer {
        private static final long serialVersionUID = 1L;

        YamlInfinity(final Class<Double> type, final Double nullValue) {
            super(type, nullValue);
        }

        @Override
        public Double deserialize(final JsonParser p, final com.fasterxml.jackson.databind.DeserializationContext ctxt)
                throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                final String text = p.getText().trim().toLowerCase(java.util.Locale.ROOT);
                if (text.equals(".inf") || text.equals("+.inf")) {
                    return Double.POSITIVE_INFINITY;
                }
                if (text.equals("-.inf")) {
                    return Double.NEGATIVE_INFINITY;
                }
                if (text.equals(".nan")) {
                    // no setting takes it, and a range check written as two comparisons would let it through
                    throw InvalidFormatException.from(p, "not a number", p.getText(), handledType());
                }
            }
            return super.deserialize(p, ctxt);
        }
    }

    /**
     * A YAML syntax error in one line: "FILE line L, column C: not valid YAML: what (while doing what, from where): what to
     * do", or null when {@code e} is not one. The YAML reader's own text is several lines, quoting the line with a caret
     * under the column (new-user trial: a list or an indentation mistake printed a multi-line parser dump).
     */
    private static String syntaxError(final Path file, final JsonProcessingException e) {
        int depth = 0; // a cause chain with a cycle cannot hold it here
        for (Throwable c = e.getCause(); c != null && depth < 16; c = c.getCause(), depth++) {
            if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
                // where the problem is, not the last token read (a tab on line 2 was said to be on line 1; inside a section
                // Jackson wraps it once more, review), at most the file's last line (an unclosed quote's problem is the end of
                // the stream): the column then says nothing
                final int line = marked.getProblemMark().getLine() + 1;
                final int last = YamlLines.count(file);
                final String where = line > last && last > 0 ? " line " + last
                        : " line " + line + ", column " + (marked.getProblemMark().getColumn() + 1);
                final String problem = oneLine(marked.getProblem());
                final org.yaml.snakeyaml.error.Mark from = marked.getContextMark();
                final String context = marked.getContext() == null ? ""
                        : " (" + oneLine(marked.getContext()) + (from == null ? "" : from.getLine() + 1 == line
                        ? " from column " + (from.getColumn() + 1) : " from line " + (from.getLine() + 1) + ", column "
                        + (from.getColumn() + 1)) + ")";
                final String todo = problem.startsWith("expected <block end>") && problem.contains("'<block mapping start>'")
                        ? ": the keys of one section start in the same column; indent a section's keys under it"
                        : problem.startsWith("mapping values are not allowed") ? ": put a value holding ': ' in quotes, or"
                        + " start a section's keys on the lines below it" : "";
                return file + where + ": not valid YAML: " + problem + context + todo;
            }
        }
        return null;
    }

    private static String oneLine(final String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String where(final Path file, final JsonProcessingException e) {
        final JsonLocation loc = e.getLocation();
        if ((loc == null || loc.getLineNr() < 1) && e instanceof JsonMappingException) {
            // refused by a setter (an unknown property of a list entry): no parser location, so find the key in the file
            final int line = YamlLines.lineOf(file, path((JsonMappingException) e));
            return file + (line > 0 ? " line " + line : "") + ": ";
        }
        // a syntax error is said by syntaxError, where the problem is
        return file + (loc == null ? "" : " line " + loc.getLineNr()) + ": ";
    }

    private static String path(final JsonMappingException e) {
        final StringBuilder sb = new StringBuilder();
        for (final JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.length() == 0 ? "(top level)" : sb.toString();
    }
}
