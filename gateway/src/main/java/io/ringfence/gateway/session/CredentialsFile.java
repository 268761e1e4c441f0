package io.ringfence.gateway.session;

import io.ringfence.engine.config.ConfigException;
import io.ringfence.gateway.config.ClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * The generated credentials of the local client, {@code DATA/gateway-credentials.properties}:
 * written when the gateway starts with no clients configured, so a fresh machine works without
 * setup, and read back by the {@code load} and {@code demo} commands to log on.
 *
 * <pre>
 * id=local
 * secret=&lt;64 hex digits: 32 random bytes from SecureRandom&gt;
 * roles=SUBMIT,SUBSCRIBE,ADMIN
 * </pre>
 *
 * The file is created owner read/write only ({@code rw-------}) before the secret is written
 * into it, and reused as it is on later starts. The secret is never logged.
 */
public final class CredentialsFile {
    public static final String FILE_NAME = "gateway-credentials.properties";
    public static final String LOCAL_CLIENT_ID = "local";
    static final List<String> LOCAL_ROLES = List.of("SUBMIT", "SUBSCRIBE", "ADMIN");

    private static final Logger LOG = LoggerFactory.getLogger(CredentialsFile.class);
    private static final int SECRET_BYTES = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private CredentialsFile() {
    }

    /** Where the file lives in a data directory. */
    public static Path path(final Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /**
     * The local client from the file, generating the file first when it does not exist.
     *
     * @throws UncheckedIOException when the file cannot be written or read
     */
    public static ClientConfig loadOrCreate(final Path dataDir) {
        final Path file = path(dataDir);
        if (!Files.exists(file)) {
            create(dataDir, file);
        } else {
            warnIfShared(file);
        }
        return read(dataDir);
    }

    /**
     * Reads the credentials for a client to log on with (the {@code load} and {@code demo} commands).
     *
     * @throws ConfigException when the file lacks the id or the secret
     * @throws UncheckedIOException when it cannot be read
     */
    public static ClientConfig read(final Path dataDir) {
        final Path file = path(dataDir);
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read gateway credentials " + file, e);
        }
        final String id = properties.getProperty("id");
        final String secret = properties.getProperty("secret");
        final String roles = properties.getProperty("roles", String.join(",", LOCAL_ROLES));
        if (id == null || id.isBlank()) {
            throw new ConfigException(file + ": id", id, "is missing");
        }
        if (secret == null || secret.isBlank()) {
            throw new ConfigException(file + ": secret is missing (value not shown)");
        }
        final ClientConfig client = new ClientConfig(id.trim(), secret.trim(), Arrays.asList(roles.split("\\s*,\\s*")));
        client.validate(file.toString());
        return client;
    }

    private static void create(final Path dataDir, final Path file) {
        final byte[] random = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(random);
        final String secret = HexFormat.of().formatHex(random);
        Arrays.fill(random, (byte) 0);
        try {
            Files.createDirectories(dataDir);
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
                try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    writer.write("# ringfence gateway credentials, generated because gateway.clients is empty.\n");
                    writer.write("# Keep private: anyone who reads this file can log on as this client.\n");
                    writer.write("id=" + LOCAL_CLIENT_ID + "\n");
                    writer.write("secret=" + secret + "\n");
                    writer.write("roles=" + String.join(",", LOCAL_ROLES) + "\n");
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            LOG.info("generated gateway credentials for client '{}' in {}", LOCAL_CLIENT_ID, file);
        } catch (final FileAlreadyExistsException e) {
            LOG.info("gateway credentials appeared concurrently in {}; using them", file);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write gateway credentials " + file, e);
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
