package io.ringfence.tools.run;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Event-time audit: an event without a window's key is in none of its results, "nor in lateTotal" (README), yet a late
 * one was counted there, and one ahead of the others moved the watermark and made the next keyed events late (in no result).
 */
class KeylessWindowEventTest {
    @TempDir
    Path dir;

    private List<String> results(final String keylessTime) throws Exception {
        final String order = "{\"type\":\"order\",\"time\":\"2026-03-01T%s\",\"orderId\":\"%s\",\"userId\":\"u1\",\"amount\":\"10.00\","
                + "\"currency\":\"EUR\"%s}";
        final Path input = dir.resolve(keylessTime.replace(':', '-') + ".jsonl");
        Files.write(input, List.of(String.format(order, "00:05:00Z", "a1", ",\"country\":\"FR\""),
                String.format(order, keylessTime, "a2", ""), // no country
                String.format(order, "00:06:00Z", "a3", ",\"country\":\"FR\"")));
        final Path config = dir.resolve("c.yaml");
        Files.writeString(config, "windows:\n  - {name: c1m, key: country, kind: tumbling, size: 1m, lateness: 0s, metrics: [count]}\n");
        final Path out = dir.resolve("out.jsonl");
        final CommandRun run = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("d").toString(),
                "--fresh", "--out", out.toString(), "--config", config.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("window c1m (tumbling): 0 late events"), run.err());
        return Files.readAllLines(out).stream().filter(l -> l.startsWith("{\"type\":\"windowResult\"")).toList();
    }

    @Test
    void aLateEventWithoutTheKeyIsNotInLateTotal() throws Exception {
        final List<String> r = results("00:01:00Z");
        assertEquals(2, r.size(), r.toString());
        assertTrue(r.stream().allMatch(l -> l.contains("\"count\":1,\"lateTotal\":0")), r.toString());
    }

    @Test
    void anEventWithoutTheKeyAheadOfTheOthersMakesNoKeyedEventLate() throws Exception {
        final List<String> r = results("00:10:00Z");
        assertEquals(2, r.size(), "both FR minutes, a3's included: " + r);
        assertTrue(r.get(1).contains("\"start\":\"2026-03-01T00:06:00Z\"") && r.get(1).contains("\"count\":1,\"lateTotal\":0"), r.toString());
    }
}
