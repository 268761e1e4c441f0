package io.ringfence.tools.io;

import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Analyst audit: {@code run --input F --out F} truncated F before reading it, journaled nothing and exited 0; {@code convert}
 * replaced its source CSV by the JSON Lines. An output naming the input file, by any path or link, is refused (exit 2)
 * and the file is left as it was.
 */
class SameInputOutputTest {
    @TempDir
    Path dir;

    private static final String EVENT = "{\"type\":\"activity\",\"time\":\"2026-01-05T00:00:0%dZ\",\"userId\":\"u1\",\"kind\":\"VIEW\",\"sku\":\"s\"}";

    @Test
    void runRefusesAnOutThatIsItsInputByNameOrLinkAndLeavesItWhole() throws Exception {
        final Path input = dir.resolve("events.jsonl");
        Files.write(input, List.of(String.format(EVENT, 1), String.format(EVENT, 2)));
        final byte[] before = Files.readAllBytes(input);
        final CommandRun same = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("d").toString(),
                "--out", input.toString());
        assertEquals(2, same.exitCode(), same.err());
        assertTrue(same.err().contains("--out " + input + " is the file --input reads"), same.err());
        final Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), input);
        final CommandRun linked = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("d").toString(),
                "--out", link.toString());
        assertEquals(2, linked.exitCode(), linked.err());
        assertEquals(new String(before), new String(Files.readAllBytes(input)), "the input is untouched");
        final CommandRun other = CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("d").toString(),
                "--out", dir.resolve("out.jsonl").toString());
        assertEquals(0, other.exitCode(), other.err());
    }

    @Test
    void convertRefusesToWriteOverItsSourceCsv() throws Exception {
        final Path csv = dir.resolve("paysim.csv");
        Files.write(csv, List.of("step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud,isFlaggedFraud",
                "1,PAYMENT,9839.64,C1231006815,170136.0,160296.36,M1979787155,0.0,0.0,0,0"));
        final byte[] before = Files.readAllBytes(csv);
        final CommandRun run = CommandRun.ringfence("convert", "--format", "paysim", "--input", csv.toString(), "--out", csv.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("is the file --input reads"), run.err());
        assertEquals(new String(before), new String(Files.readAllBytes(csv)), "the source CSV is untouched");
    }

    @Test
    void stdoutAndFilesNotYetThereNeverClash() {
        final Path input = dir.resolve("in.jsonl");
        assertNull(OutputFiles.sameAsInput("--out", "-", "--input", input));
        assertNull(OutputFiles.sameAsInput("--out", dir.resolve("new.jsonl").toString(), "--input", input));
        assertNull(OutputFiles.sameAsInput("--out", "x", "--input", null));
    }
}
