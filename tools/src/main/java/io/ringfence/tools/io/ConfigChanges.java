package io.ringfence.tools.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.engine.config.EngineConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * The settings in which a what-if configuration ({@code replay --config}, {@code explain --config})
 * differs from the one a journal was decided with, one line each ({@code fraud.declineAt: 0.9 ->
 * 0.8}). A what-if file is a whole configuration: what it does not say is the default, not the
 * recorded value, so a file that only meant to tighten a threshold also drops the recorded model
 * and any other recorded setting. Listing the differences makes that visible before anyone reads
 * the changed decisions as the effect of the threshold alone. Models are compared by content; the
 * sections that cannot change an output ({@code pipeline}, {@code journal}, {@code snapshot}) are left out.
 */
public final class ConfigChanges {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sections that change how the engine runs but no output (threads, journal files, snapshots): not listed. */
    private static final List<String> RUNTIME_SECTIONS = List.of("pipeline", "journal", "snapshot");
    /** Lines listed at most; the rest are counted. */
    static final int MAX_LINES = 25;

    private ConfigChanges() {
    }

    /** Each differing setting as {@code path: recorded -> what-if}, sorted by path; empty when none differ. */
    public static List<String> between(final EngineConfig recorded, final EngineConfig whatIf) {
        final JsonNode a = JSON.valueToTree(recorded);
        final JsonNode b = JSON.valueToTree(whatIf);
        final List<String> lines = new ArrayList<>();
        for (final String section : RUNTIME_SECTIONS) { // how the engine runs, not what it decides (DESIGN §3)
            ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove(section);
            ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove(section);
        }
        compare("", a, b, lines);
        lines.removeIf(l -> l.startsWith("fraud.model:"));
        final String model = modelChange(recorded.fraud.model, whatIf.fraud.model);
        if (model != null) {
            lines.add(model);
        }
        lines.sort(null);
        return lines;
    }

    /**
     * The settings of how the engine keeps its files ({@code journal}, {@code snapshot}: the archive, seals, sync,
     * snapshot points and retention) in which {@code now} differs from {@code recorded}, as {@link #between} lists them;
     * the journal's roll cycle is the journal's own, whatever is configured, so it is left out (upgrade trial: a start
     * without --config dropped journal.archive and the snapshot points, and only the deciding settings were named).
     */
    public static List<String> keepingBetween(final EngineConfig recorded, final EngineConfig now) {
        final List<String> lines = new ArrayList<>();
        for (final String section : List.of("journal", "snapshot")) {
            final JsonNode a = JSON.valueToTree(recorded).get(section);
            final JsonNode b = JSON.valueToTree(now).get(section);
            if (a instanceof com.fasterxml.jackson.databind.node.ObjectNode oa && b instanceof com.fasterxml.jackson.databind.node.ObjectNode ob) {
                oa.remove("rollCycle");
                ob.remove("rollCycle");
            }
            compare(section, a, b, lines);
        }
        lines.sort(null);
        return lines;
    }

    /**
     * The lines for a command's summary: a heading naming both files and the changes (at most
     * {@value #MAX_LINES}), or one line saying they are the same.
     */
    public static String describe(final String recordedName, final String whatIfName, final List<String> changes) {
        if (changes.isEmpty()) {
            return "what-if " + whatIfName + " has the same settings and model as " + recordedName + "\n";
        }
        final StringBuilder sb = new StringBuilder("what-if " + whatIfName + " differs from " + recordedName + " in "
                + changes.size() + (changes.size() == 1 ? " setting" : " settings")
                + " (what a what-if file leaves out is the default, not the recorded value):\n");
        for (int i = 0; i < Math.min(MAX_LINES, changes.size()); i++) {
            sb.append("  ").append(changes.get(i)).append('\n');
        }
        if (changes.size() > MAX_LINES) {
            sb.append("  ... and ").append(changes.size() - MAX_LINES).append(" more\n");
        }
        return sb.toString();
    }

