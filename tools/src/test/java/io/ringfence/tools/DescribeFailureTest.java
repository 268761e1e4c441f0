package io.ringfence.tools;

import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An output file that cannot be opened is told in the same words whichever Java API opened it. */
class DescribeFailureTest {
    @Test
    void saysAFileThatCannotBeOpenedAlikeForBothApis() {
        assertEquals("permission denied out/a.jsonl", RingfenceMain.describe(new AccessDeniedException("out/a.jsonl")));
        assertEquals("permission denied out/a.jsonl", RingfenceMain.describe(new FileNotFoundException("out/a.jsonl (Permission denied)")));
        assertEquals("no such file m/x.jsonl", RingfenceMain.describe(new FileNotFoundException("m/x.jsonl (No such file or directory)")));
        assertEquals("adir: Is a directory", RingfenceMain.describe(new FileNotFoundException("adir (Is a directory)")));
        assertEquals("cannot write: adir: Is a directory",
            RingfenceMain.describe(new UncheckedIOException("cannot write", new FileNotFoundException("adir (Is a directory)"))));
        assertEquals("odd", RingfenceMain.describe(new FileNotFoundException("odd")));
    }
}
