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
 * <p>A server restarted with another configuration keeps the one it replaces, with its model, in
 * {@value #HISTORY}{@code /until-N/} (N: the last sequence written under it), and the new file
 * says from which sequence it is in effect: {@code explain} re-decides an order with the
 * configuration it was decided under ({@link #sourceAt}), {@code replay} says when the journal
 * spans several. A fresh journal drops the history.
 */
public final class RecordedConfig {
    public static final String FILE = "ringfence-config.yaml";
    public static final String MODEL = "ringfence-model.json";
    /** The configurations a journal was written with before the current one, one directory each. */
    public static final String HISTORY = "config-history";
    private static final String UNTIL = "until-";
    private static final String FROM = "# in effect from sequence ";
    /** Header line naming the id of the model the journal was decided with (a replaced model file is seen). */
    private static final String MODEL_ID = "# decided with model ";
    /** Header line naming the engine rules the journal was decided by ({@link #RULES_VERSION}). */
    private static final String RULES = "# decided under the engine rules of ";
    /**
     * The rules this build decides by, changed when a build decides some input otherwise under the same settings (SRE
     * upgrade trial, 2026-12-06: a journal of an older build was replayed and explained "as sent" under this build's
     * rules, with decisions that were never sent). A recorded file of other rules is re-decided with a warning.
     */
    static final String RULES_VERSION = "2026-12-07.5"; // change it with any change to what the same settings decide
    /** What changed since the older rules, for the warning. */
    private static final String RULES_CHANGES = "since 2026-12-06 an id sent again is answered with its first decision"
            + " (decisions.repeats, re-decided here as 'again' for a file recorded before it), a payment naming only its"
            + " order is judged by its order's user and card, and since 2026-12-07 a payment naming no user carries its"
            + " order's and windows key it by its order's user and card, an order id sent for another order lends it no"
            + " more, and partial refunds under one id are told"
            + " apart by amount; since 2026-12-07.2 an event stamped past an overdue or cart deadline fires it when its"
            + " timer has not (orders.lateness, carts.lateness, a late event), and a sku with units in a warehouse is"
            + " kept past inventory.idleTtl; since 2026-12-07.3 an order remembers its last 16 payments, not 4, so a retried"
            + " payment of an order paid in 5 to 16 parts is not added again, and a fraud amount sum past the long range"
            + " reads as its top, not wrapped, and the end of a run fires the deadlines of late events the clock had passed;"
            + " since 2026-12-07.4 a sku last told LOW or OUT is kept past inventory.idleTtl (a full table forgets such a sku"
            + " to take a new one), so an order for a sold-out sku is flagged OVERSELL and its restock pushes RESTOCKED, an"
            + " anomaly monitor's season phase is that of the interval's middle (daily windows in zones whose offset changes"
            + " sign), and closed intervals are not idle time for idleIntervals; since 2026-12-07.5 a new sku that finds"
            + " trending.maxSkus full takes the place of a sku past its skuTtl (before: refused, its views counted under"
            + " 'unknown')";

    /** Header line saying who recorded the file, when, and from which configuration file. */
    private static final String RECORDED = "# recorded ";
    /** Header line giving the reason the operator gave ({@code --reason}). */
    private static final String REASON = "# reason: ";
    /** The longest reason kept, in characters. */
    public static final int MAX_REASON = 500;

    private RecordedConfig() {
    }

    /**
     * Where a recorded configuration came from, for its header (compliance trial: the configuration history said when a
     * configuration took effect, but not from which file, by whom, or why).
     *
     * @param source the {@code --config} file it was read from, or null for the defaults
     * @param reason why, as the operator said it ({@code --reason}), or null
     */
    public record Origin(Path source, String reason) {
        /** Nothing known beyond the settings (the file was not read from a {@code --config}). */
        public static final Origin UNKNOWN = new Origin(null, null);

        /**
         * A reason as kept: one line, control characters as spaces.
         *
         * @throws IllegalArgumentException naming {@code --reason} when it is blank or longer than {@link #MAX_REASON}
         */
        public static String reason(final String text) {
            if (text == null) {
                return null;
            }
            final String line = oneLine(text).strip();
            if (line.isEmpty()) {
                throw new IllegalArgumentException("--reason is blank: say why this configuration is used, or leave --reason out");
            }
            if (line.length() > MAX_REASON) {
                throw new IllegalArgumentException("--reason is " + line.length() + " characters long: at most " + MAX_REASON
                        + " are kept (a ticket number and a line say enough)");
            }
            return line;
        }
    }

    /** Writes {@code config} (validated) into {@code data}, atomically, for a fresh journal (any history is dropped). */
    public static void record(final Path data, final EngineConfig config) {
        record(data, config, 0);
    }

    /** The same, saying where the configuration came from. */
    public static void record(final Path data, final EngineConfig config, final Origin origin) {
        record(data, config, 0, origin);
    }

    /** {@link #record(Path, EngineConfig, long, Origin)} of a configuration whose origin is not known. */
    public static void record(final Path data, final EngineConfig config, final long lastBefore) {
        record(data, config, lastBefore, Origin.UNKNOWN);
    }

    /**
     * Writes {@code config} (validated) into {@code data}, atomically, as in effect from sequence
     * {@code lastBefore + 1}; the configuration it replaces, when it differs and was in effect for
     * some of the journal, goes to {@value #HISTORY}{@code /until-lastBefore/}.
     *
     * @param lastBefore the journal's last sequence before this writer's first event; 0 for a fresh journal
     * @param origin     where it came from, for the header of a file written now (one that goes on unchanged keeps its own)
     */
    public static void record(final Path data, final EngineConfig config, final long lastBefore, final Origin origin) {
        try {
            io.ringfence.journal.PrivateDirectories.create(data);
            final ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
            final ObjectNode tree = yaml.valueToTree(config);
            final String model = config.fraud == null ? null : config.fraud.model;
            final boolean withModel = model != null && !model.isBlank();
            if (withModel) {
                ((ObjectNode) tree.get("fraud")).put("model", MODEL);
            }
            // the rules go last, as a comment in the body: a build before them rewrites a file it did not write (its own
            // body differs), so after a rollback no file keeps claiming this build's rules for the range it decided (review)
            final String body = yaml.writeValueAsString(tree) + RULES + RULES_VERSION + "\n";
            final String modelId = withModel ? modelId(Path.of(model)) : null;
            final Path current = data.resolve(FILE);
            if (lastBefore == 0) {
                deleteHistory(data);
            } else if (Files.isRegularFile(current)) {
                final String text = Files.readString(current);
                final boolean sameModel = !withModel || (Files.isRegularFile(data.resolve(MODEL))
                        && Files.mismatch(Path.of(model), data.resolve(MODEL)) == -1);
                // a file of older rules decided under them: kept in the history as another configuration (SRE trial)
                final boolean sameRules = RULES_VERSION.equals(rulesOf(text));
                if (body(text).equals(body) && sameModel && sameRules) {
                    // the same settings go on: the file keeps the sequence it took effect at; one found without a seal
                    // (recorded before seals, or its seal deleted) is sealed as it is, and says so (review: an edit to it
                    // after a start sealed its journal as found went unseen)
                    // only when no configuration is sealed at all (seals deleted, or a build before them): with config seals
                    // there, an unsealed file is one whose "in effect from" line was changed, never to be sealed (review)
                    try {
                        if (io.ringfence.journal.JournalSeals.readConfigs(data).lines().isEmpty()) {
                            io.ringfence.journal.JournalSeals.appendConfig(data, fromSequence(text), FILE,
                                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8), true,
                                    config.journal == null ? null : config.journal.sealKeyFor(data));
                        }
                    } catch (final RuntimeException e) {
                        // evidence, not the run: said, as the sealer says its own failures (review: it stopped the start)
                        org.slf4j.LoggerFactory.getLogger(RecordedConfig.class).error("cannot seal {} as found: {}",
                                data.resolve(FILE), e.getMessage());
                    }
                    return;
                }
                if (sameModel && sameRules && sameDecisions(yaml, body(text), tree)) {
                    // only settings that change no output (threads, wait strategy, journal, snapshots: `server` after `run`
                    // turns pipeline.waitStrategy auto into blocking): no history entry, no "2 configurations" warning;
                    // the file takes the new values and keeps the sequence it took effect at
                    // the origin stays that of the start that put the deciding settings in effect (review MEDIUM: a
                    // ring-size change's --reason replaced it, and explain named it for orders decided before)
                    write(data, fromSequence(text), body, modelId, config, originLinesOf(text));
                    return;
                }
                final Path kept = data.resolve(HISTORY).resolve(UNTIL + lastBefore);
                // an entry until-lastBefore already holds the configuration that decided up to lastBefore, so the current
                // file came after it and decided nothing (e.g. written by an older build, which names no first sequence,
                // started without events after a rollback): it is replaced, never moved over that entry
                if (fromSequence(text) <= lastBefore && !Files.isRegularFile(kept.resolve(FILE))) {
                    // it decided sequences fromSequence..lastBefore: keep it, with its model, for explain and replay
                    // (a directory without the file is an earlier attempt cut short: completed now)
                    Files.createDirectories(kept);
                    if (Files.isRegularFile(data.resolve(MODEL))) {
                        Files.copy(data.resolve(MODEL), kept.resolve(MODEL), StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.move(current, kept.resolve(FILE));
                }
            }
            if (withModel) {
                final Path copy = data.resolve(MODEL + ".tmp");
                Files.copy(Path.of(model), copy, StandardCopyOption.REPLACE_EXISTING);
                Files.move(copy, data.resolve(MODEL), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            write(data, lastBefore + 1, body, modelId, config, originLines(origin));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot record the configuration in " + data + ": " + e.getMessage(), e);
        }
    }

    private static void write(final Path data, final long from, final String body, final String modelId,
                              final EngineConfig config, final String originLines) throws IOException {
        final String text = "# The engine configuration this data directory's journal was last written with\n"
                + "# (recorded by ringfence; replay and explain use it unless given --config; earlier ones are in "
                + HISTORY + "/).\n" + FROM + from + "\n" + (modelId == null ? "" : MODEL_ID + modelId + "\n")
                + originLines + body;
        final Path file = data.resolve(FILE);
        final String old = Files.isRegularFile(file) ? Files.readString(file) : null;
        if (old == null || !withoutOrigin(old).equals(withoutOrigin(text))) {
            final Path tmp = data.resolve(FILE + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } // else the same configuration recorded again (each start of a directory that took no events): the file, its
        // origin header and its seal stay as they are (the header's time made every such start seal a new file)
        // sealed as written (its model is named by id in it), whatever journal.sealEvery says (a file rewritten under sealing
        // off read as edited, review): an edit made later shows (`verify`; replay and explain warn)
        try {
            final byte[] written = Files.readAllBytes(data.resolve(FILE));
            final io.ringfence.journal.JournalSeals.Line sealed = io.ringfence.journal.JournalSeals.lastConfig(data, from);
            if (sealed == null || !io.ringfence.journal.JournalSeals.sha256Hex(written).equals(sealed.field("sha256"))) {
                // the same file again (a start of a directory that took no events) is not sealed again (operator trial)
                io.ringfence.journal.JournalSeals.appendConfig(data, from, FILE, written,
                        config.journal == null ? null : config.journal.sealKeyFor(data));
            }
        } catch (final io.ringfence.journal.JournalException e) {
            // evidence, not the run: said (and `verify` finds the file unsealed), as the sealer says its own failures
            org.slf4j.LoggerFactory.getLogger(RecordedConfig.class).error("cannot seal {}: {}", data.resolve(FILE), e.getMessage());
        }
    }

    /**
     * Why the recorded {@code file} (the current one or one kept in the history) is not as it was sealed when written,
     * or null: it is, or it was never sealed (recorded by a build before seals, or with sealing off).
     */
    public static String unsealedChange(final Path data, final Path file) {
        return unsealedChange(io.ringfence.journal.JournalSeals.readConfigs(data), file);
    }

    /** As {@link #unsealedChange(Path, Path)}, against seals already read. */
    public static String unsealedChange(final io.ringfence.journal.JournalSeals.Contents seals, final Path file) {
        final Path data = seals.file().getParent();
        try {
            final byte[] content = Files.readAllBytes(file);
            final long from = fromSequence(new String(content, java.nio.charset.StandardCharsets.UTF_8));
            final io.ringfence.journal.JournalSeals.Line sealed = seals.lastConfig(from);
            if (sealed == null) {
                final io.ringfence.journal.JournalSeals.Line orphan = orphanedSeal(seals, data);
                return orphan == null ? null : file + " says it is in effect from sequence " + from + ", and no configuration"
                        + " was sealed from then, but " + seals.file().getFileName() + " line " + orphan.number() + " ("
                        + orphan.field("at") + ") seals one in effect from sequence " + orphan.from() + " that no recorded"
                        + " file claims: its \"in effect from\" line was changed, or the file replaced (review)";
            }
            return unsealedChange(sealed, data, file);
        } catch (final IOException | RuntimeException e) {
            return null; // unreadable: said where it is read
        }
    }

    /** A config seal whose first sequence no recorded file (current or kept) claims, or null. */
    private static io.ringfence.journal.JournalSeals.Line orphanedSeal(final io.ringfence.journal.JournalSeals.Contents seals,
                                                                        final Path data) throws IOException {
        final java.util.Set<Long> claimed = new java.util.HashSet<>();
        for (final Path kept : history(data).values()) {
            claimed.add(fromSequenceOf(kept));
        }
        if (Files.isRegularFile(data.resolve(FILE))) {
            claimed.add(fromSequenceOf(data.resolve(FILE)));
        }
        for (final io.ringfence.journal.JournalSeals.Line l : seals.lines()) {
            if (io.ringfence.journal.JournalSeals.CONFIG.equals(l.kind()) && !claimed.contains(l.from())) {
                return l;
            }
        }
        return null;
    }

    private static String unsealedChange(final io.ringfence.journal.JournalSeals.Line sealed, final Path data, final Path file) {
        try {
            final byte[] content = Files.readAllBytes(file);
            final String now = io.ringfence.journal.JournalSeals.sha256Hex(content);
            return now.equals(sealed.field("sha256")) ? null : file + " was changed after it was recorded: its SHA-256 is "
                    + now.substring(0, 16) + "..., the seal written with it (" + data.resolve(io.ringfence.journal.JournalSeals.FILE)
                    + " line " + sealed.number() + ", " + sealed.field("at") + ") says " + sealed.field("sha256").substring(0, 16)
                    + "...";
        } catch (final IOException | RuntimeException e) {
            return null; // unreadable: said where it is read
        }
    }

    /** Whether the recorded {@code file} is, byte for byte, the one sealed when it was written. */
    public static boolean sealedAsRecorded(final io.ringfence.journal.JournalSeals.Contents seals, final Path file) {
        try {
            final byte[] content = Files.readAllBytes(file);
            final io.ringfence.journal.JournalSeals.Line sealed = seals
                    .lastConfig(fromSequence(new String(content, java.nio.charset.StandardCharsets.UTF_8)));
            return sealed != null && io.ringfence.journal.JournalSeals.sha256Hex(content).equals(sealed.field("sha256"));
        } catch (final IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the seal of the recorded {@code file} says it was sealed as found ({@code found=1}), not as written. */
    public static boolean sealedAsFound(final io.ringfence.journal.JournalSeals.Contents seals, final Path file) {
        try {
            final io.ringfence.journal.JournalSeals.Line sealed = seals.lastConfig(fromSequenceOf(file));
            return sealed != null && "1".equals(sealed.field("found"));
        } catch (final IOException e) {
            return false;
        }
    }

    /** The engine rules this build decides by (a recorded file names those that decided it). */
    public static String rulesVersion() {
        return RULES_VERSION;
    }

    /** The sequence a recorded file took effect at (1 for a file written before that was recorded). */
    public static long fromSequenceOf(final Path file) throws IOException {
        return fromSequence(Files.readString(file));
    }

    /** Sections that change no output (how it runs, not what it decides). */
    private static final java.util.List<String> RUNNING_ONLY = java.util.List.of("pipeline", "journal", "snapshot");
    /**
     * Input settings that only refuse input (never journaled, so never replayed): a new default of one
     * (input.maxAhead came in a later version) is no new configuration of the journal.
     */
    private static final java.util.List<String> INPUT_REFUSAL_ONLY = java.util.List.of("maxAhead");

    /** Whether two recorded settings differ at most in {@link #RUNNING_ONLY} sections. */
    private static boolean sameDecisions(final ObjectMapper yaml, final String oldBody, final ObjectNode now) {
        try {
            final com.fasterxml.jackson.databind.JsonNode before = yaml.readTree(oldBody);
            if (!(before instanceof ObjectNode)) {
                return false;
            }
            final ObjectNode a = ((ObjectNode) before).deepCopy();
            // both as read back from text: a tree made from the object holds longs where the text reads ints
            final ObjectNode b = (ObjectNode) yaml.readTree(yaml.writeValueAsString(now));
            a.remove(RUNNING_ONLY);
            b.remove(RUNNING_ONLY);
            for (final ObjectNode tree : java.util.List.of(a, b)) {
                if (tree.get("input") instanceof ObjectNode) {
                    ((ObjectNode) tree.get("input")).remove(INPUT_REFUSAL_ONLY);
                }
            }
            return a.equals(b);
        } catch (final IOException e) {
            return false;
        }
    }

    /**
     * The header lines of {@code origin}: {@code # recorded TIME by USER@HOST from FILE (sha256 ...)} (or {@code from the
     * defaults}, or {@code from settings given in process}), then {@code # reason: ...} when one was given. USER is
     * {@code RINGFENCE_OPERATOR} when set (a service account's start names the person), else the JVM's user.
     */
    static String originLines(final Origin origin) {
        final StringBuilder sb = new StringBuilder(RECORDED).append(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                .append(" by ").append(oneLine(operator())).append('@').append(oneLine(host())).append(' ');
        if (origin.source() == null) {
            sb.append(origin == Origin.UNKNOWN ? "from settings whose file is not known here" : "from the defaults (no --config)");
        } else {
            sb.append("from ").append(oneLine(origin.source().toAbsolutePath().normalize().toString()));
            try {
                sb.append(" (sha256 ").append(io.ringfence.journal.JournalSeals.sha256Hex(Files.readAllBytes(origin.source()))).append(')');
            } catch (final IOException e) {
                sb.append(" (not readable when recorded: ").append(oneLine(String.valueOf(e.getMessage()))).append(')');
            }
        }
        sb.append('\n');
        if (origin.reason() != null) {
            sb.append(REASON).append(oneLine(origin.reason())).append('\n');
        }
        return sb.toString();
    }

    /**
     * A recorded file's text without its {@code # recorded} line: the same settings, model, rules and reason recorded
     * again are the same file (a new {@code --reason} is a new record).
     */
    private static String withoutOrigin(final String text) {
        final StringBuilder sb = new StringBuilder(text.length());
        for (final String line : text.split("\n", -1)) {
            if (!line.startsWith(RECORDED)) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /** The origin lines of a recorded file's header, as they are ("" for a file recorded before them). */
    private static String originLinesOf(final String text) {
        final StringBuilder sb = new StringBuilder();
        int at = 0;
        while (at < text.length() && text.charAt(at) == '#') {
            final int eol = text.indexOf('\n', at);
            final String line = text.substring(at, eol < 0 ? text.length() : eol);
            if (line.startsWith(RECORDED) || line.startsWith(REASON)) {
                sb.append(line).append('\n');
            }
            at = eol < 0 ? text.length() : eol + 1;
        }
        return sb.toString();
    }

    /** Who records: {@code RINGFENCE_OPERATOR}, else the JVM's user name. */
    private static String operator() {
        final String named = System.getenv("RINGFENCE_OPERATOR");
        return named != null && !named.isBlank() ? named.strip() : System.getProperty("user.name", "unknown user");
    }

    /** This machine's name, without a DNS lookup (a start must not wait on one). */
    private static String host() {
        final String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (final IOException | RuntimeException e) {
            return "unknown host";
        }
    }

    /**
     * One line of a YAML comment: control characters, and the line and paragraph separators YAML also ends a line at
     * (U+0085, U+2028, U+2029), as spaces (review HIGH: a reason holding U+2028 ended the comment, and what followed was
     * read as settings: the recorded file no longer loaded, and replay and explain refused the directory).
     */
    static String oneLine(final String text) {
        return text.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}\\u0085]", " ");
    }

    /**
     * What {@code file}'s header says of its origin: the {@code # recorded ...} line's text after "recorded " and the
     * reason, each null when the file has none (one recorded before 2026-12-07, or by {@code run} without --reason).
     */
    public static String[] originOf(final Path file) {
        final String[] origin = new String[2];
        try {
            final String text = Files.readString(file);
            int at = 0;
            while (at < text.length() && text.charAt(at) == '#') {
                final int eol = text.indexOf('\n', at);
                final String line = text.substring(at, eol < 0 ? text.length() : eol);
                if (line.startsWith(RECORDED)) {
                    origin[0] = line.substring(RECORDED.length());
                } else if (line.startsWith(REASON)) {
                    origin[1] = line.substring(REASON.length());
                }
                at = eol < 0 ? text.length() : eol + 1;
            }
        } catch (final IOException e) {
            // not readable: nothing known of its origin (the caller says what it could not read)
        }
        return origin;
    }

    /** A recorded file's settings: its text after the leading comment lines. */
    private static String body(final String text) {
        int at = 0;
        while (at < text.length() && text.charAt(at) == '#') {
            final int eol = text.indexOf('\n', at);
            at = eol < 0 ? text.length() : eol + 1;
        }
        return text.substring(at);
    }

    /** The sequence a recorded file took effect at (1 for a file written before that was recorded). */
    private static long fromSequence(final String text) {
        final int at = text.indexOf(FROM);
        if (at < 0) {
            return 1;
        }
        final int eol = text.indexOf('\n', at);
        try {
            return Long.parseLong(text.substring(at + FROM.length(), eol < 0 ? text.length() : eol).trim());
        } catch (final NumberFormatException e) {
            return 1;
        }
    }

    private static void deleteHistory(final Path data) throws IOException {
        final Path history = data.resolve(HISTORY);
        if (!Files.isDirectory(history)) {
            return;
        }
        try (var files = Files.walk(history)) {
            for (final Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * The configurations kept in {@value #HISTORY}, oldest first: the last sequence each decided and its file.
     */
    public static java.util.NavigableMap<Long, Path> history(final Path data) {
        final java.util.TreeMap<Long, Path> kept = new java.util.TreeMap<>();
        final Path history = data.resolve(HISTORY);
        if (!Files.isDirectory(history)) {
            return kept;
        }
        try (var dirs = Files.newDirectoryStream(history, UNTIL + "*")) {
            for (final Path d : dirs) {
                try {
                    final long until = Long.parseLong(d.getFileName().toString().substring(UNTIL.length()));
                    if (Files.isRegularFile(d.resolve(FILE))) {
                        kept.put(until, d.resolve(FILE));
                    }
                } catch (final NumberFormatException ignored) {
                    // not one of ours
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot list " + history + ": " + e.getMessage(), e);
        }
        return kept;
    }

    /**
     * The recorded configuration that decided {@code sequence}: the kept one whose range holds it,
     * else the current one; null for the defaults (nothing recorded).
     */
    public static Path sourceAt(final Path data, final long sequence) {
        final java.util.Map.Entry<Long, Path> kept = history(data).ceilingEntry(sequence);
        return kept != null ? kept.getValue() : source(data, null);
    }

    /**
     * What a re-decision of the whole journal with the recorded configuration should say first: that
     * nothing is recorded (the defaults are used), or that earlier ranges were decided under other
     * configurations; empty when neither.
     */
    public static String caveat(final Path data) {
        final Path current = source(data, null);
        if (current == null) {
            return "no configuration is recorded in " + data + " (" + FILE + "): re-deciding with the defaults, which may not"
                + " be what decided this journal (pass --config FILE)\n";
        }
        final java.util.NavigableMap<Long, Path> kept = history(data);
        if (kept.isEmpty()) {
            return "";
        }
        final StringBuilder sb = new StringBuilder("the journal was written under " + (kept.size() + 1)
            + " configurations; this re-decides all of it with the newest, " + current + " (in effect after sequence "
            + kept.lastKey() + "), so earlier decisions may differ from those sent:");
        long from = 1;
        for (final java.util.Map.Entry<Long, Path> e : kept.entrySet()) {
            sb.append(String.format("%n  sequences %,d..%,d: %s", from, e.getKey(), e.getValue()));
            from = e.getKey() + 1;
        }
        return sb.append(String.format("%n  (explain picks the one in effect for its order; replay takes --config FILE)%n")).toString();
    }

    /** Files already warned about in this process (a command may load one several times). */
    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * The configuration to re-decide {@code data} with: {@code explicit} when given, else the one
     * recorded there, else the defaults. Validated.
     */
    public static EngineConfig load(final Path data, final Path explicit) {
        return load(data, explicit, true);
    }

    /**
     * As {@link #load(Path, Path)}; {@code redecides}: the configuration will decide events (replay,
     * explain), so a model that weighs a feature it leaves at 0 is warned about, once per file.
     */
    public static EngineConfig load(final Path data, final Path explicit, final boolean redecides) {
        final Path source = source(data, explicit);
        final EngineConfig config = EngineConfigLoader.loadValidated(source);
        final String modelProblem = redecides ? config.fraud.modelWithoutItsFeatures(config.fraudSpec()) : null;
        if (modelProblem != null && WARNED.add(String.valueOf(source))) {
            // re-decided as it was decided (run, server, demo and evaluate refuse such a configuration now)
            System.err.println("ringfence: warning: " + (source == null ? "the defaults" : source) + ": " + modelProblem);
        }
        final boolean recorded = explicit == null || explicit.toAbsolutePath().normalize()
            .startsWith(data.resolve(HISTORY).toAbsolutePath().normalize()); // a kept one was recorded too
        if (redecides && !recorded && !explicit.toAbsolutePath().normalize().equals(data.resolve(FILE).toAbsolutePath().normalize())) {
            config.requireDistinctReasons(source); // a what-if decides anew: refused as run refuses it (review)
        }
        final io.ringfence.engine.config.ConfigException clash = redecides ? config.fraud.reasonClash("fraud") : null;
        if (clash != null && WARNED.add("reasons " + source)) {
            // likewise (review: refused in validation, a journal decided under it could not be replayed or explained)
            System.err.println("ringfence: warning: " + (source == null ? "the defaults" : source) + ": " + clash.getMessage()
                    + "; re-decided as it was decided (run, server, demo and evaluate refuse such a configuration now)");
        }
        if (redecides && recorded && source != null) {
            final String decidedWith = recordedModelId(source);
            final io.ringfence.engine.fraud.FraudModel now = config.fraudSpec().model();
            if (decidedWith != null && now.present() && !decidedWith.equals(now.id()) && WARNED.add("model " + source)) {
                // model trial: a replaced ringfence-model.json made explain disagree with the decision sent, silently
                System.err.println("ringfence: warning: " + source + " says the journal was decided with model " + decidedWith
                        + ", but its model file is now " + now.id() + " (replaced since): the decisions re-made here are"
                        + " that model's, not the ones that were sent");
            }
        }
        if (redecides && recorded && source != null) {
            final String changed = unsealedChange(data, source);
            if (changed != null && WARNED.add("sealed " + source)) {
                // compliance trial: an edited config-history file made replay and explain report decisions never sent, silently
                System.err.println("ringfence: warning: " + changed + ": the decisions re-made here under it may not be those"
                        + " that were sent (`ringfence verify --data " + data + "` checks the journal and every recorded"
                        + " configuration)");
            }
        }
        if (recorded && source != null && recordedBeforeWhenFull(source)) {
            config.orders.whenFull = "refuse";
        }
        if (recorded && source != null && recordedBeforeRepeats(source)) {
            config.decisions.repeats = "again"; // every event was decided afresh then (SRE trial: 24 outcomes differed)
        }
        if (redecides && recorded && source != null) {
            String rules = null;
            try {
                rules = rulesOf(Files.readString(source));
            } catch (final IOException e) {
                // loadValidated has read it already
            }
            if (!RULES_VERSION.equals(rules) && WARNED.add("rules " + source)) {
                System.err.println("ringfence: warning: " + source + " was recorded by " + (rules == null
                        ? "a build older than 2026-12-07" : "a build deciding by the engine rules of " + rules)
                        + ": its events are re-decided here by this build's rules (" + RULES_VERSION + "), and where those"
                        + " changed, what is shown is not what was sent (" + RULES_CHANGES + "; docs/operations.md \"Upgrading\")");
            }
        }
        return config;
    }

    /** The engine rules a recorded file names, or null (written before they were named). */
    private static String rulesOf(final String text) {
        final int at = text.indexOf(RULES);
        if (at < 0) {
            return null;
        }
        final int eol = text.indexOf('\n', at);
        return text.substring(at + RULES.length(), eol < 0 ? text.length() : eol).trim();
    }

    /**
     * True when a recorded file predates {@code decisions.repeats} (2026-12-06): it spells out every section but that
     * one, and the engine that wrote its journal decided an id sent again afresh, so it is re-decided that way.
     */
    static boolean recordedBeforeRepeats(final Path recorded) {
        try {
            final JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(recorded.toFile());
            return tree != null && tree.path("orders").isObject() && tree.path("orders").has("maxOrders") && !tree.has("decisions");
        } catch (final IOException e) {
            return false;
        }
    }

    /** The id of a model file, or null when it does not read (the configuration's validation says why). */
    private static String modelId(final Path model) {
        try {
            return io.ringfence.engine.fraud.ModelFile.read(model).id();
        } catch (final RuntimeException e) {
            return null;
        }
    }

    /** The model id a recorded file names in its header, or null (none, or written before it was recorded). */
    static String recordedModelId(final Path recorded) {
        try {
            for (final String line : Files.readAllLines(recorded)) {
                if (line.startsWith(MODEL_ID)) {
                    return line.substring(MODEL_ID.length()).trim();
                }
                if (!line.startsWith("#")) {
                    return null;
                }
            }
        } catch (final IOException e) {
            return null;
        }
        return null;
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
        return whatIf(data, null, file, whatIf);
    }

    /**
     * As {@link #whatIf(Path, Path, EngineConfig)}, compared with {@code decidedBy} (a kept configuration that decided
     * what is explained: explain of an order decided before a restart under other settings, trial), or the current one
     * when null.
     */
    public static String whatIf(final Path data, final Path decidedBy, final Path file, final EngineConfig whatIf) {
        final Path recorded = decidedBy != null ? decidedBy : source(data, null);
        final EngineConfig before;
        try {
            before = load(data, decidedBy, false); // only compared, not deciding
        } catch (final ConfigException e) {
            // --config is also the way round a recorded file this version cannot read: compare nothing, go on
            return "what-if " + file + ": not compared with the recorded configuration, which does not load here: "
                    + e.getMessage() + "\n";
        }
        return ConfigChanges.describe(recorded == null ? "the defaults" : recorded.toString(), file.toString(),
                ConfigChanges.between(before, whatIf));
    }

    /**
     * The configuration recorded in {@code data} with the first sequence it decided, for a server's start (a start
     * under another configuration decides the events a kill -9 left after its newest snapshot again under it, for
     * what was sent); null when none is recorded, or it no longer loads (said on {@code err}: the start goes on
     * without it, re-deciding those events under the new configuration with a warning).
     */
    public static io.ringfence.engine.PriorConfiguration prior(final Path data, final java.io.PrintStream err) {
        final Path recorded = data.resolve(FILE);
        if (!Files.isRegularFile(recorded)) {
            return null;
        }
        try {
            final EngineConfig config = load(data, null, false);
            final io.ringfence.engine.fraud.FraudModel model = config.fraudSpec().model(); // must read: said here, not as a failed start
            final String decidedWith = recordedModelId(recorded);
            if (decidedWith != null && model.present() && !decidedWith.equals(model.id())) {
                err.println("ringfence: warning: " + recorded + " says the journal was decided with model " + decidedWith
                        + ", but its model file is now " + model.id() + " (replaced since): should this start's configuration"
                        + " differ, the events journaled after its newest snapshot are re-decided under this one");
                return null;
            }
            final String rules = rulesOf(Files.readString(recorded));
            if (!RULES_VERSION.equals(rules)) { // review: said at INFO only ("made again under it") though by other rules
                err.println("ringfence: warning: " + recorded + " was recorded by " + (rules == null ? "a build older than 2026-12-07"
                        : "a build deciding by the engine rules of " + rules) + ": should events after its newest snapshot be"
                        + " decided again at this start, it is under its settings but this build's rules (" + RULES_VERSION
                        + "), so a resend of one of them may be answered otherwise than before (docs/operations.md \"Upgrading\")");
            }
            return new io.ringfence.engine.PriorConfiguration(config, fromSequence(Files.readString(recorded)));
        } catch (final ConfigException | IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            err.println("ringfence: warning: the configuration recorded in " + recorded + " does not load here (" + e.getMessage()
                    + "): should this start's differ from it, the events journaled after its newest snapshot are re-decided"
                    + " under this one");
            return null;
        }
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
