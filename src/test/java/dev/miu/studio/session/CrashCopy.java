package dev.miu.studio.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** What a crash would leave of a data directory: a copy of its files as they are on disk now, taken next to it. */
final class CrashCopy {

    private CrashCopy() {}

    static Path of(Path dataDir) throws IOException {
        Path copy = Files.createTempDirectory(dataDir.getParent(), "crash");
        try (Stream<Path> all = Files.walk(dataDir)) {
            for (Path p : all.toList()) {
                try {
                    Files.copy(p, copy.resolve(dataDir.relativize(p).toString()), StandardCopyOption.REPLACE_EXISTING);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // deleted since it was listed (a retired journal after its checkpoint): a crash now would not have
                    // it either
                }
            }
        }
        return copy;
    }
}
