package io.ringfence.tools.io;

import io.ringfence.engine.model.Ids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientNamesTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheClientsOfEveryStartSoThatOldEventsKeepTheirSendersName() throws Exception {
        assertEquals(Map.of(), ClientNames.read(dir), "nothing recorded: a journal run wrote");
        ClientNames.record(dir, Map.of(Ids.hash("shop-1"), "shop-1", Ids.hash("shop-2"), "shop-2"));
        ClientNames.record(dir, Map.of(Ids.hash("shop-1"), "shop-1", Ids.hash("shop-3"), "shop-3")); // shop-2 retired
        assertEquals(Map.of(Ids.hash("shop-1"), "shop-1", Ids.hash("shop-2"), "shop-2", Ids.hash("shop-3"), "shop-3"),
            ClientNames.read(dir));
        final String text = Files.readString(dir.resolve(ClientNames.FILE));
        assertTrue(text.contains("\"" + ClientNames.hex(Ids.hash("shop-2")) + "\" : \"shop-2\""), text);
        final java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(dir.resolve(ClientNames.FILE));
        Files.setLastModifiedTime(dir.resolve(ClientNames.FILE), java.nio.file.attribute.FileTime.fromMillis(written.toMillis() - 60_000));
        ClientNames.record(dir, Map.of(Ids.hash("shop-1"), "shop-1"));
        assertEquals(written.toMillis() - 60_000, Files.getLastModifiedTime(dir.resolve(ClientNames.FILE)).toMillis(),
            "nothing new: not rewritten (a restart on a full disk must not fail on it)");
        Files.writeString(dir.resolve(ClientNames.FILE), "{\"" + ClientNames.hex(1) + "\": {\"id\": 1}, \"zz\": \"x\"}");
        assertEquals(Map.of(), ClientNames.read(dir), "entries of another shape are skipped: the dump shows keys");
    }

    @Test
    void saysWhenTheRecordIsUnreadableAndSetsItAsideRatherThanReplacingIt() throws Exception {
        // soak trial: a corrupt file was ignored without a word by journal and replaced by the next server start
        Files.writeString(dir.resolve(ClientNames.FILE), "{ \"00000000000000ff\": \"shop-1\", not json");
        final java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        assertEquals(Map.of(), ClientNames.load(dir, new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8)));
        final String warning = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(warning.contains("cannot read the recorded client ids in " + dir.resolve(ClientNames.FILE))
            && warning.contains("named by their keys"), warning);
        ClientNames.record(dir, Map.of(Ids.hash("shop-2"), "shop-2"));
        assertEquals(Map.of(Ids.hash("shop-2"), "shop-2"), ClientNames.read(dir));
        assertTrue(Files.readString(dir.resolve(ClientNames.FILE + ".unreadable")).contains("shop-1"), "the old record is kept aside");
        Files.writeString(dir.resolve(ClientNames.FILE), "[1, 2]");
        assertThrows(java.io.UncheckedIOException.class, () -> ClientNames.read(dir), "an array is no record");
    }
}