    private static void compare(final String path, final JsonNode a, final JsonNode b, final List<String> lines) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            final TreeSet<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (final String name : names) {
                compare(path.isEmpty() ? name : path + "." + name, a.get(name), b.get(name), lines);
            }
            return;
        }
        if (a != null && b != null && a.isArray() && b.isArray() && allObjects(a) && allObjects(b)
                && (a.size() > 0 || b.size() > 0)) {
            final String key = keyOf(a, b);
            if (key != null) { // rules by reason, windows by name: an inserted one is not a change of all after it
                final java.util.LinkedHashMap<String, JsonNode> left = byKey(a, key);
                final java.util.LinkedHashMap<String, JsonNode> right = byKey(b, key);
                final java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>(left.keySet());
                keys.addAll(right.keySet());
                for (final String k : keys) {
                    compare(path + "[" + k + "]", left.get(k), right.get(k), lines);
                }
                return;
            }
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                compare(path + "[" + i + "]", a.get(i), b.get(i), lines); // an element only one side has: (none)
            }
            return;
        }
        if (!same(a, b)) {
            lines.add(path + ": " + text(a) + " -> " + text(b));
        }
    }

    /** The field that names each element of both lists uniquely ({@code reason} of rules, {@code name} of windows), or null. */
    private static String keyOf(final JsonNode a, final JsonNode b) {
        for (final String key : new String[] {"reason", "name"}) {
            if (uniqueTexts(a, key) && uniqueTexts(b, key)) {
                return key;
            }
        }
        return null;
    }

    private static boolean uniqueTexts(final JsonNode array, final String key) {
        final java.util.Set<String> seen = new java.util.HashSet<>();
        for (final Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            final JsonNode v = it.next().get(key);
            if (v == null || !v.isTextual() || !seen.add(v.asText())) {
                return false;
            }
        }
        return true;
    }

    private static java.util.LinkedHashMap<String, JsonNode> byKey(final JsonNode array, final String key) {
        final java.util.LinkedHashMap<String, JsonNode> m = new java.util.LinkedHashMap<>();
        array.elements().forEachRemaining(e -> m.put(e.get(key).asText(), e));
        return m;
    }

    private static boolean allObjects(final JsonNode array) {
        for (final Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            if (!it.next().isObject()) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(final JsonNode a, final JsonNode b) {
        if (a == null || a.isNull()) {
            return b == null || b.isNull();
        }
        if (a.isNumber() && b != null && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static String text(final JsonNode n) {
        if (n == null || n.isNull()) {
            return "(none)";
        }
        if (n.isArray() && n.isEmpty()) {
            return "[]";
        }
        JsonNode shown = n;
        if (n.isObject()) { // an added or removed rule or window: its settings, without the unset ones
            final com.fasterxml.jackson.databind.node.ObjectNode set = JSON.createObjectNode();
            n.fields().forEachRemaining(f -> {
                if (!f.getValue().isNull()) {
                    set.set(f.getKey(), f.getValue());
                }
            });
            shown = set;
        }
        final String s = shown.isTextual() ? shown.asText() : shown.toString();
        return s.length() > 160 ? s.substring(0, 157) + "..." : s;
    }

    /** The model line: by content, so the recorded copy and the file it was copied from are the same model. */
    private static String modelChange(final String recorded, final String whatIf) {
        final boolean hadModel = recorded != null && !recorded.isBlank();
        final boolean hasModel = whatIf != null && !whatIf.isBlank();
        if (!hadModel && !hasModel) {
            return null;
        }
        if (hadModel && !hasModel) {
            return "fraud.model: " + recorded + " -> (none): decided by rules alone; add fraud.model: " + recorded
                    + " to the what-if file to keep the model";
        }
        if (!hadModel) {
            return "fraud.model: (none) -> " + whatIf;
        }
        return sameContent(recorded, whatIf) ? null : "fraud.model: " + recorded + " -> " + whatIf + " (another model)";
    }

    private static boolean sameContent(final String a, final String b) {
        try {
            return Arrays.equals(Files.readAllBytes(Path.of(a)), Files.readAllBytes(Path.of(b)));
        } catch (final IOException | RuntimeException e) {
            return a.equals(b);
        }
    }
}
