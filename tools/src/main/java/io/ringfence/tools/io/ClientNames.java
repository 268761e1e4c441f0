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

    /**
     * Records the clients {@code gateway} is configured with (see {@link #record(Path, Map)}). Only
     * informative: a failure to write is reported on {@code err} and the server goes on (the dump then
     * names those clients by their keys).
     */
    public static void recordClientsOf(final Path data, final io.ringfence.gateway.bridge.EngineGateway gateway,
                                       final java.io.PrintStream err) {
        final Map<Long, String> clients = new TreeMap<>();
        gateway.clients().registry().clients().forEach(c -> clients.put(c.key(), c.id()));
        try {
            if (record(data, clients)) {
                err.println("ringfence: warning: " + data.resolve(FILE) + " did not read: set aside as " + FILE
                        + ".unreadable and written anew with this start's clients (earlier clients' events dump with their keys)");
            }
        } catch (final UncheckedIOException e) {
            err.println("ringfence: warning: " + e.getMessage() + ": " + e.getCause().getMessage()
                    + " (journal dumps name these clients by their keys)");
        }
    }

    /**
     * Adds {@code clients} (key to id) to what {@code data} records, atomically; nothing is written when
     * nothing is new. A recorded file that does not read is first set aside as {@code *.unreadable}
     * (its names are not silently lost: an operator can mend it and merge it back).
     *
     * @return true when an unreadable file was set aside
     * @throws UncheckedIOException when the file cannot be written (or an unreadable one set aside)
     */
    public static boolean record(final Path data, final Map<Long, String> clients) {
        Map<Long, String> read;
        boolean setAside = false;
        try {
            read = read(data);
        } catch (final UncheckedIOException unreadable) {
            setAside = true;
            final Path file = data.resolve(FILE);
            try {
                Files.move(file, data.resolve(FILE + ".unreadable"), StandardCopyOption.REPLACE_EXISTING);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot set aside the unreadable " + file, e);
            }
            read = new TreeMap<>();
        }
        final Map<Long, String> before = read;
        final Map<Long, String> all = new TreeMap<>(before);
        all.putAll(clients);
        if (all.equals(before)) {
            return setAside; // a restart with the same clients writes nothing (a full disk must not stop it)
        }
        final ObjectNode tree = JSON.createObjectNode();
        all.forEach((key, id) -> tree.put(hex(key), id));
        final Path tmp = data.resolve(FILE + ".tmp");
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree));
            try {
                Files.move(tmp, data.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (final java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, data.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (final IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (final IOException ignored) {
                // the failure below is the one to report
            }
            throw new UncheckedIOException("cannot record the client ids in " + data.resolve(FILE), e);
        }
        return setAside;
    }

    /**
     * Key to id of every client {@code data} records; empty when none are (a journal {@code run} wrote) or
     * when the file does not read, which is then said on {@code err} (the dump names clients by their keys).
     */
    public static Map<Long, String> load(final Path data, final java.io.PrintStream err) {
        try {
            return read(data);
        } catch (final UncheckedIOException e) {
            err.println("ringfence: warning: " + e.getMessage() + " (" + e.getCause().getMessage().lines().findFirst().orElse("")
                    + "): clients are named by their keys");
            return new TreeMap<>();
        }
    }

    /**
     * Key to id of every client {@code data} records; empty when none are. Entries of another shape are
     * skipped (those clients are named by their keys).
     *
     * @throws UncheckedIOException when the file is there but is no JSON object
     */
    static Map<Long, String> read(final Path data) {
        final Map<Long, String> names = new TreeMap<>();
        final Path file = data.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return names;
        }
        try {
            final JsonNode tree = JSON.readTree(file.toFile());
            if (tree == null || !tree.isObject()) {
                throw new IOException("not a JSON object of client key to id");
            }
            tree.fields().forEachRemaining(e -> {
                try {
                    if (e.getValue().isTextual()) {
                        names.put(Long.parseUnsignedLong(e.getKey(), 16), e.getValue().asText());
                    }
                } catch (final NumberFormatException ignored) {
                    // not one of ours: skipped, the dump names that client by its key
                }
            });
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the recorded client ids in " + file, e);
        }
        return names;
    }

    /** How a client's key is written when its id is not recorded. */
    public static String hex(final long key) {
        return String.format("%016x", key);
    }
}
