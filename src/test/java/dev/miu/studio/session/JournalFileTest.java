package dev.miu.studio.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The journal's file, direct and buffered: appends of every size land one after another with zeros behind them,
 * an interrupted writer neither breaks the file nor loses its interrupt, and emptying starts over at 0.
 */
class JournalFileTest {

    @TempDir
    Path dir;

    /** Appends chunks of {@code sizes} and checks the file holds exactly them, then zeros. */
    private void appendAndCheck(JournalFile file, Path path, ByteArrayOutputStream expected, int... sizes)
            throws IOException {
        append(file, expected, sizes);
        check(file, path, expected);
    }

    private static void append(JournalFile file, ByteArrayOutputStream expected, int... sizes) throws IOException {
        Random random = new Random(sizes.length);
        for (int size : sizes) {
            byte[] chunk = new byte[size + 3]; // a longer array than the length given: only length bytes go out
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) (1 + random.nextInt(255)); // never 0, so a zero byte means "no record"
            }
            file.append(chunk, size);
            synchronized (expected) {
                expected.write(chunk, 0, size);
            }
        }
    }

    /** Run without an interrupt: reading the file is interruptible. */
    private static void check(JournalFile file, Path path, ByteArrayOutputStream expected) throws IOException {
        byte[] want = expected.toByteArray();
        byte[] all = Files.readAllBytes(path);
        assertEquals(want.length, file.size);
        assertTrue(all.length >= want.length, "the file holds every record");
        assertArrayEquals(want, Arrays.copyOf(all, want.length));
        for (int i = want.length; i < all.length; i++) {
            assertEquals(0, all[i], "zeros after the records, at " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void appendsOfEverySizeFollowEachOtherWithZerosBehind(boolean direct) throws IOException {
        Path path = dir.resolve("j-" + direct);
        try (JournalFile file = JournalFile.open(path, direct, true)) {
            var expected = new ByteArrayOutputStream();
            // within a block, exactly to a block's end, across blocks, past the 64 KiB buffer and the preallocation
            appendAndCheck(file, path, expected, 1, 100, 3995, 4096, 5000, 1, 70_000, 4095, 2 * 1024 * 1024 + 17, 9);
            assertTrue(Files.size(path) >= JournalFile.PREALLOCATE_BYTES);

            file.empty();
            assertEquals(0, Files.size(path));
            assertEquals(0, file.size);
            appendAndCheck(file, path, new ByteArrayOutputStream(), 10, 20, 5000);
        }
    }

    @Test
    void directWhereTheFileSystemAllowsItBufferedForAFileWithContent() throws IOException {
        Path path = dir.resolve("journal");
        try (JournalFile file = JournalFile.open(path, true, true)) {
            // tmpfs refuses O_DIRECT; then the buffered file is the right answer too
            assumeTrue(file.isDirect(), "the temporary directory's file system allows O_DIRECT");
            file.append(new byte[] {7, 7, 7}, 3);
        }
        try (JournalFile reopened = JournalFile.open(path, true, true)) {
            assertFalse(reopened.isDirect(), "a file with content is appended to the classic way");
            assertEquals(Files.size(path), reopened.size);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anInterruptedWriterWritesAndKeepsItsInterrupt(boolean direct) throws Exception {
        Path path = dir.resolve("i-" + direct);
        try (JournalFile file = JournalFile.open(path, direct, true)) {
            var expected = new ByteArrayOutputStream();
            Thread.currentThread().interrupt();
            try {
                append(file, expected, 600, 9000);
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is still there for the caller");
            } finally {
                Thread.interrupted();
            }
            check(file, path, expected);
            appendAndCheck(file, path, expected, 700); // and the file still takes writes

            // interrupts arriving while writes run: none is lost, every write lands
            Thread writer = Thread.ofVirtual().unstarted(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        append(file, expected, 50 + i);
                        Thread.interrupted();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
            writer.setUncaughtExceptionHandler((t, e) -> failure.set(e));
            writer.start();
            while (writer.isAlive()) {
                writer.interrupt();
                Thread.sleep(1);
            }
            writer.join();
            assertEquals(null, failure.get());
            check(file, path, expected);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSyncedFileIsOpenedForDataSyncAndAnUnsyncedOneGoesThroughThePageCache(boolean sync) throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fdinfo")), "reads the open flags from Linux's /proc");
        Path path = dir.resolve("flags.journal");
        try (JournalFile file = JournalFile.open(path, true, sync)) {
            var expected = new ByteArrayOutputStream();
            appendAndCheck(file, path, expected, 100, 5000);
            int flags = openFlags(path);
            int oDsync = 010000; // Linux's O_DSYNC (O_SYNC includes it)
            int oDirect = 040000;
            assertEquals(sync, (flags & oDsync) != 0, "O_DSYNC, flags " + Integer.toOctalString(flags));
            if (!sync) {
                assertEquals(0, flags & oDirect, "no O_DIRECT: an unsynced append must not wait for the device");
                assertFalse(file.isDirect());
            }
        }
    }

    /** The flags this process opened {@code path} with, from /proc/self/fdinfo (octal "flags:" line). */
    private static int openFlags(Path path) throws IOException {
        Path real = path.toRealPath();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).equals(real)) {
                        for (String line :
                                Files.readAllLines(Path.of("/proc/self/fdinfo").resolve(fd.getFileName()))) {
                            if (line.startsWith("flags:")) {
                                return Integer.parseInt(line.substring(6).strip(), 8);
                            }
                        }
                    }
                } catch (IOException closedMeanwhile) {
                    // another file descriptor of the test JVM went away while listing
                }
            }
        }
        throw new AssertionError("no open file descriptor for " + real);
    }
}
