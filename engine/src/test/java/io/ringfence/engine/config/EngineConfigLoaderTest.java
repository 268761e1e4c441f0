package io.ringfence.engine.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(final String yaml) throws IOException {
        final Path p = dir.resolve("c.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    private String error(final String yaml) throws IOException {
        final Path p = write(yaml);
        return assertThrows(ConfigException.class, () -> EngineConfigLoader.loadValidated(p)).getMessage();
    }

    /** Trial 2026-12-04: {@code windows:} left empty turned every window off silently; {@code []} says none on purpose. */
    /** Trial: orders.maxOrders 16,777,216 with the default 2 GiB heap ended in an OutOfMemoryError at start naming nothing. */
    @Test
    void shouldRefuseTableCapsWhosePreallocatedTablesTheHeapCannotHold() {
        final long heap = 2L << 30;
        EngineConfigLoader.checkPreallocated(EngineConfigLoader.defaults(), heap); // ~14 MiB
        final EngineConfig big = EngineConfigLoader.defaults();
        big.orders.maxOrders = 16_777_216;
        final ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
            () -> EngineConfigLoader.checkPreallocated(big, heap));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("orders.maxOrders: '16777216' with the other table caps"
            + " preallocates about 967 MiB at start (orders 960 MiB, stock 4 MiB, carts 3 MiB), more than a quarter of this JVM's"
            + " 2,048 MiB heap"), e.getMessage());
        big.orders.enabled = false;
        EngineConfigLoader.checkPreallocated(big, heap); // no order book, nothing preallocated for it
    }

    /** journal.archive: a directory apart from the data directory and the snapshots, named when it is not. */
    @Test
    void shouldNameAnArchiveThatIsTheDataOrTheSnapshotDirectory() throws IOException {
        assertEquals("archive", EngineConfigLoader.loadValidated(write("journal:\n  archive: archive\n")).journal.archive);
        assertTrue(EngineConfigLoader.loadValidated(write("journal:\n  rollCycle: FAST_DAILY\n")).journal.archive == null,
                "off by default: the journal is kept whole");
        final String same = error("journal:\n  archive: ./\n");
        assertTrue(same.contains("journal.archive") && same.contains("other than the data directory"), same);
        final String snapshots = error("journal:\n  archive: snapshots/\n");
        assertTrue(snapshots.contains("journal.archive") && snapshots.contains("is the snapshot directory"), snapshots);
        final String blank = error("journal:\n  archive: ' '\n");
        assertTrue(blank.contains("journal.archive"), blank);
        // the data directory given absolute is known only with it: refused as a configuration error too (review: exit 1
        // with the journal's own message naming no setting)
        final JournalSection absolute = new JournalSection();
        absolute.archive = dir.toAbsolutePath().toString();
        final ConfigException e = assertThrows(ConfigException.class, () -> absolute.toJournalConfig(dir, 1024));
        assertTrue(e.getMessage().contains("journal.archive") && e.getMessage().contains("is the data directory"), e.getMessage());
        absolute.archive = dir.resolve("archive").toAbsolutePath().toString();
        assertEquals(dir.resolve("archive").toAbsolutePath(), absolute.toJournalConfig(dir, 1024).archiveDirectory());
    }

    /** Analyst audit: a tab indenting line 2 was reported on line 1 (the last token read, not the problem). */
    @Test
    void shouldNameTheLineOfAYamlSyntaxError() throws IOException {
        final Path file = dir.resolve("c.yaml");
        final String tab = error("fraud:\n\treviewAt: 0.5\n");
        assertTrue(tab.startsWith(file + " line 2, column 1: not valid YAML: "), tab);
        // inside a section Jackson wraps the parser's error once more (review: line 2 for a tab on line 3)
        final String nested = error("fraud:\n  reviewAt: 0.5\n\tdeclineAt: 0.9\n");
        assertTrue(nested.startsWith(file + " line 3, column 1: "), nested);
        final String deeper = error("pipeline:\n  ringSize: 1024\n  layout: combined\n\twaitStrategy: yielding\n");
        assertTrue(deeper.startsWith(file + " line 4, column 1: "), deeper);
        // an unclosed quote's problem is the end of the stream: at most the file's last line (was line 5 of 4)
        final String quote = error("windows: \"abc\n\n\n\n");
        assertTrue(quote.startsWith(file + " line 4: "), quote);
        // CR-only line endings: the line as the YAML reader counts it (the clamp counted only LF: review)
        final String cr = error("fraud:\r  reviewAt: 0.5\r\tdeclineAt: 0.9\r");
        assertTrue(cr.startsWith(file + " line 3, column 1: "), cr);
        final String colon = error("# one\npipeline:\n  ringSize: 1024\n  waitStrategy: yielding: now\nsnapshot:\n  retain: 3\n");
        assertTrue(colon.startsWith(file + " line 4, column "), colon);
    }

    /** New-user trial: a YAML syntax error printed the parser's several lines (the line quoted, a caret under the column). */
    @Test
    void shouldSayAYamlSyntaxErrorInOneLineWithItsLineAndColumn() throws IOException {
        final Path file = dir.resolve("c.yaml");
        assertEquals(file + " line 3, column 2: not valid YAML: expected <block end>, but found '<block mapping start>' (while parsing"
            + " a block mapping from line 1, column 1): the keys of one section start in the same column; indent a section's keys"
            + " under it", error("fraud:\n  reviewAt: 0.5\n declineAt: 0.9\n"));
        assertEquals(file + " line 3, column 25: not valid YAML: mapping values are not allowed here: put a value holding ': ' in"
            + " quotes, or start a section's keys on the lines below it", error("pipeline:\n  ringSize: 1024\n  waitStrategy: yielding: now\n"));
        assertEquals(file + " line 2, column 1: not valid YAML: found character '\\t(TAB)' that cannot start any token. (Do not use"
            + " \\t(TAB) for indentation) (while scanning for the next token)", error("fraud:\n\treviewAt: 0.5\n"));
        assertEquals(file + " line 1, column 22: not valid YAML: expected ',' or '}', but got <stream end> (while parsing a flow mapping"
            + " from column 8)", error("fraud: {reviewAt: 0.5"));
        assertEquals(file + " line 2: not valid YAML: found unexpected end of stream (while scanning a quoted scalar from line 1,"
            + " column 10)", error("windows: \"abc\n\n"));
        for (final String broken : new String[] {"fraud:\n  reviewAt: 0.5\n\tdeclineAt: 0.9\n", "fraud: [1, 2\n", "a:\n  - b\n c: d\n"}) {
            final String message = error(broken);
            assertEquals(1, message.lines().count(), message);
            assertTrue(message.startsWith(file + " line "), message);
        }
    }

    /** Review: the indentation advice came with every "expected <block end>", also after a stray scalar or a list item. */
    @Test
    void shouldGiveTheIndentationAdviceOnlyForAnIndentationMistake() throws IOException {
        final String scalar = error("pipeline:\n  layout: \"inline\"extra\n");
        assertTrue(scalar.contains("not valid YAML: expected <block end>") && !scalar.contains("indent"), scalar);
        final String item = error("fraud:\n  reviewAt: 0.5\n  - x\n");
        assertTrue(item.contains("not valid YAML: expected <block end>") && !item.contains("indent"), item);
    }

    /**
     * Review: a configuration that is not a regular file (a FIFO, {@code --config <(...)}) was read again for a syntax
     * error's line (a pipe then empty: "line 1") and for the empty-file check (a FIFO: waited for a writer for ever).
     */
    @Test
    void shouldReadAConfigurationFromAFifoOnce() throws Exception {
        final Path fifo = dir.resolve("c.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        feed(fifo, "fraud:\n  reviewAt: 0.5\n declineAt: 0.9\n");
        final ConfigException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
            () -> assertThrows(ConfigException.class, () -> EngineConfigLoader.load(fifo)));
        assertTrue(e.getMessage().startsWith(fifo + " line 3, column 2: not valid YAML"), e.getMessage());

        final Path latin1 = dir.resolve("latin1.fifo"); // not UTF-8: the line was looked for by reading it again
        assertEquals(0, new ProcessBuilder("mkfifo", latin1.toString()).start().waitFor());
        feed(latin1, "fraud:\n  reviewAt: 0.5 # caf\u00e9\n", java.nio.charset.StandardCharsets.ISO_8859_1);
        final ConfigException notUtf8 = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
            () -> assertThrows(ConfigException.class, () -> EngineConfigLoader.load(latin1)));
        assertTrue(notUtf8.getMessage().contains("is not UTF-8 text"), notUtf8.getMessage());

        final Path good = dir.resolve("good.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", good.toString()).start().waitFor());
        feed(good, "fraud:\n  reviewAt: 0.4\n");
        final EngineConfig c = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
            () -> EngineConfigLoader.loadValidated(good));
        assertEquals(0.4, c.fraud.reviewAt, 1e-9);
    }

    /** Writes {@code text} into the FIFO once a reader opens it, then closes it (a daemon thread: no reader, no harm). */
    private static void feed(final Path fifo, final String text) {
        feed(fifo, text, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void feed(final Path fifo, final String text, final java.nio.charset.Charset charset) {
        final Thread writer = new Thread(() -> {
            try {
                Files.writeString(fifo, text, charset);
            } catch (final IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "fifo-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Test
    void shouldRefuseAListSectionLeftEmptyAndTakeAnEmptyList() throws IOException {
        assertTrue(error("windows:\n").contains("windows: is empty: list them, or write `windows: []` for none"));
        assertTrue(error("anomalies:\n").contains("anomalies: is empty"));
        assertTrue(EngineConfigLoader.loadValidated(write("windows: []\n")).windows.isEmpty());
    }

    /** Audit: {@code fraud.rules:} left empty dropped the ten default rules without a word (a card-testing burst approved). */
    @Test
    void shouldRefuseAKeyLeftEmptyWhoseDefaultIsAListOrAMapNamingItsLine() throws IOException {
        final Path file = dir.resolve("c.yaml");
        assertEquals(file + " line 3: fraud.rules: is empty, which would drop its default: write `[]` (an empty list) or `{}`"
                + " (an empty map) for none, or leave the key out for its default", error("fraud:\n  reviewAt: 0.5\n  rules:\n"));
        assertTrue(error("fraud:\n  allow:\n    reason: OK\n    users:\n  rules:\n").startsWith(file + " line 5: fraud.rules: is empty"));
        // a default of none is what null means anyway: taken
        assertTrue(EngineConfigLoader.loadValidated(write("fraud:\n  allow:\n    users:\n")).fraudSpec().toString() != null);
        assertTrue(EngineConfigLoader.loadValidated(write("inventory:\n  lowStockBySku:\n")).inventory.lowStockBySku == null);
        assertEquals(file + " line 2: anomalies: is empty: list them, or write `anomalies: []` for none", error("# x\nanomalies:\n"));
        // [] and {} say none on purpose; an optional setting may be null, as the recorded configuration writes it
        assertTrue(EngineConfigLoader.loadValidated(write("fraud:\n  rules: []\n")).fraud.rules.isEmpty());
        assertTrue(EngineConfigLoader.loadValidated(write("inventory:\n  lowStockBySku: {}\n")).inventory.lowStockBySku.isEmpty());
        assertNull(EngineConfigLoader.loadValidated(write("windows:\n  - name: w\n    key: user\n    kind: tumbling\n    size: 1h\n"
                + "    step: null\n    events: null\n    metrics: [count]\n")).windows.get(0).events);
    }

    /** Audit: oversell: Review and layout: Dedicated were taken, journal.sync: NONE and kind: Tumbling refused. */
    @Test
    void shouldTakeTheNamesOfChoicesInAnyCase() throws IOException {
        final EngineConfig c = EngineConfigLoader.loadValidated(write("journal:\n  sync: NONE\n  rollCycle: fast_daily\n"
                + "snapshot:\n  writer: Replica\nwindows:\n  - name: w\n    key: user\n    kind: Tumbling\n    size: 1h\n"
                + "    metrics: [count]\n"));
        assertEquals(io.ringfence.journal.JournalSync.NONE, c.journal.journalSync("journal"));
        assertTrue(c.snapshot.byReplica());
        assertEquals(io.ringfence.engine.window.WindowSpec.Kind.TUMBLING, c.validate().get(0).kind());
    }

    /** Audit: a Latin-1 byte read "cannot read configuration file: Input length = 1", no line, no encoding. */
    @Test
    void shouldNameTheLineOfABadUtf8Byte() throws IOException {
        final Path file = dir.resolve("latin1.yaml");
        Files.write(file, "# caf\u00e9\norders:\n  unpaidAfter: 10m\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(file + " line 1: byte 0xE9 at offset 5 is not UTF-8: a configuration is UTF-8 text (save the file as UTF-8)",
                assertThrows(ConfigException.class, () -> EngineConfigLoader.loadValidated(file)).getMessage());
    }

    /** Audit: an alias of a scalar was read as the alias's own name ({@code lateness: *5m} read as 5m, not the anchored 10m). */
    @Test
    void shouldRefuseYamlAnchorsAndAliasesNamingTheirLine() throws IOException {
        final Path file = dir.resolve("c.yaml");
        assertEquals(file + " line 2: &5m: YAML anchors (&name, *name) are not supported in a configuration: write the value out"
                + " where it is used", error("orders:\n  unpaidAfter: &5m 10m\n  lateness: *5m\n"));
        assertTrue(error("orders:\n  unpaidAfter: 10m\n  lateness: *5m\n").startsWith(file + " line 3: *5m: YAML aliases"),
                "an alias without its anchor is named too");
    }

    @Test
    void shouldNameTheLineOfAValueRefusedAfterReading() throws IOException {
        final Path file = dir.resolve("c.yaml");
        assertEquals(file + " line 3: pipeline.ringSize: '1000' must be a power of two, at least 64",
                error("# a comment\npipeline:\n  ringSize: 1000\n"));
        final String rule = error("fraud:\n  rules:\n    - reason: MINE\n      when: [\"amount >= 1\"]\n      action: review\n"
                + "    - reason: TYPO\n      when:\n        - \"amount > 0\"\n        - \"device_other_user_24h >= 2\"\n      action: review\n");
        assertTrue(rule.startsWith(file + " line 9: fraud.rules[1].when[1]: "), rule);
        // a default value refused because of another setting: the line of its section, which the file has
        final String section = error("\nsnapshot:\n  everyEventTime: 500ms\n");
        assertTrue(section.startsWith(file + " line 3: snapshot.everyEventTime: '500ms'"), section);
    }

    @Test
    void snapshotsKeptForIncidentReplaysAreReadAndBadCountsNamed() throws IOException {
        final Path file = dir.resolve("c.yaml");
        final EngineConfig defaults = new EngineConfig();
        assertEquals(0, defaults.snapshot.retainHourly);
        assertEquals(7, defaults.snapshot.retainDaily, "a week of days: explain of last week's orders starts near them");
        final io.ringfence.journal.snapshot.SnapshotRetention r = EngineConfigLoader.loadValidated(
                write("snapshot:\n  retain: 2\n  retainHourly: 24\n  retainDaily: 0\n")).snapshot.retention();
        assertEquals(List.of(2, 24, 0), List.of(r.retain(), r.hourly(), r.daily()));
        final String negative = error("snapshot:\n  retainDaily: -1\n");
        assertTrue(negative.startsWith(file + " line 2: snapshot.retainDaily: '-1' must be between 0 and 10000"), negative);
        final String huge = error("snapshot:\n  retainHourly: 10001\n");
        assertTrue(huge.startsWith(file + " line 2: snapshot.retainHourly: '10001' must be between 0 and 10000"), huge);
    }

    /**
     * Configuration trial: the decisions section was checked only when the engine was built, after a server had made its
     * data directory, and named neither file nor line nor beside the other sections' problems.
     */
    @Test
    void shouldCheckTheDecisionsSectionAtLoadWithTheOthers() throws IOException {
        final Path file = dir.resolve("c.yaml");
        final String repeats = error("decisions:\n  repeats: sometimes\n");
        assertTrue(repeats.startsWith(file + " line 2: decisions.repeats: 'sometimes' must be first"), repeats);
        final String both = error("decisions:\n  maxRemembered: 0\norders:\n  maxOrders: 0\n");
        assertTrue(both.contains(file + " line 2: decisions.maxRemembered: '0'") && both.contains(file + " line 4: orders.maxOrders"),
            both);
    }

    /** Configuration trial: input.maxAhead longer than orders.unpaidAfter was accepted without a word. */
    @Test
    void shouldSayWhenEventsMayRunAheadOfTheOrderTimers() throws IOException {
        assertEquals(null, EngineConfigLoader.aheadOfOrderTimers(EngineConfigLoader.loadValidated(write("input:\n  maxAhead: 30m\n"))));
        assertEquals(null, EngineConfigLoader.aheadOfOrderTimers(EngineConfigLoader.loadValidated(write("input:\n  maxAhead: 0s\n"))),
            "no limit: a backfill's choice");
        final String said = EngineConfigLoader.aheadOfOrderTimers(EngineConfigLoader.loadValidated(write("input:\n  maxAhead: 2h\n")));
        assertTrue(said != null && said.startsWith("input.maxAhead 2h is longer than orders.unpaidAfter 30m"), said);
        assertEquals(null, EngineConfigLoader.aheadOfOrderTimers(EngineConfigLoader.loadValidated(
            write("input:\n  maxAhead: 2h\norders:\n  enabled: false\n"))), "no order timers");
        assertEquals(null, EngineConfigLoader.aheadOfOrderTimers(EngineConfigLoader.loadValidated(
            write("orders:\n  unpaidAfter: 0s\n"))), "0s: no unpaid deadline");
    }

    /** An event stamped ahead moves the early payments' deadlines too: every waiting payment expired at once. */
    @Test
    void shouldSayWhenEventsMayRunAheadOfTheEarlyPayments() throws IOException {
        assertEquals(null, EngineConfigLoader.aheadOfEarlyPayments(EngineConfigLoader.loadValidated(write("input:\n  maxAhead: 30m\n"))),
            "as long as the wait: an order exactly that much later is in time");
        assertEquals(null, EngineConfigLoader.aheadOfEarlyPayments(EngineConfigLoader.loadValidated(write("input:\n  maxAhead: 0s\n"))),
            "no limit: a backfill's choice");
        assertEquals("input.maxAhead 10m is longer than orders.earlyPayments 5m: one event stamped that far ahead of the clock"
                + " moves event time past every payment waiting for its order at once (each counted as without an order, its"
                + " order left unpaid when it comes); keep it shorter unless this is a backfill",
            EngineConfigLoader.aheadOfEarlyPayments(EngineConfigLoader.loadValidated(
                write("input:\n  maxAhead: 10m\norders:\n  earlyPayments: 5m\n"))));
        assertEquals(null, EngineConfigLoader.aheadOfOrderTimers(EngineConfigLoader.loadValidated(
            write("input:\n  maxAhead: 10m\norders:\n  earlyPayments: 5m\n"))), "within unpaidAfter: the one warning");
        assertEquals(null, EngineConfigLoader.aheadOfEarlyPayments(EngineConfigLoader.loadValidated(
            write("input:\n  maxAhead: 2h\norders:\n  earlyPayments: 0s\n"))), "0s: no payment waits");
        assertEquals(null, EngineConfigLoader.aheadOfEarlyPayments(EngineConfigLoader.loadValidated(
            write("input:\n  maxAhead: 2h\norders:\n  enabled: false\n"))), "no order book");
    }

    @Test
    void shouldNameEveryProblemOfIndependentPartsEachWithItsLine() throws IOException {
        final Path file = dir.resolve("c.yaml");
        final String all = error(String.join("\n",
                "pipeline:",
                "  ringSize: 1000",                    // line 2
                "fraud:",
                "  declineAt: 2.0",                    // line 4
                "  rules:",
                "    - reason: A",                     // a good rule
                "      when: [\"amount > 0\"]",
                "      action: review",
                "    - reason: B",
                "      when: [\"nonsense > 1\"]",      // line 10
                "      action: review",
                "    - reason: C",
                "      when: [\"amount > 0\"]",
                "      action: maybe",                 // line 14
                "trending:",
                "  k: 0",                              // line 16
                "windows:",
                "  - name: w1",
                "    kind: tumbling",
                "    size: 1x",                        // line 20
                "    key: country",
                "    metrics: [count]",
                "  - name: w2",
                "    kind: tumbling",
                "    size: 1h",
                "    key: nothing",                    // line 26
                "    metrics: [count]",
                "anomalies:",                          // not checked: the windows failed
                "  - name: a",
                "    window: w9",
                "    metric: count", ""));
        final String[] lines = all.split("\n");
        assertEquals(7, lines.length, all);
        assertTrue(lines[0].startsWith(file + " line 2: pipeline.ringSize: '1000'"), all);
        assertTrue(lines[1].startsWith(file + " line 4: fraud.declineAt: '2.0'"), all);
        assertTrue(lines[2].startsWith(file + " line 10: fraud.rules[1].when[0]: "), all);
        assertTrue(lines[3].startsWith(file + " line 14: fraud.rules[2].action: 'maybe'"), all);
        assertTrue(lines[4].startsWith(file + " line 16: trending.k: '0'"), all);
        assertTrue(lines[5].startsWith(file + " line 20: windows[0].size: '1x'"), all);
        assertTrue(lines[6].startsWith(file + " line 26: windows[1].key: 'nothing'"), all);
        // with the windows good, each bad monitor is named
        final String monitors = error("anomalies:\n  - name: a\n    window: w9\n    metric: count\n"
                + "  - name: b\n    window: gmv_by_country_1h\n    metric: nope\n");
        assertEquals(2, monitors.split("\n").length, monitors);
        assertTrue(monitors.startsWith(file + " line 3: anomalies[0].window: 'w9'"), monitors);
        assertTrue(monitors.contains("\n" + file + " line 7: anomalies[1].metric: 'nope'"), monitors);
        // trial: orders: and inventory: are two sections, each named; lines in the file's order, whatever order the
        // sections are checked in (trending and carts before orders)
        final String sections = error("orders:\n  maxOrders: -1\ninventory:\n  lowStock: -3\ncarts:\n  maxCarts: 0\n"
                + "trending:\n  k: -1\n");
        final String[] named = sections.split("\n");
        assertEquals(4, named.length, sections);
        assertTrue(named[0].startsWith(file + " line 2: orders.maxOrders: '-1'"), sections);
        assertTrue(named[1].startsWith(file + " line 4: inventory.lowStock: '-3'"), sections);
        assertTrue(named[2].startsWith(file + " line 6: carts.maxCarts: '0'"), sections);
        assertTrue(named[3].startsWith(file + " line 8: trending.k: '-1'"), sections);
        // one problem is one line, as before
        assertEquals(file + " line 2: trending.k: '0' must be between 1 and 100 (skus per pushed list)", error("trending:\n  k: 0\n"));
    }

    @Test
    void shouldKeepEachProblemOfAnExceptionForTheCaller() {
        final ConfigProblems problems = new ConfigProblems();
        problems.check(() -> {
            throw new ConfigException("a.b", 1, "is bad");
        });
        final Object failed = problems.check(() -> {
            throw new ConfigException("a.c", null, "is required");
        });
        assertEquals(null, failed, "a part that failed builds nothing");
        assertEquals(Boolean.TRUE, problems.check(() -> Boolean.TRUE));
        problems.check(() -> {
            throw new ConfigException("a.b", 1, "is bad"); // the same problem twice (two readers of one file): named once
        });
        final ConfigException e = assertThrows(ConfigException.class, problems::throwIfAny);
        assertEquals("a.b: '1' is bad\na.c is required", e.getMessage());
        assertEquals(2, e.problems().size());
        assertEquals("a.b", e.field());
        assertEquals("a.c", e.problems().get(1).field());
    }

    /** Configuration trial: {@code reviewAt: -1} was refused as '-1.0', {@code .inf} as 'Infinity', {@code .nan} in Jackson's words. */
    @Test
    void shouldQuoteARefusedNumberAsTheFileWritesIt() throws IOException {
        final Path p = dir.resolve("c.yaml");
        assertEquals(p + " line 2: fraud.reviewAt: '-1' must be above 0 and at most 1", error("fraud:\n  reviewAt: -1\n"));
        assertEquals(p + " line 2: fraud.reviewAt: '1e3' must be above 0 and at most 1", error("fraud:\n  reviewAt: 1e3\n"));
        assertEquals(p + " line 2: fraud.reviewAt: '.inf' must be above 0 and at most 1", error("fraud:\n  reviewAt: .inf\n"));
        assertEquals(p + " line 2: fraud.reviewAt: '-.Inf' must be above 0 and at most 1", error("fraud:\n  reviewAt: -.Inf\n"));
        assertEquals(p + " line 2: fraud.reviewAt: '.nan' is not a number", error("fraud:\n  reviewAt: .nan\n"));
        assertEquals(p + " line 3: fraud.features.failPriorRate: '.NaN' is not a number",
            error("fraud:\n  features:\n    failPriorRate: .NaN\n"));
        assertEquals(p + " line 2: snapshot.retain: '1.5' is not a whole number", error("snapshot:\n  retain: 1.5\n"));
        // review: YAML's not-a-number and infinity in a whole-number field read the reader's "Malformed numeric value"
        assertEquals(p + " line 2: snapshot.retain: '.NaN' is not a whole number", error("snapshot:\n  retain: .NaN\n"));
        assertEquals(p + " line 2: snapshot.retain: '-.inf' is not a whole number", error("snapshot:\n  retain: -.inf\n"));
        assertEquals(p + " line 2: snapshot.retain: '-1' must be between 1 and 1000 (the newest snapshots kept)",
            error("snapshot:\n  retain: -1\n"));
        assertEquals(p + " line 2: snapshot.retain: '1_000_000' must be between 1 and 1000 (the newest snapshots kept)",
            error("snapshot:\n  retain: 1_000_000\n"));
        assertEquals(p + " line 2: fraud.reviewAt: '-1' must be above 0 and at most 1\n"
                + p + " line 4: snapshot.retain: '0' must be between 1 and 1000 (the newest snapshots kept)",
            error("fraud:\n  reviewAt: -1\nsnapshot:\n  retain: 0\n"), "each of several problems as written");
        assertTrue(YamlLines.isNumber("-1", -1.0) && YamlLines.isNumber("1_000", 1000) && YamlLines.isNumber("+.INF", Double.POSITIVE_INFINITY));
        assertTrue(!YamlLines.isNumber("-2", -1.0) && !YamlLines.isNumber("1.5", 1) && !YamlLines.isNumber("x", 1),
            "a value worked out from another keeps the checks' text");
    }

    @Test
    void shouldReadYamlInfinityAsTheReadmeWritesIt() throws IOException {
        // config trial: the README's `cusumLimit: .inf` was refused as "Malformed numeric value"
        for (final String inf : new String[] {".inf", ".Inf", ".INF", "+.inf"}) {
            final EngineConfig c = EngineConfigLoader.loadValidated(write("anomalies:\n  - name: a\n    window: gmv_by_country_1h\n"
                + "    metric: count\n    detector:\n      cusumLimit: " + inf + "\n"));
            assertEquals(Double.POSITIVE_INFINITY, c.anomalies.get(0).detector.cusumLimit, inf);
        }
        final EngineConfig finite = EngineConfigLoader.loadValidated(write("anomalies:\n  - name: a\n    window: gmv_by_country_1h\n"
            + "    metric: count\n    detector:\n      cusumLimit: 4.5\n"));
        assertEquals(4.5, finite.anomalies.get(0).detector.cusumLimit);
    }

    @Test
    void shouldRefuseASecondYamlDocumentInsteadOfIgnoringIt() throws IOException {
        final Path file = dir.resolve("c.yaml");
        assertEquals(file + " line 4: a second YAML document (after a '---' line): a configuration is one document, and this one"
                + " would be ignored; put every setting in one",
            error("orders:\n  unpaidAfter: 5m\n---\norders:\n  unpaidAfter: 0s\nbogus: 1\n"));
        assertEquals("5m", EngineConfigLoader.loadValidated(write("---\norders:\n  unpaidAfter: 5m\n...\n")).orders.unpaidAfter,
            "one document with its markers is fine");
        assertEquals("5m", EngineConfigLoader.loadValidated(write("orders:\n  unpaidAfter: 5m\n---\n")).orders.unpaidAfter,
            "an empty document after it (a trailing '---') holds nothing to ignore");
    }

    @Test
    void shouldRefuseALiveRingThisHeapCannotHoldAndGiveAReplayTheLargestThatFits() throws IOException {
        // config trial: ringSize 4194304 passed validation, then allocating its slots ran out of heap after 100 s
        final PipelineConfig p = EngineConfigLoader.loadValidated(write("pipeline:\n  ringSize: 1048576\n")).pipeline;
        final long twoGiB = 2L << 30; // a quarter: 512 MiB, 157,903 slots of 3,400 bytes
        final ConfigException e = assertThrows(ConfigException.class, () -> p.ringSizeForHeap("pipeline", twoGiB, true));
        assertEquals("pipeline.ringSize: '1048576' needs about 3,400 MiB of preallocated slots, more than a quarter of this JVM's"
            + " 2,048 MiB heap: at most 131,072 here, or a larger heap (RINGFENCE_JAVA_OPTS=-Xmx...)", e.getMessage());
        assertEquals(131_072, p.ringSizeForHeap("pipeline", twoGiB, false), "a replay takes the largest ring that fits");
        assertEquals(1_048_576, p.ringSizeForHeap("pipeline", 16L << 30, true), "a larger heap holds it");
    }

    @Test
    void shouldNameTheLineOfAnUnknownPropertyOfAListEntry() throws IOException {
        final Path file = dir.resolve("c.yaml");
        // config trial: these came without a line (refused by the entry's setter, where the parser gives no location)
        final String window = error("windows:\n  - name: w\n    sise: 1h\n");
        assertTrue(window.startsWith(file + " line 3: windows[0].sise: unknown window property 'sise'"), window);
        final String detector = error("anomalies:\n  - name: a\n    window: gmv_by_country_1h\n    metric: count\n"
            + "    detector:\n      alpah: 0.1\n");
        assertTrue(detector.startsWith(file + " line 6: anomalies[0].detector.alpah: unknown anomaly property 'alpah'"), detector);
    }

    @Test
    void shouldRefuseANumberAsABooleanAndSayWhatIsTooLarge() throws IOException {
        // config trial: enabled: 2 was read as true; 9999999999 was refused in Jackson's words about Java's int range
        final String bool = error("trending:\n  enabled: 2\n");
        assertTrue(bool.contains("line 2: trending.enabled: "), bool);
        assertEquals(false, EngineConfigLoader.loadValidated(write("trending:\n  enabled: no\n")).trending.enabled, "YAML's no");
        final String large = error("trending:\n  maxSkus: 9999999999\n");
        assertTrue(large.contains("line 2: trending.maxSkus: '9999999999' is too large a number here"), large);
    }

    @Test
    void shouldLoadAndValidateTheBundledDefaults() {
        final EngineConfig c = EngineConfigLoader.defaults();
        assertEquals(16_384, c.pipeline.ringSize);
        assertEquals("gmv_by_country_1h", c.windows.get(0).name);
        assertEquals(3, c.validate().size());
    }

    @Test
    void shouldOverrideOneFieldAndKeepTheOtherDefaultsOfItsSection() throws IOException {
        final EngineConfig c = EngineConfigLoader.loadValidated(write("pipeline:\n  ringSize: 1024\n"));
        assertEquals(1024, c.pipeline.ringSize);
        assertEquals("auto", c.pipeline.layout);
        assertEquals(3, c.windows.size(), "windows not named: defaults kept");
    }

    @Test
    void shouldReplaceTheWindowListWholeWhenTheFileNamesIt() throws IOException {
        final EngineConfig c = EngineConfigLoader.loadValidated(write("windows: []\n"));
        assertEquals(0, c.windows.size());
    }

    @Test
    void shouldTreatAnEmptyFileAsDefaults() throws IOException {
        assertEquals(3, EngineConfigLoader.loadValidated(write("\n")).windows.size());
    }

    @Test
    void shouldTreatAFileOfOnlyCommentsAsDefaults() throws IOException {
        // was "(top level): No content to map due to end-of-input"
        assertEquals(3, EngineConfigLoader.loadValidated(write("# nothing set: the defaults\n")).windows.size());
        assertEquals(3, EngineConfigLoader.loadValidated(write("---\n# still nothing\n")).windows.size());
    }

    @Test
    void shouldNameTheLineAndFieldOfAnUnknownField() throws IOException {
        final String m = error("pipeline:\n  ringSize: 1024\n  wait: yielding\n");
        assertTrue(m.contains("line 3"), m);
        assertTrue(m.contains("pipeline.wait"), m);
        assertTrue(m.contains("unknown field"), m);
        assertTrue(m.contains("waitStrategy"), "lists the known fields: " + m);
    }

    /** Audit: an unknown key whose value is a block on the next lines was reported at the value's line, one too far. */
    @Test
    void shouldNameTheKeysOwnLineWhenItsValueIsABlock() throws IOException {
        assertTrue(error("windws:\n  - name: x\n").contains("line 1: windws: unknown field"), error("windws:\n  - name: x\n"));
        final String m = error("# c\nsnapshot:\n  enabld:\n    x: 1\n");
        assertTrue(m.contains("line 3: snapshot.enabld: unknown field"), m);
    }

    @Test
    void shouldNameTheFieldOfAValueOfTheWrongType() throws IOException {
        final String m = error("pipeline:\n  ringSize: lots\n");
        assertTrue(m.contains("pipeline.ringSize"), m);
        assertTrue(m.contains("lots"), m);
    }

    @Test
    void shouldRefuseADecimalWhereAWholeNumberIsExpectedRatherThanCutIt() throws IOException {
        final String m = error("inventory:\n  lowStock: 3.5\n");
        assertTrue(m.contains("inventory.lowStock: '3.5' is not a whole number"), m);
        final String exponent = error("orders:\n  maxOrders: 1e6\n");
        assertTrue(exponent.contains("orders.maxOrders: '1e6' is not a whole number"), "as written, not as read (1000000.0): " + exponent);
    }

    @Test
    void shouldRefuseASectionGivenAsAValueOrAList() throws IOException {
        // merging into the defaults used to leave the section as it was, silently
        final String scalar = error("snapshot: true\n");
        assertTrue(scalar.contains("snapshot: expected a section"), scalar);
        assertTrue(scalar.contains("found true"), scalar);
        final String list = error("fraud: [1, 2]\n");
        assertTrue(list.contains("fraud: expected a section") && list.contains("found a list"), list);
        final String state = error("fraud:\n  state: 5\n");
        assertTrue(state.contains("line 2") && state.contains("fraud.state: expected a section"), state);
    }

    @Test
    void shouldSayInWordsWhichShapeAFieldTakes() throws IOException {
        assertTrue(error("windows: 3\n").contains("windows: expected a list, found the number 3"));
        assertTrue(error("pipeline:\n  ringSize: [64]\n").contains("pipeline.ringSize: expected a whole number, found a list"));
        assertTrue(error("fraud:\n  declineAt: true\n").contains("fraud.declineAt: expected a number, found true"));
        assertTrue(error("fraud:\n  rules: {a: 1}\n").contains("fraud.rules: expected a list, found a section"));
    }

    @Test
    void shouldRefuseAKeyGivenTwice() throws IOException {
        final String m = error("fraud:\n  reviewAt: 0.5\n  reviewAt: 0.7\n");
        assertTrue(m.contains("line 3") && m.contains("'reviewAt' is given twice"), m);
    }

    @Test
    void shouldListTheSectionsOtherModulesReadAmongTheKnownOnes() throws IOException {
        final String m = error("gatway:\n  port: 1\n");
        assertTrue(m.contains("unknown field") && m.contains("gateway") && m.contains("windows"), m);
    }

    @Test
    void shouldRefuseARingSizeThatIsNotAPowerOfTwo() throws IOException {
        final String m = error("pipeline:\n  ringSize: 1000\n");
        assertTrue(m.contains("pipeline.ringSize: '1000' must be a power of two"), m);
    }

    @Test
    void shouldRefuseAnUnknownLayoutAndWaitStrategy() throws IOException {
        assertTrue(error("pipeline:\n  layout: sideways\n").contains("pipeline.layout: 'sideways' is not a layout"));
        assertTrue(error("pipeline:\n  waitStrategy: nap\n").contains("pipeline.waitStrategy: 'nap' is not a wait strategy"));
        assertTrue(error("pipeline:\n  queue: kafka\n").contains("pipeline.queue: 'kafka' is not a queue (disruptor; array-blocking-queue"));
    }

    @Test
    void shouldRefuseTheInlineLayoutOnQueuesItHasNot() throws IOException {
        final String m = error("pipeline:\n  layout: inline\n  queue: array-blocking-queue\n");
        assertTrue(m.contains("pipeline.layout: 'inline' has no queue to hand events over"), m);
        assertTrue(error("pipeline:\n  layout: inline\n  ringSize: 1000\n").contains("pipeline.ringSize"), "still validated");
        assertEquals(io.ringfence.engine.pipeline.Layout.INLINE,
                EngineConfigLoader.loadValidated(write("pipeline:\n  layout: Inline\n")).pipeline.topology(2).layout());
    }

    @Test
    void shouldRefuseAnUnknownRollCycle() throws IOException {
        assertTrue(error("journal:\n  rollCycle: YEARLY\n").contains("journal.rollCycle: 'YEARLY' is not a roll cycle"));
    }

    @Test
    void shouldLoadAndRefuseTheJournalPretouchSettings() throws IOException {
        final EngineConfig c = EngineConfigLoader.loadValidated(write("journal:\n  pretouch: false\n  pretouchAheadMiB: 8\n"));
        assertEquals(false, c.journal.pretouch);
        assertEquals(8L << 20, c.journal.toJournalConfig(dir, 1024).pretouchAheadBytes());
        assertTrue(EngineConfigLoader.defaults().journal.toJournalConfig(dir, 1024).pretouch(), "on by default");
        assertTrue(error("journal:\n  pretouchAheadMiB: 0\n").contains("journal.pretouchAheadMiB: '0' must be between 1 and 1024"),
            error("journal:\n  pretouchAheadMiB: 0\n"));
        assertTrue(error("journal:\n  pretouchEvery: 0s\n").contains("journal.pretouchEvery"));
    }

    @Test
    void shouldNameAWindowFieldWithItsIndex() throws IOException {
        final String m = error("windows:\n  - name: w\n    key: country\n    kind: tumbling\n    size: 1x\n    metrics: [count]\n");
        assertTrue(m.contains("windows[0].size"), m);
    }

    @Test
    void shouldReportBrokenYamlWithItsLine() throws IOException {
        final String m = error("pipeline:\n  ringSize: [1, 2\n");
        // not only the word: "pipeline" holds "line" (test-suite audit)
        assertTrue(m.matches("(?s).*\\.yaml line 2: pipeline\\.ringSize: .*"), m);
    }

    @Test
    void shouldReportAMissingFile() {
        final ConfigException e = assertThrows(ConfigException.class, () -> EngineConfigLoader.loadValidated(dir.resolve("nope.yaml")));
        assertTrue(e.getMessage().contains("no such configuration file"), e.getMessage());
    }

    /** '---' twice, then settings: the first document is empty and a reader would take only it (review). */
    @Test
    void shouldRefuseSettingsAfterAnEmptyFirstDocument(@org.junit.jupiter.api.io.TempDir final java.nio.file.Path tmp) throws Exception {
        final java.nio.file.Path file = tmp.resolve("c.yaml");
        java.nio.file.Files.writeString(file, "---\n---\nfraud:\n  enabled: false\n");
        final ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, () -> EngineConfigLoader.load(file));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("c.yaml line 3: these settings follow an empty YAML document"),
            e.getMessage());
        java.nio.file.Files.writeString(file, "fraud:\n  enabled: false\n---\n");
        org.junit.jupiter.api.Assertions.assertFalse(EngineConfigLoader.load(file).fraud.enabled, "a trailing '---' stays allowed");
    }
}
