package io.ringfence.tools.io;

import io.ringfence.engine.model.Ids;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientNamesTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheClientsOfEveryStartSoThatOldEventsKeepTheirSendersName() throws Exception {
        assertEquals(Map.of(), ClientNames.load(dir), "nothing recorded: a journal run wrote");
        ClientNames.record(dir, Map.of(Ids.hash("shop-1"), "shop-1", Ids.hash("shop-2"), "shop-2"));
        ClientNames.record(dir, Map.of(Ids.hash("shop-1"), "shop-1", Ids.hash("shop-3"), "shop-3")); // shop-2 retired
        assertEquals(Map.of(Ids.hash("shop-1"), "shop-1", Ids.hash("shop-2"), "shop-2", Ids.hash("shop-3"), "shop-3"),
            ClientNames.load(dir));
        final String text = Files.readString(dir.resolve(ClientNames.FILE));
        assertTrue(text.contains("\"" + ClientNames.hex(Ids.hash("shop-2")) + "\" : \"shop-2\""), text);
        final java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(dir.resolve(ClientNames.FILE));
        Files.setLastModifiedTime(dir.resolve(ClientNames.FILE), java.nio.file.attribute.FileTime.fromMillis(written.toMillis() - 60_000));
        ClientNames.record(dir, Map.of(Ids.hash("shop-1"), "shop-1"));
        assertEquals(written.toMillis() - 60_000, Files.getLastModifiedTime(dir.resolve(ClientNames.FILE)).toMillis(),
            "nothing new: not rewritten (a restart on a full disk must not fail on it)");
        Files.writeString(dir.resolve(ClientNames.FILE), "{\"" + ClientNames.hex(1) + "\": {\"id\": 1}, \"zz\": \"x\"}");
        assertEquals(Map.of(), ClientNames.load(dir), "entries of another shape are skipped: the dump shows keys");
        Files.writeString(dir.resolve(ClientNames.FILE), "{ not json");
        assertEquals(Map.of(), ClientNames.load(dir), "an unreadable file names no one: the dump shows keys");
    }
}
