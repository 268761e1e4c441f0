package io.ringfence.tools.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringfence.engine.codec.JsonEventParser;
import io.ringfence.engine.codec.ParseResult;
import io.ringfence.tools.CommandRun;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Converts the real "Fraud ecommerce" files (shared/data/README.md §2) and runs every output
 * line through the engine's {@link JsonEventParser}: nothing may be rejected. Counts are checked
 * against the README's published numbers and against a plain count of the CSV's last column.
 * Fails (never skips) when a data file is absent.
 */
class FraudEcommerceRealDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldConvertThe51689RowFileIntoEventsTheEngineAcceptsInTimeOrder() throws Exception {
        final Path data = realDataFile("fraud-ecommerce/Fraud_Data_first51689_noip.csv");
        final Counts counts = convertAndCheck(data, 51_689, 4_832);
        assertEquals(0, counts.withIp);
    }

    @Test
    void shouldConvertThe30189RowFileWithIpAddresses() throws Exception {
        final Path data = realDataFile("fraud-ecommerce/Fraud_Data_first30189.csv");
        final Counts counts = convertAndCheck(data, 30_189, 2_867);
        assertEquals(2 * 30_189, counts.withIp);
    }

    private Counts convertAndCheck(final Path data, final long rows, final long publishedFraud) throws Exception {
        final long independentFraud = countClassOne(data);
        assertEquals(publishedFraud, independentFraud, "class=1 rows per shared/data/README.md");

        final Path out = dir.resolve("fraud.jsonl");
        final CommandRun run = CommandRun.ringfence("convert", "--format", "fraud-ecommerce", "--input", data.toString(), "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains(rows + " rows read, " + rows + " users, " + 2 * rows + " events written; users skipped: bad-row 0"), run.err());

        final JsonEventParser parser = new JsonEventParser();
        final ParseResult result = new ParseResult();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
        final Counts counts = new Counts();
        Instant previous = Instant.MIN;
        long line = 0;
        try (BufferedReader reader = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            String text;
            while ((text = reader.readLine()) != null) {
                line++;
                final int length = parser.parse(text, line, line, buffer, 0, result);
                assertTrue(length != JsonEventParser.REJECTED && !result.isRejected(), "line " + line + " rejected: " + result + "\n" + text);
                final JsonNode event = JSON.readTree(text);
                final Instant time = Instant.parse(event.get("time").asText());
                assertTrue(!time.isBefore(previous), "line " + line + " is earlier than the line before it");
                previous = time;
                if (event.has("ip")) {
                    counts.withIp++;
                }
                switch (event.get("type").asText()) {
                    case "activity" -> {
                        assertEquals("SIGNUP", event.get("kind").asText());
                        counts.signups++;
                    }
                    case "order" -> {
                        counts.orders++;
                        counts.fraud += event.get("label").asInt();
                        assertEquals("USD", event.get("currency").asText());
                    }
                    default -> throw new AssertionError("unexpected type on line " + line + ": " + text);
                }
            }
        }
        assertEquals(rows, counts.signups);
        assertEquals(rows, counts.orders);
        assertEquals(independentFraud, counts.fraud);
        assertTrue(run.err().contains("labels: " + independentFraud + " fraud (class 1)"), run.err());
        System.out.printf("fraud-ecommerce: %s%n", run.err().strip());
        return counts;
    }

    /** The last column of every data row, read with nothing but String.split. */
    private static long countClassOne(final Path file) throws Exception {
        final List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        long ones = 0;
        for (final String row : all.subList(1, all.size())) {
            final String[] f = row.split(",", -1);
            if (f[f.length - 1].equals("1")) {
                ones++;
            }
        }
        return ones;
    }

    private static Path realDataFile(final String relative) {
        return SharedDataFiles.require(relative, "Fraud ecommerce", 2);
    }

    private static final class Counts {
        long signups;
        long orders;
        long fraud;
        long withIp;
    }
}
