package io.ringfence.gateway.bridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The gaps file as written, and as found after a power loss or by hand: what reads is read, the rest is skipped. */
class AnswerGapsTest {
    @TempDir
    Path dir;

    private List<String> gaps() {
        return AnswerGaps.of(dir).stream().map(g -> g[0] + ".." + (g[1] == Long.MAX_VALUE ? "" : g[1]) + ":" + g[2]).toList();
    }

    @Test
    void shouldReadClosedAndOpenGaps() {
        assertEquals(List.of(), gaps(), "no file: no gap");
        assertNull(AnswerGaps.open(dir));
        AnswerGaps.append(dir, "off from=10 why=0");
        AnswerGaps.append(dir, "on from=21");
        AnswerGaps.append(dir, "off from=30 why=1");
        assertEquals(List.of("10..20:0", "30..:1"), gaps());
        assertEquals(30, AnswerGaps.open(dir)[0]);
        AnswerGaps.append(dir, "on from=30"); // kept again at once: an empty gap is none
        assertEquals(List.of("10..20:0"), gaps());
        assertNull(AnswerGaps.open(dir));
    }

    @Test
    void shouldSkipLinesThatDoNotReadAndStartCutLinesAnew() throws Exception {
        // a line cut by a power loss (no newline), garbage, an "on" with no "off", a reason of a later build
        Files.writeString(dir.resolve(AnswerGaps.FILE), "on from=5\noff from=abc why=0\nnonsense\noff from=40 why=9\non fro");
        AnswerGaps.append(dir, "on from=51"); // begins on a line of its own: the cut "on fro" does not swallow it
        assertEquals(List.of("40..50:9"), gaps());
        assertEquals("lost with a torn last answer (a power loss): the answers after the last whole one are not known",
            AnswerGaps.why(AnswerGaps.of(dir).get(0)), "an unknown reason said as the nearest known, not thrown");
        final List<String> lines = Files.readAllLines(dir.resolve(AnswerGaps.FILE));
        assertEquals("on fro", lines.get(lines.size() - 2), "the cut line left as it was");
        assertEquals(true, lines.get(lines.size() - 1).startsWith("on from=51 at="), lines.toString());
    }
}
