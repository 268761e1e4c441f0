package io.ringfence.gateway.session;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.gateway.config.ClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The generated credentials of the local clients, {@code DATA/gateway-credentials.properties}:
 * written when the gateway starts with no clients configured, so a fresh machine works without
 * setup. Two clients, because the server allows one live session per client id: {@code local}
 * (read back by {@code load} and {@code demo}) and the subscribe-only {@code local-watch} (read
 * back by {@code subscribe}), so a watcher and a loader can run at the same time.
 *
 * <pre>
 * id=local
 * secret=&lt;64 hex digits: 32 random bytes from SecureRandom&gt;
 * roles=SUBMIT,SUBSCRIBE,ADMIN
 * watch.id=local-watch
 * watch.secret=&lt;64 hex digits&gt;
 * watch.roles=SUBSCRIBE
 * </pre>
 *
 * The file is created owner read/write only ({@code rw-------}) before a secret is written into
 * it, and reused as it is on later starts; a file from an older version without the
 * {@code watch.*} keys gets them added (the rest, the {@code local} secret included, kept byte
 * for byte) by writing an owner-only copy and renaming it over the old one. Secrets are never logged.
 */
public final class CredentialsFile {
    public static final String FILE_NAME = "gateway-credentials.properties";
    public static final String LOCAL_CLIENT_ID = "local";
    public static final String WATCH_CLIENT_ID = "local-watch";
    static final List<String> LOCAL_ROLES = List.of("SUBMIT", "SUBSCRIBE", "ADMIN");
    static final List<String> WATCH_ROLES = List.of("SUBSCRIBE");

    private static final Logger LOG = LoggerFactory.getLogger(CredentialsFile.class);
    private static final int SECRET_BYTES = 32;
    private static final String WATCH = "watch.";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private CredentialsFile() {
    }

    /** Where the file lives in a data directory. */
    public static Path path(final Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /**
     * The local client from the file, generating the file first when it does not exist (and
     * adding the watch client when it lacks one).
     *
     * @throws UncheckedIOException when the file cannot be written or read
     */
    public static ClientConfig loadOrCreate(final Path dataDir) {
        return loadOrCreateAll(dataDir).get(0);
    }

    /**
     * Both generated clients, {@code local} then {@code local-watch}: generates the file when it
     * does not exist, adds the watch client to a file that lacks one.
     *
     * @throws UncheckedIOException when the file cannot be written or read
     * @throws ConfigException when the file lacks an id or a secret, or both clients have one id
     */
    public static List<ClientConfig> loadOrCreateAll(final Path dataDir) {
        final Path file = path(dataDir);
        if (!Files.exists(file)) {
            if (io.ringfence.journal.Journal.exists(dataDir)) { // SRE backup trial: a copy without it got new secrets silently
                LOG.warn("{} is missing from a data directory that holds a journal: new secrets are generated, and the clients"
                        + " that used this directory's (a copy made without the file?) are refused BAD_CREDENTIALS until they"
                        + " are given these, or the original file is put back before the server starts", file);
            }
            create(dataDir, file);
        } else {
            warnIfShared(file);
            final Properties before = load(file);
            client(file, before, "", LOCAL_ROLES); // a broken file is refused as it is, not rewritten first
            if (!hasWatchClient(before)) {
                addWatchClient(dataDir, file);
            }
        }
        final Properties properties = load(file);
        final ClientConfig local = client(file, properties, "", LOCAL_ROLES);
        final ClientConfig watch = client(file, properties, WATCH, WATCH_ROLES);
        if (local.id.equals(watch.id)) {
            throw new ConfigException(file + ": " + WATCH + "id", watch.id, "is the id of the other client too; give each its own");
        }
        return List.of(local, watch);
    }

    /**
     * Reads the credentials of the local client (the {@code load} and {@code demo} commands).
     *
     * @throws ConfigException when the file lacks the id or the secret
     * @throws UncheckedIOException when it cannot be read
     */
    public static ClientConfig read(final Path dataDir) {
        final Path file = path(dataDir);
        return client(file, load(file), "", LOCAL_ROLES);
    }

    /**
     * Reads the credentials of the subscribe-only watch client (the {@code subscribe} command).
     *
     * @throws ConfigException when the file has no watch client (written by an older version and
     *                         not yet upgraded by a server start) or lacks its secret
     * @throws UncheckedIOException when it cannot be read
     */
    public static ClientConfig readWatch(final Path dataDir) {
        final Path file = path(dataDir);
        final Properties properties = load(file);
        if (!hasWatchClient(properties)) {
            throw new ConfigException(file + " has no subscribe-only client (" + WATCH + "id, " + WATCH
                + "secret): it was written by an older version; the next `ringfence server --data " + dataDir
                + "` start adds one, or give --client and --secret");
        }
        return client(file, properties, WATCH, WATCH_ROLES);
    }

    /** Whether the file in {@code dataDir} exists and, for {@code watch}, already holds the subscribe-only client. */
    public static boolean ready(final Path dataDir, final boolean watch) {
        final Path file = path(dataDir);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            return !watch || hasWatchClient(load(file));
        } catch (final UncheckedIOException e) {
            return false; // being replaced right now: look again
        }
    }

