package io.ringfence.engine.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line of a configuration file where a field path ({@code fraud.rules[3].when[0]}) is written,
 * so that a value refused after reading (a range, a rule that names no feature) is reported with
 * its line like a key the YAML reader refused. The deepest part of the path the file spells out
 * gives the line: a field left at its default has the line of its section, if the file has one.
 */
final class YamlLines {
    private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    /**
     * The text of configuration files that are not regular files (a FIFO, {@code --config <(...)}), as first read: they
     * cannot be read twice (review: a pipe read again was empty, so a syntax error's line was capped at 1; a FIFO read
     * again waited for a writer for ever). Regular files are read again, as they are now.
     */
    private static final java.util.Map<Path, String> UNREPEATABLE = new java.util.concurrent.ConcurrentHashMap<>();

    private YamlLines() {
    }

    /** The text of a configuration file, read once if it cannot be read twice (see {@link #UNREPEATABLE}). */
    static String read(final Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            return Files.readString(file);
        }
        final Path key = file.toAbsolutePath().normalize();
        final String kept = UNREPEATABLE.get(key);
        if (kept != null) {
            return kept;
        }
        final String text = Files.readString(file);
        UNREPEATABLE.put(key, text);
        return text;
    }

    /** {@code file line N: message} when the path is found in the file, else {@code file: message}. */
    static String locate(final Path file, final ConfigException e) {
        if (e.problems().size() > 1) {
            // in the file's order (trial: sections checked in another order read "line 8, line 6, line 2"); those without
            // a line last, each group in the order found
            final java.util.List<ConfigException> sorted = new java.util.ArrayList<>(e.problems());
            sorted.sort(java.util.Comparator.comparingInt((ConfigException p) -> {
                final int line = p.field() == null ? -1 : lineOf(file, p.field());
                return line > 0 ? line : Integer.MAX_VALUE;
            }));
            final StringBuilder all = new StringBuilder();
            for (final ConfigException p : sorted) {
                all.append(all.length() == 0 ? "" : "\n").append(locate(file, p));
            }
            return all.toString();
        }
        final int line = e.field() == null ? -1 : lineOf(file, e.field());
        return file + (line > 0 ? " line " + line : "") + ": " + asWritten(file, e).getMessage();
    }

    /**
     * {@code e} with its number quoted as {@code file} writes it ({@code '-1'}, {@code '1e3'}, {@code '.inf'}), not as the
     * checks saw it once read ({@code '-1.0'}, {@code '1000.0'}, {@code 'Infinity'}: configuration trial); {@code e} itself
     * when the field's value is not a scalar of the file or not that number (a default, a value worked out).
     */
    static ConfigException asWritten(final Path file, final ConfigException e) {
        if (e.field() == null || !(e.value() instanceof Number number)) {
            return e;
        }
        final String written = scalarAt(file, e.field());
        return written != null && !written.equals(String.valueOf(number)) && isNumber(written, number)
                ? e.withValueWritten(written) : e;
    }

    /** Whether the YAML scalar {@code text} is {@code value}, in any of YAML's spellings ({@code 1_000}, {@code 1e3}, {@code .inf}). */
    static boolean isNumber(final String text, final Number value) {
        final String t = text.strip().toLowerCase(java.util.Locale.ROOT).replace("_", "");
        final double d = value.doubleValue();
        switch (t) {
            case ".inf": case "+.inf": return d == Double.POSITIVE_INFINITY;
            case "-.inf": return d == Double.NEGATIVE_INFINITY;
            case ".nan": return Double.isNaN(d);
            default: break;
        }
        try {
            final java.math.BigDecimal written = new java.math.BigDecimal(t);
            return value instanceof Double || value instanceof Float ? written.doubleValue() == d
                    : written.compareTo(new java.math.BigDecimal(value.toString())) == 0;
        } catch (final NumberFormatException e) {
            return false;
        }
    }

    /** The text of the scalar written at exactly {@code path} in {@code file}, or null (not there, not a scalar, unreadable). */
    static String scalarAt(final Path file, final String path) {
        final Found found = find(file, path);
        return found.whole() && found.node() instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    /**
     * How many lines {@code file} has as the YAML reader counts them (LF, CR LF, a lone CR or NEL end one; a last line
     * without an ending counts), at least 1; 1 if it cannot be read.
     */
    static int count(final Path file) {
        try {
            final String text = read(file);
            int lines = 1;
            for (int i = 0; i < text.length() - 1; i++) {
                final char c = text.charAt(i);
                if (c == '\n' || c == '\u0085' || c == '\r' && text.charAt(i + 1) != '\n') {
                    lines++;
                }
            }
            return lines;
        } catch (final IOException | RuntimeException e) {
            return 1;
        }
    }

    /** 1-based line of the deepest node of {@code path} present in {@code file}, or -1. */
    static int lineOf(final Path file, final String path) {
        return find(file, path).line();
    }

    /** The deepest node of a path present in a file, its 1-based line (-1: none), and whether it is the whole path's. */
    private record Found(Node node, int line, boolean whole) {
    }

    private static Found find(final Path file, final String path) {
        final Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(read(file)));
        } catch (final IOException | RuntimeException e) {
            return new Found(null, -1, false); // the message stands without a line
        }
        Node node = root;
        int line = -1;
        final Matcher m = SEGMENT.matcher(path);
        while (node != null && m.find()) {
            Node next = null;
            int at = -1;
            if (m.group(1) != null && node instanceof MappingNode) {
                for (final NodeTuple t : ((MappingNode) node).getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode && m.group(1).equals(((ScalarNode) t.getKeyNode()).getValue())) {
                        next = t.getValueNode();
                        at = t.getKeyNode().getStartMark().getLine();
                        break;
                    }
                }
            } else if (m.group(2) != null && node instanceof SequenceNode) {
                final int index = Integer.parseInt(m.group(2));
                if (index < ((SequenceNode) node).getValue().size()) {
                    next = ((SequenceNode) node).getValue().get(index);
                    at = next.getStartMark().getLine();
                }
            }
            if (next == null) {
                return new Found(node, line, false);
            }
            node = next;
            line = at + 1;
        }
        return new Found(node, line, node != null);
    }
}
