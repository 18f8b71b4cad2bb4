package dev.drover.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory and the secrets in it belong to the user Drover runs as, and to no one else. The directory holds
 * the database, the fleet repository, tokens and keys, and the PostgreSQL binaries Drover runs: another local user
 * who could write any of it could run code as Drover.
 */
public final class OwnerOnlyFiles {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    /** Writes the file readable by its owner only, replacing it atomically. */
    public static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, content);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot write " + file + ": " + failed.getMessage(), failed);
        }
    }

    /** Creates the data directory, if it is not there yet, accessible to its owner only from the start. */
    public static void createDataDirectory(Path directory) {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            Path parent = directory.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.getFileStore(parent == null ? directory.toAbsolutePath().getRoot() : parent)
                    .supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            } else {
                Files.createDirectory(directory);
            }
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot create the data directory " + directory + ": " + failed.getMessage(), failed);
        }
    }

    /**
     * Makes the data directory accessible to its owner only, and checks that everything in it is the owner's.
     *
     * @param ownedFile a file Drover has just created in the directory, whose owner is the user Drover runs as
     * @throws IllegalStateException naming an entry another user owns, or a directory this user does not own
     */
    public static void secureDataDirectory(Path directory, Path ownedFile) {
        PosixFileAttributeView view = Files.getFileAttributeView(directory, PosixFileAttributeView.class);
        if (view == null) {
            return;
        }
        try {
            UserPrincipal self = Files.getOwner(ownedFile);
            if (!view.getOwner().equals(self)) {
                throw new IllegalStateException("the data directory " + directory + " belongs to " + view.getOwner().getName()
                        + ", not to " + self.getName() + ", the user Drover runs as; give it a directory of its own");
            }
            Set<PosixFilePermission> permissions = view.readAttributes().permissions();
            if (!permissions.equals(OWNER_ONLY_DIRECTORY)) {
                LOG.warn("the data directory {} was {}; making it {}: it holds the database, tokens and the binaries Drover "
                        + "runs", directory, PosixFilePermissions.toString(permissions), PosixFilePermissions.toString(OWNER_ONLY_DIRECTORY));
                view.setPermissions(OWNER_ONLY_DIRECTORY);
            }
            Optional<Path> foreign;
            try (Stream<Path> entries = Files.walk(directory)) {
                foreign = entries.filter(entry -> !ownedBy(entry, self)).findFirst();
            }
            if (foreign.isPresent()) {
                throw new IllegalStateException(foreign.get() + " in the data directory does not belong to " + self.getName()
                        + ", the user Drover runs as: another user may have put it there to be run or read by Drover; "
                        + "check it, then remove it or give it to " + self.getName() + " (chown)");
            }
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot check the permissions of the data directory " + directory, unreadable);
        }
    }

    private static boolean ownedBy(Path entry, UserPrincipal owner) {
        try {
            return Files.getOwner(entry, LinkOption.NOFOLLOW_LINKS).equals(owner);
        } catch (IOException gone) {
            // Removed while the walk ran (a PostgreSQL temporary file): nothing of anyone's.
            return true;
        }
    }
}
