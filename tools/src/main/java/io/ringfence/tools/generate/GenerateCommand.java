package io.ringfence.tools.generate;

import io.ringfence.tools.RingfenceMain;
import io.ringfence.tools.io.OutputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code generate}: writes a seeded synthetic shop workload as JSON Lines. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Writes a seeded synthetic shop workload (activity, orders, payments, order status, inventory) as JSON Lines.",
                "The same --seed and --events always give the same file, byte for byte."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:written", "1:runtime failure (e.g. the output could not be written)", "2:bad usage",
            "130/143:stopped by Ctrl-C / SIGTERM (the part written is in --out's .partial file)"})
public final class GenerateCommand implements Callable<Integer> {
    private static final Instant LATEST_TIME = Instant.parse("2106-02-07T06:28:15Z");
    private static final Instant LATEST_START = Instant.parse("2100-01-01T00:00:00Z");

    /** Most distinct users (a sign-up flag each is held in memory). */
    static final int MAX_USERS = 10_000_000;
    /** Longest mean gap: an hour, so that even a long file stays far from the end of the time scale. */
    static final double MAX_GAP_MS = 3_600_000;

    @Option(names = "--events", paramLabel = "N", required = true, description = "number of events to write")
    long events;

    @Option(names = "--out", paramLabel = "FILE.jsonl", required = true, description = "output file, or - for stdout")
    String out;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--users", paramLabel = "U", defaultValue = "50000", description = "distinct users, 1.." + MAX_USERS + " (default ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--start", paramLabel = "T", defaultValue = "2026-01-05T00:00:00Z",
            description = "time of the first event, ISO-8601 UTC such as 2026-01-05T00:00:00Z (default ${DEFAULT-VALUE})")
    Instant start;

    @Option(names = "--gap-ms", paramLabel = "MS", defaultValue = "20",
            description = "mean event-time gap between events in ms, 0..3600000 (default ${DEFAULT-VALUE})")
    double gapMillis;

    @Override
    public Integer call() throws IOException {
        final String problem = problem();
        if (problem != null) {
            System.err.println("ringfence generate: " + problem);
            return RingfenceMain.EXIT_USAGE;
        }
        final long began = System.nanoTime();
        final long startMicros = start.getEpochSecond() * 1_000_000 + start.getNano() / 1000;
        final ShopWorkload shop;
        // Ctrl-C / SIGTERM: the JVM ends at once (the file is seeded, so nothing is lost), but says where the part went
        // (review: a .partial file was left with no word)
        final String partial = "-".equals(out) ? null : out + ".partial";
        try (io.ringfence.tools.cli.SignalStop stop = new io.ringfence.tools.cli.SignalStop("generate", () -> {
                if (partial != null && java.nio.file.Files.exists(java.nio.file.Path.of(partial))) {
                    System.err.println("ringfence generate: stopped by a signal: what was written is in " + partial + "; --out "
                            + out + " is as it was before (the same --seed and --events write the whole file again)");
                }
            }, 0);
             OutputStream os = OutputFiles.openWhole(out, "generate")) { // an old file stays until the new one is whole (review)
            shop = new ShopWorkload(seed, users, startMicros, gapMillis * 1000, os);
            shop.write(events);
            OutputFiles.complete(os);
        }
        System.err.printf(Locale.ROOT, "ringfence generate: %,d events (%s), seed %d, %,d users, event time %s .. %s -> %s in %.1f s%n",
            events, shop.countsByType(), seed, users, start, Instant.EPOCH.plus(shop.lastTimeMicros(), ChronoUnit.MICROS),
            "-".equals(out) ? "stdout" : out, (System.nanoTime() - began) / 1e9);
        return RingfenceMain.EXIT_OK;
    }

    /** What is wrong with the options, or null. */
    private String problem() {
        if (events < 0) {
            return "--events is " + events + ", must be 0 or more";
        }
        if (users < 1 || users > MAX_USERS) {
            return "--users is " + users + ", must be 1.." + MAX_USERS;
        }
        if (!(gapMillis >= 0 && gapMillis <= MAX_GAP_MS)) {
            return "--gap-ms is " + gapMillis + ", must be 0..3600000 (an hour)";
        }
        // the engine takes event times after the epoch up to 2106-02-07T06:28:15Z (the 0 of a time never set; the fraud
        // stage's 32-bit sighting seconds)
        if (!start.isAfter(Instant.EPOCH) || start.isAfter(LATEST_START)) {
            return "--start is " + start + ", must be after 1970-01-01T00:00:00Z and at most " + LATEST_START
                + " (event times are taken up to " + LATEST_TIME + ")";
        }
        final double spanMillis = events * gapMillis * 1.2; // the gaps are random: a fifth more than their mean, to be safe
        if (spanMillis > Duration.between(start, LATEST_TIME).toMillis()) {
            return "--events " + events + " at --gap-ms " + gapMillis + " from --start " + start + " would run past "
                + LATEST_TIME + ", the latest event time taken: fewer events, a smaller gap or an earlier start";
        }
        return null;
    }
}
