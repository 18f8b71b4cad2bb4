package dev.drover.server.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One Drover per data directory: an exclusive lock on {@code drover.lock} there, held while Drover runs. The
 * operating system releases it when the process ends, however it ends ({@code kill -9} included), so whatever a
 * holder of the lock finds running on the data directory (an embedded PostgreSQL) is a dead Drover's.
 */
final class DataDirectoryLock implements AutoCloseable {

    static final String FILE = "drover.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException naming the other Drover's pid when one holds the lock */
    static DataDirectoryLock acquire(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new IllegalStateException("another Drover" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + " uses the data directory " + dataDirectory + "; stop it, or pass a different --data-dir");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new DataDirectoryLock(channel, lock);
        } catch (IOException failed) {
            throw new UncheckedIOException("cannot lock the data directory " + dataDirectory, failed);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
