package io.ringfence.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Data directories are made readable by their owner only: the journal and snapshots hold customers' ids, IP addresses
 * and card references, and the files in them are written under the process umask (0644 under the usual 022), so a
 * directory open to others lets any local user read them (security trial: as {@code nobody}, {@code journal} of a copied
 * journal printed user, IP and instrument ids). A directory that exists already is left as it is, with a warning when
 * others may enter it.
 */
public final class PrivateDirectories {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateDirectories.class);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateDirectories() {
    }

    /**
     * Creates {@code dir} (and any missing parent) accessible to its owner only where the file system has POSIX
     * permissions, else as {@link Files#createDirectories} does; an existing one is left alone.
     */
    public static Path create(final Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        final Path absolute = dir.toAbsolutePath();
        final Path existing = nearestExisting(absolute);
        if (existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix")) {
            return Files.createDirectories(dir, OWNER_ONLY);
        }
        return Files.createDirectories(dir);
    }

    /**
     * Creates {@code dir} alone (its parent must exist), its owner's only where the file system has POSIX permissions:
     * a directory deleted while in use is made again as it was first made.
     */
    public static Path createOne(final Path dir) throws IOException {
        final Path parent = dir.toAbsolutePath().getParent();
        if (parent != null && Files.getFileStore(parent).supportsFileAttributeView("posix")) {
            return Files.createDirectory(dir, OWNER_ONLY);
        }
        return Files.createDirectory(dir);
    }

    /** Logs a warning when others than the owner may read or enter {@code dir}; says nothing where it cannot tell. */
    public static void warnIfShared(final Path dir, final String holds) {
        try {
            if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                return;
            }
            final Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
            permissions.retainAll(OTHERS);
            if (!permissions.isEmpty()) {
                LOG.warn("{} is open beyond its owner ({}) and holds {}: the users those permissions let in may read them;"
                    + " chmod 700 it (ringfence creates its data directories owner-only)", dir,
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), holds);
            }
        } catch (final IOException | UnsupportedOperationException e) {
            LOG.debug("cannot check the permissions of {}: {}", dir, e.toString());
        }
    }

    private static Path nearestExisting(final Path absolute) {
        for (Path p = absolute; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }
}