    private static boolean hasWatchClient(final Properties properties) {
        return properties.getProperty(WATCH + "id") != null || properties.getProperty(WATCH + "secret") != null;
    }

    private static Properties load(final Path file) {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read gateway credentials " + file, e);
        }
        return properties;
    }

    private static ClientConfig client(final Path file, final Properties properties, final String prefix,
                                       final List<String> defaultRoles) {
        final String id = properties.getProperty(prefix + "id");
        final String secret = properties.getProperty(prefix + "secret");
        final String roles = properties.getProperty(prefix + "roles", String.join(",", defaultRoles));
        if (id == null || id.isBlank()) {
            throw new ConfigException(file + ": " + prefix + "id is missing");
        }
        if (secret == null || secret.isBlank()) {
            throw new ConfigException(file + ": " + prefix + "secret is missing (value not shown)");
        }
        final ClientConfig client = new ClientConfig(id.trim(), secret.trim(), Arrays.asList(roles.split("\\s*,\\s*")));
        client.validate(prefix.isEmpty() ? file.toString() : file + ": " + prefix.substring(0, prefix.length() - 1));
        return client;
    }

    private static void create(final Path dataDir, final Path file) {
        final String content = "# ringfence gateway credentials, generated because gateway.clients is empty.\n"
            + "# Keep private: anyone who reads this file can log on as these clients.\n"
            + "# 'local' (load, demo) may do everything; 'local-watch' (subscribe) may only subscribe.\n"
            + "id=" + LOCAL_CLIENT_ID + "\n"
            + "secret=" + newSecret() + "\n"
            + "roles=" + String.join(",", LOCAL_ROLES) + "\n"
            + watchLines();
        try {
            io.ringfence.journal.PrivateDirectories.create(dataDir);
            writeOwnerOnly(dataDir, file, content);
            LOG.info("generated gateway credentials for clients '{}' and '{}' in {}", LOCAL_CLIENT_ID, WATCH_CLIENT_ID, file);
        } catch (final FileAlreadyExistsException e) {
            LOG.info("gateway credentials appeared concurrently in {}; using them", file);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write gateway credentials " + file, e);
        }
    }

    /** An older version's file: the same bytes plus the watch client, renamed over the old file. */
    private static void addWatchClient(final Path dataDir, final Path file) {
        try {
            final String old = Files.readString(file, StandardCharsets.UTF_8);
            final String content = old + (old.isEmpty() || old.endsWith("\n") ? "" : "\n")
                + "# added by a later version: 'local-watch' (subscribe) may only subscribe, so it and 'local' (load) can run at once\n"
                + watchLines();
            writeOwnerOnly(dataDir, file, content);
            LOG.info("added subscribe-only client '{}' to the gateway credentials in {}", WATCH_CLIENT_ID, file);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot add the subscribe-only client to gateway credentials " + file, e);
        }
    }

    private static String watchLines() {
        return WATCH + "id=" + WATCH_CLIENT_ID + "\n"
            + WATCH + "secret=" + newSecret() + "\n"
            + WATCH + "roles=" + String.join(",", WATCH_ROLES) + "\n";
    }

    private static String newSecret() {
        final byte[] random = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(random);
        final String secret = HexFormat.of().formatHex(random);
        Arrays.fill(random, (byte) 0);
        return secret;
    }

    /**
     * Writes {@code content} into a temporary file made owner-only before anything is written,
     * then renames it onto {@code file} (replacing it on POSIX systems, where rename is atomic).
     */
    private static void writeOwnerOnly(final Path dataDir, final Path file, final String content) throws IOException {
        final boolean posix = Files.getFileStore(dataDir).supportsFileAttributeView("posix");
        final FileAttribute<?>[] attributes = posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
        final Path temp = Files.createTempFile(dataDir, ".gateway-credentials", ".tmp", attributes);
        try {
            if (posix) {
                Files.setPosixFilePermissions(temp, OWNER_ONLY);
            } else {
                LOG.warn("{} is not on a POSIX file system: restrict access to {} by hand", dataDir, file);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                final ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true); // on disk before the rename: a crash never leaves an empty file where the secret was
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory(dataDir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes the rename durable (best effort: not every platform can open a directory). */
    private static void forceDirectory(final Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (final IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {}: {}", dir, e.toString());
        }
    }

    private static void warnIfShared(final Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                permissions.removeAll(OWNER_ONLY);
                permissions.remove(PosixFilePermission.OWNER_EXECUTE);
                if (!permissions.isEmpty()) {
                    LOG.warn("{} is accessible by others ({}); it holds a secret: chmod 600 it", file, permissions);
                }
            }
        } catch (final IOException e) {
            LOG.warn("cannot check the permissions of {}: {}", file, e.toString());
        }
    }
}
