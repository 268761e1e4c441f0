package io.ringfence.journal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A data directory's seals ({@value #FILE}): what the journal and its recorded configurations were when they were
 * written, so that a change made afterwards shows ({@code ringfence verify}). Two kinds of line, appended and forced:
 * <pre>
 * seal from=1 seq=52000 chain=&lt;SHA-256 chain&gt; fingerprint=&lt;record&gt; at=2026-12-07T08:00:10Z prev=&lt;16 hex&gt; mac=&lt;HMAC&gt;
 * config from=1 file=ringfence-config.yaml sha256=&lt;SHA-256 of the file&gt; at=... prev=... mac=...
 * </pre>
 * A {@code seal} line gives the {@link SealChain} of every record from {@code from} through {@code seq}; a
 * {@code config} line the SHA-256 of the recorded configuration in effect from sequence {@code from}, as written.
 * Each line names the first 16 hex digits of the SHA-256 of the line before it ({@code prev}), so a line taken out of
 * the middle shows; with a key ({@code journal.sealKey}, kept outside the data directory) each line ends with the
 * HMAC-SHA256 of the rest of it, so whoever can write the data directory but cannot read the key cannot write seals
 * that pass. Without a key the seals show damage and changes made without rewriting this file; the chain value that
 * {@code verify} prints, kept elsewhere, shows the rest.
 */
public final class JournalSeals {
    /** The file's name in the data directory. */
    public static final String FILE = "journal-seals.txt";
    public static final String SEAL = "seal";
    public static final String CONFIG = "config";
    /** {@code prev} of a file's first line. */
    public static final String NO_PREVIOUS = "0000000000000000";
    private static final String MAC = " mac=";
    private static final String HEADER = "# ringfence journal seals: the journal's SHA-256 chain and the recorded configurations'"
            + " digests as written (docs/recovery.md \"Seals\"); checked by `ringfence verify`. Do not edit.\n";
    private static final Object APPENDING = new Object();

    /**
     * One line of the file; its fields are read from its text when asked (a year of seals is a few hundred thousand lines).
     *
     * @param number its line number (1-based, as an editor shows it)
     * @param kind   {@link #SEAL} or {@link #CONFIG}
     * @param text   the whole line
     */
    public record Line(int number, String kind, String text) {
        public long from() {
            return Long.parseLong(field("from"));
        }

        /** A seal's last sequence. */
        public long sequence() {
            return Long.parseLong(field("seq"));
        }

        /** A field's value, or null when the line has none of that name. */
        public String field(final String name) {
            final String key = " " + name + "=";
            final int at = text.indexOf(key);
            if (at < 0) {
                return null;
            }
            final int end = text.indexOf(' ', at + key.length());
            return text.substring(at + key.length(), end < 0 ? text.length() : end);
        }

        /**
         * The last sequence a seal's chain took over as found, not as written ({@code adopted=N}: the start that began
         * the chain found N records and no seals of them), or 0.
         */
        public long adopted() {
            final String a = field("adopted");
            return a == null ? 0 : Long.parseLong(a);
        }

        /** The line without its mac: what the mac is of. */
        public String body() {
            final int at = text.indexOf(MAC);
            return at < 0 ? text : text.substring(0, at);
        }

        /** The first 16 hex digits of this line's SHA-256: the next line's {@code prev}. */
        public String digest() {
            return shortDigest(text);
        }
    }

    /**
     * The file as read.
     *
     * @param file     where it is
     * @param lines    the lines that read, in order
     * @param problems "line N: why" for each line that does not (a last line cut by a crash among them)
     */
    public record Contents(Path file, List<Line> lines, List<String> problems) {
        /** The last seal line, or null. */
        public Line lastSeal() {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (SEAL.equals(lines.get(i).kind())) {
                    return lines.get(i);
                }
            }
            return null;
        }

