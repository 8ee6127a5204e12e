package dev.miu.studio.session;

import dev.miu.core.ConfigurationException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a second process off a session store: two servers appending to one journal would overwrite each other's
 * records. The store takes an exclusive lock on its {@code sessions.lock} and holds it until the process exits (the
 * OS releases it then, after a crash too); the file names the holder's pid for the other process's error.
 * <p>
 * Within one process a store may be opened again (tests simulate a restart that way, with the old one abandoned):
 * the lock is then already this process's. A channel on the file is never closed once it holds the lock, because on
 * Linux closing any descriptor of a file drops all of the process's locks on it.
 */
final class StoreLock {

    private static final System.Logger LOG = System.getLogger(StoreLock.class.getName());
    /** Lock files this process holds, with the channel that keeps each lock. */
    private static final Map<Path, FileChannel> HELD = new HashMap<>();

    private StoreLock() {}

    /**
     * Locks {@code file} for this process, or returns at once if it already holds it.
     *
     * @throws ConfigurationException another process holds it
     * @throws IOException            the file cannot be created (a file system that cannot lock it is only logged)
     */
    static void acquire(Path file, Path storeDir) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.containsKey(key)) {
                return;
            }
            FileChannel channel =
                    FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                HELD.put(key, channel); // locked through another path to the same file: keep this channel open too
                return;
            } catch (IOException e) {
                // a file system without locks (some network mounts): the store works, unguarded
                channel.close();
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Cannot lock " + key + " (" + e.getMessage() + "): nothing stops "
                                + "a second miu server from using this session store at the same time");
                return;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close(); // this process holds no lock on the file, so closing drops nothing
                throw new ConfigurationException("The session store in " + storeDir + " is in use by another miu server"
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")") + ": stop it, or give this one a data "
                        + "directory of its own (MIU_DATA_DIR or data-dir in app.yaml)");
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            HELD.put(key, channel);
        }
    }

    /** The pid the holder wrote, or empty if the file does not say. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer bytes = ByteBuffer.allocate(32);
            channel.read(bytes, 0);
            String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).strip();
            return text.chars().allMatch(Character::isDigit) ? text : "";
        } catch (IOException e) {
            return "";
        }
    }
}
