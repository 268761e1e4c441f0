package io.ringfence.tools.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ids of the gateway clients whose events a data directory's journal holds. A journal record
 * names its sender by the client's key (the hash of its id, DESIGN §4: ids are hashed inside), so
 * {@code journal} reads the ids back from here to say who sent each event. {@code server} records
 * its clients at every start, merged with those recorded before (a client since removed from the
 * configuration keeps its name for the events it sent). No secrets: one JSON object, key (16 hex
 * digits) to id.
 */
public final class ClientNames {
    public static final String FILE = "ringfence-clients.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientNames() {
    }

    /** Records the clients {@code gateway} is configured with (see {@link #record(Path, Map)}). */
    public static void recordClientsOf(final Path data, final io.ringfence.gateway.bridge.EngineGateway gateway) {
        final Map<Long, String> clients = new TreeMap<>();
        gateway.clients().registry().clients().forEach(c -> clients.put(c.key(), c.id()));
        record(data, clients);
    }

    /** Adds {@code clients} (key to id) to what {@code data} records, atomically. */
    public static void record(final Path data, final Map<Long, String> clients) {
        final Map<Long, String> all = new TreeMap<>(load(data));
        all.putAll(clients);
        final ObjectNode tree = JSON.createObjectNode();
        all.forEach((key, id) -> tree.put(hex(key), id));
        try {
            final Path tmp = data.resolve(FILE + ".tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
            Files.move(tmp, data.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot record the client ids in " + data.resolve(FILE), e);
        }
    }

    /** Key to id of every client {@code data} records; empty when none are (a journal {@code run} wrote) or the file does not read. */
    public static Map<Long, String> load(final Path data) {
        final Map<Long, String> names = new TreeMap<>();
        final Path file = data.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return names;
        }
        try {
            final JsonNode tree = JSON.readTree(file.toFile());
            tree.fields().forEachRemaining(e -> {
                try {
                    names.put(Long.parseUnsignedLong(e.getKey(), 16), e.getValue().asText());
                } catch (final NumberFormatException ignored) {
                    // not one of ours: skipped, the dump names that client by its key
                }
            });
        } catch (final IOException e) {
            return names; // the dump names clients by their keys then
        }
        return names;
    }

    /** How a client's key is written when its id is not recorded. */
    public static String hex(final long key) {
        return String.format("%016x", key);
    }
}
