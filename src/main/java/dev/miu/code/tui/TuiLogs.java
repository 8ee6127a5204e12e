package dev.miu.code.tui;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * While the full-screen UI runs, log records and stray stderr output go to a file instead of the terminal, where
 * they would scribble over the screen. {@link #close} puts everything back.
 */
final class TuiLogs implements AutoCloseable {

    private final Logger root = LogManager.getLogManager().getLogger("");
    private final Handler[] saved;
    private final PrintStream savedErr = System.err;
    private final Handler file;
    private final PrintStream err;

    private TuiLogs(Path logFile) throws IOException {
        Files.createDirectories(logFile.getParent());
        saved = root.getHandlers();
        file = new FileHandler(logFile.toString(), true);
        file.setFormatter(new SimpleFormatter());
        err = new PrintStream(
                new FileOutputStream(
                        logFile.resolveSibling(logFile.getFileName() + ".stderr")
                                .toFile(),
                        true),
                true);
        for (Handler h : saved) {
            root.removeHandler(h);
        }
        root.addHandler(file);
        System.setErr(err);
    }

    static TuiLogs redirect(Path logFile) throws IOException {
        return new TuiLogs(logFile);
    }

    @Override
    public void close() {
        root.removeHandler(file);
        file.close();
        for (Handler h : saved) {
            root.addHandler(h);
        }
        System.setErr(savedErr);
        err.close();
    }
}
