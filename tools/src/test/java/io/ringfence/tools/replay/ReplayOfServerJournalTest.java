package io.ringfence.tools.replay;

import io.ringfence.gateway.session.CredentialsFile;
import io.ringfence.tools.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code replay} of a journal a server wrote: its rejects name the client's sequence, not a file line. */
class ReplayOfServerJournalTest {
    @TempDir
    Path dir;

    /** Sends {@code lines} to a server on {@code data} as its local client, then stops the server. */
    private static void serve(final Path data, final List<String> lines) throws Exception {
        io.ringfence.tools.ServedShop.serve(data, lines, true);
    }

    /**
     * Analyst audit: replay closed every window still open at a server journal's last event, as `run`'s end of input
     * does, and printed results the server never had, with partial counts (130 at a live server's last event, each
     * unlike the result its window later closed with). A server's journal replays to what the server has.
     */
    @Test
    void shouldLeaveTheWindowsOfAServersJournalOpenAtItsEnd() throws Exception {
        final List<String> shop = Files.readAllLines(Path.of("..", "examples", "shop.jsonl")).subList(0, 1_000);
        final Path input = Files.write(dir.resolve("in.jsonl"), shop);
        final Path data = dir.resolve("srv");
        serve(data, shop);
        // review: a server with configured clients writes no credentials file, and a copy for analysis may lack it
        Files.delete(data.resolve(CredentialsFile.FILE_NAME));
        final Path server = dir.resolve("server.jsonl");
        final CommandRun replay = CommandRun.ringfence("replay", "--data", data.toString(), "--out", server.toString());
        assertEquals(0, replay.exitCode(), replay.err());
        assertTrue(replay.err().contains("windows still open at the journal's last event are left open, as the server has them"),
            replay.err());
        final Path ran = dir.resolve("run.jsonl");
        assertEquals(0, CommandRun.ringfence("run", "--input", input.toString(), "--data", dir.resolve("run").toString(), "--out",
            ran.toString()).exitCode());
        final List<String> ofServer = Files.readAllLines(server);
        final List<String> ofRun = Files.readAllLines(ran);
        final List<String> closedAtEnd = ofRun.stream().filter(l -> l.startsWith("{\"type\":\"windowResult\",\"seq\":1000,")).toList();
        assertTrue(closedAtEnd.size() > 10, "run's end of input closes the open windows: " + closedAtEnd.size());
        final List<String> withoutEnd = ofRun.subList(0, ofRun.size() - closedAtEnd.size()).stream()
            .map(l -> l.replaceFirst("^(\\{\"type\":\"reject\",\"seq\":\\d+,)\"line\":", "$1\"clientSeq\":")).toList(); // line N = clientSeq N
        for (int i = 0; i < Math.min(withoutEnd.size(), ofServer.size()); i++) {
            assertEquals(withoutEnd.get(i), ofServer.get(i), "line " + (i + 1));
        }
        assertEquals(withoutEnd.size(), ofServer.size(), "the server's journal replays to run's outputs without the end of input's");
        final Path runReplay = dir.resolve("run-replay.jsonl");
        assertEquals(0, CommandRun.ringfence("replay", "--data", dir.resolve("run").toString(), "--out", runReplay.toString()).exitCode());
        assertEquals(ofRun, Files.readAllLines(runReplay), "run's journal replays with its end of input");
    }

    @Test
    void shouldNameTheClientSequenceOfARejectedEventFromAGatewayClient() throws Exception {
        final Path data = dir.resolve("srv");
        serve(data, List.of(
            "{\"type\":\"activity\",\"time\":\"2026-01-06T10:00:00Z\",\"userId\":\"u1\",\"kind\":\"LOGIN\"}",
            "{\"type\":\"orderStatus\",\"time\":\"2026-01-06T10:00:01Z\",\"orderId\":\"nope\",\"status\":\"PAID\"}"));
        final Path out = dir.resolve("replay.jsonl");
        final CommandRun replay = CommandRun.ringfence("replay", "--data", data.toString(), "--out", out.toString());
        assertEquals(0, replay.exitCode(), replay.err());
        final List<String> rejects = Files.readAllLines(out).stream().filter(l -> l.contains("\"type\":\"reject\"")).toList();
        assertEquals(1, rejects.size(), rejects.toString());
        assertTrue(rejects.get(0).startsWith("{\"type\":\"reject\",\"seq\":2,\"clientSeq\":2,\"code\":\"UNKNOWN_ORDER\""),
            "the client's second message, not line 2 of a file: " + rejects.get(0));
    }
}