        /** The last config line for the configuration in effect from {@code from}, or null. */
        public Line lastConfig(final long from) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (CONFIG.equals(lines.get(i).kind()) && lines.get(i).from() == from) {
                    return lines.get(i);
                }
            }
            return null;
        }
    }

    private JournalSeals() {
    }

    /** The seals of {@code dataDirectory}; no lines when it has none. Read line by line. */
    public static Contents read(final Path dataDirectory) {
        final List<Line> lines = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        scan(dataDirectory, lines::add, problems);
        return new Contents(dataDirectory.resolve(FILE), List.copyOf(lines), List.copyOf(problems));
    }

    /** The file's config lines only (a handful), read line by line without keeping the seals. */
    public static Contents readConfigs(final Path dataDirectory) {
        final List<Line> lines = new ArrayList<>();
        scan(dataDirectory, l -> {
            if (CONFIG.equals(l.kind())) {
                lines.add(l);
            }
        }, new ArrayList<>());
        return new Contents(dataDirectory.resolve(FILE), List.copyOf(lines), List.of());
    }

    /**
     * The last config line for the configuration in effect from {@code from}, or null; read line by line without keeping
     * the seals (a start asks it of a file that may hold a year of them).
     */
    public static Line lastConfig(final Path dataDirectory, final long from) {
        final Line[] found = {null};
        scan(dataDirectory, l -> {
            if (CONFIG.equals(l.kind()) && l.from() == from) {
                found[0] = l;
            }
        }, new ArrayList<>());
        return found[0];
    }

    private static void scan(final Path dataDirectory, final java.util.function.Consumer<Line> lines, final List<String> problems) {
        final Path file = dataDirectory.resolve(FILE);
        try (java.io.InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            final StringBuilder line = new StringBuilder(320);
            int number = 0;
            int b;
            boolean open = false;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    line.append((char) b); // our lines are ASCII; any byte reads
                    open = true;
                    continue;
                }
                number++;
                take(number, line.toString(), lines, problems);
                line.setLength(0);
                open = false;
            }
            if (open && !line.toString().isBlank()) {
                problems.add("line " + (number + 1) + ": cut short (no end of line: a crash while it was written)");
            }
        } catch (final NoSuchFileException e) {
            // no seals
        } catch (final IOException e) {
            throw new JournalException("cannot read " + file + ", the journal's seals: " + e, e);
        }
    }

    private static void take(final int number, final String line, final java.util.function.Consumer<Line> lines,
                             final List<String> problems) {
        if (line.isBlank() || line.startsWith("#")) {
            return;
        }
        final String why = problem(line);
        if (why != null) {
            problems.add("line " + number + ": " + why + ": " + abbreviate(line));
            return;
        }
        lines.accept(new Line(number, line.substring(0, line.indexOf(' ')), line));
    }

    /**
     * The file's last seal line, read from its end (a start needs no more): null when it has none. Its line number is
     * not known this way and is given as 0.
     */
    public static Line lastSeal(final Path dataDirectory) {
        final Path file = dataDirectory.resolve(FILE);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            final long size = ch.size();
            for (long window = 64 << 10; ; window *= 4) {
                final int tail = (int) Math.min(size, window);
                final ByteBuffer bytes = ByteBuffer.allocate(tail);
                while (bytes.hasRemaining() && ch.read(bytes, size - tail + bytes.position()) > 0) {
                    // read on
                }
                final String[] pieces = new String(bytes.array(), 0, bytes.position(), StandardCharsets.ISO_8859_1).split("\n", -1);
                // the first piece may be a line's end; the last one is after the final newline (empty, or a cut line)
                for (int i = pieces.length - 2; i >= (size > tail ? 1 : 0); i--) {
                    if (pieces[i].startsWith(SEAL + " ") && problem(pieces[i]) == null) {
                        return new Line(0, SEAL, pieces[i]);
                    }
                }
                if (tail == size || window > 64L << 20) {
                    return size > tail ? read(dataDirectory).lastSeal() : null;
                }
            }
        } catch (final NoSuchFileException e) {
            return null;
        } catch (final IOException e) {
            throw new JournalException("cannot read " + file + ", the journal's seals: " + e, e);
        }
    }

    /**
     * Appends a seal: the chain of the records {@code from..sequence} and the fingerprint of the last one.
     */
    public static void appendSeal(final Path dataDirectory, final long from, final long sequence, final String chain,
                                  final long fingerprint, final long adopted, final byte[] key) {
        final Map<String, String> f = new LinkedHashMap<>();
        f.put("from", Long.toString(from));
        f.put("seq", Long.toString(sequence));
        f.put("chain", chain);
        f.put("fingerprint", String.format("%016x", fingerprint));
        if (adopted > 0) {
            f.put("adopted", Long.toString(adopted));
        }
        append(dataDirectory, SEAL, f, key);
    }

    /**
     * Appends the digest of a recorded configuration file, in effect from sequence {@code from}, as just written.
     *
     * @param name the file, relative to the data directory (no spaces)
     */
    public static void appendConfig(final Path dataDirectory, final long from, final String name, final byte[] content,
                                    final byte[] key) {
        appendConfig(dataDirectory, from, name, content, false, key);
    }

    /**
     * As {@link #appendConfig(Path, long, String, byte[], byte[])}; {@code asFound}: the file was not written now but found
     * without a seal (recorded before seals, or its seal deleted), and is sealed as it is ({@code found=1}).
     */
    public static void appendConfig(final Path dataDirectory, final long from, final String name, final byte[] content,
                                    final boolean asFound, final byte[] key) {
        final Map<String, String> f = new LinkedHashMap<>();
        f.put("from", Long.toString(from));
        f.put("file", name.replace(' ', '_'));
        f.put("sha256", sha256Hex(content));
        if (asFound) {
            f.put("found", "1");
        }
        append(dataDirectory, CONFIG, f, key);
    }

    private static void append(final Path dataDirectory, final String kind, final Map<String, String> fields, final byte[] key) {
        final Path file = dataDirectory.resolve(FILE);
        synchronized (APPENDING) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                final StringBuilder sb = new StringBuilder();
                long size = ch.size();
                if (size > 0 && !endsWithNewline(ch, size)) {
                    // a line cut by a crash: never complete, so never a seal; dropped, not ended (ended just before its
                    // " mac=" it would read as a line without a MAC, a lasting false alarm: review)
                    size = afterLastNewline(ch, size);
                    ch.truncate(size);
                }
                if (size == 0) {
                    sb.append(HEADER);
                }
                final String prev = size == 0 ? NO_PREVIOUS : previousDigest(ch, size, dataDirectory);
                sb.append(kind);
                for (final Map.Entry<String, String> e : fields.entrySet()) {
                    sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
                }
                sb.append(" at=").append(java.time.Instant.now()).append(" prev=").append(prev);
                final String body = sb.substring(sb.lastIndexOf("\n") + 1);
                if (key != null) {
                    sb.append(MAC).append(mac(key, body));
                }
                sb.append('\n');
                ch.write(ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII)), size);
                ch.force(false);
            } catch (final IOException e) {
                throw new JournalException("cannot append to " + file + ", the journal's seals: " + e, e);
            }
        }
    }

    /** The position just after the last newline before {@code size}, 0 when there is none. */
    private static long afterLastNewline(final FileChannel ch, final long size) throws IOException {
        final ByteBuffer block = ByteBuffer.allocate(4096);
        for (long end = size; end > 0; ) {
            final long start = Math.max(0, end - block.capacity());
            block.clear().limit((int) (end - start));
            while (block.hasRemaining() && ch.read(block, start + block.position()) > 0) {
                // read on
            }
            for (int i = block.position() - 1; i >= 0; i--) {
                if (block.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    private static boolean endsWithNewline(final FileChannel ch, final long size) throws IOException {
        final ByteBuffer last = ByteBuffer.allocate(1);
        ch.read(last, size - 1);
        return last.get(0) == '\n';
    }

    /** The digest of the file's last line that reads, from its last 64 KiB (the whole file when none reads there). */
    private static String previousDigest(final FileChannel ch, final long size, final Path dataDirectory) throws IOException {
        final int tail = (int) Math.min(size, 64 << 10);
        final ByteBuffer bytes = ByteBuffer.allocate(tail);
        while (bytes.hasRemaining() && ch.read(bytes, size - tail + bytes.position()) > 0) {
            // read on
        }
        final String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.ISO_8859_1);
        final String[] lines = text.split("\n", -1);
        // the first piece may be a line's end (not read from its start); the last is after the final newline: empty, or a
        // line cut by a crash, which the caller ends, so that it is a line as read() will see it
        for (int i = lines.length - 1; i >= (size > tail ? 1 : 0); i--) {
            if (!lines[i].isBlank() && !lines[i].startsWith("#") && problem(lines[i]) == null) {
                return shortDigest(lines[i]);
            }
        }
        final Contents c = read(dataDirectory);
        return c.lines().isEmpty() ? NO_PREVIOUS : c.lines().get(c.lines().size() - 1).digest();
    }

    /**
     * Moves the file aside as {@value #FILE}{@code .<why>-<time>}, kept for whoever looks into it.
     *
     * @return where it went, or null when there was none
     */
    public static Path setAside(final Path dataDirectory, final String why) {
        final Path file = dataDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        final Path aside = dataDirectory.resolve(FILE + "." + why + "-"
                + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now()));
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            return aside;
        } catch (final IOException e) {
            throw new JournalException("cannot set " + file + " aside as " + aside + ": " + e, e);
        }
    }

    /** The HMAC-SHA256 of {@code body} under {@code key}, as 64 hex digits. */
    public static String mac(final byte[] key, final String body) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no HmacSHA256 (every Java SE has): " + e, e);
        }
    }

    /** The SHA-256 of {@code content}, as 64 hex digits. */
    public static String sha256Hex(final byte[] content) {
        return HexFormat.of().formatHex(sha256().digest(content));
    }

    private static String shortDigest(final String text) {
        return sha256Hex(text.getBytes(StandardCharsets.ISO_8859_1)).substring(0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256 (every Java SE has): " + e, e);
        }
    }

    private static final java.util.regex.Pattern HEX64 = java.util.regex.Pattern.compile("[0-9a-f]{64}");
    private static final java.util.regex.Pattern HEX16 = java.util.regex.Pattern.compile("[0-9a-f]{16}");

    /** Why a line is not a seal or config line, or null. */
    private static String problem(final String line) {
        final String[] words = line.split(" ");
        if (!SEAL.equals(words[0]) && !CONFIG.equals(words[0])) {
            return "not a seal or config line";
        }
        final Map<String, String> f = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            final int eq = words[i].indexOf('=');
            if (eq <= 0 || f.put(words[i].substring(0, eq), words[i].substring(eq + 1)) != null) {
                return "field '" + words[i] + "' is not name=value, or repeats a name";
            }
        }
        final List<String> required = SEAL.equals(words[0]) ? List.of("from", "seq", "chain", "fingerprint", "at", "prev")
                : List.of("from", "file", "sha256", "at", "prev");
        for (final String name : required) {
            if (!f.containsKey(name)) {
                return "no " + name + "=";
            }
        }
        try {
            final long from = Long.parseLong(f.get("from"));
            if (from < 1) {
                return "from=" + from + " is no sequence";
            }
            if (SEAL.equals(words[0]) && Long.parseLong(f.get("seq")) < from) {
                return "seq=" + f.get("seq") + " is before from=" + from;
            }
            if (f.containsKey("adopted")) {
                Long.parseLong(f.get("adopted"));
            }
        } catch (final NumberFormatException e) {
            return "a sequence is not a number (" + e.getMessage() + ")";
        }
        if (!HEX64.matcher(f.getOrDefault("chain", f.get("sha256"))).matches()
                || SEAL.equals(words[0]) && !HEX16.matcher(f.get("fingerprint")).matches()
                || !HEX16.matcher(f.get("prev")).matches()
                || f.containsKey("mac") && !HEX64.matcher(f.get("mac")).matches()) {
            return "a digest is not hex of its length";
        }
        return null;
    }

    private static String abbreviate(final String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }
}
