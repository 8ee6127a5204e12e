package dev.miu.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code miu serve} on a port that is taken prints one clear line, not Helidon's stack trace before it. */
@Timeout(90)
class ServeBusyPortTest {

    @TempDir
    Path dir;

    @Test
    void aBusyPortIsOneLine() throws Exception {
        try (var taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            MiuProcess.Result r =
                    MiuProcess.run(dir, Map.of(), "serve", "--host", "127.0.0.1", "--port", String.valueOf(port));
            assertEquals(2, r.exit(), r.err());
            assertEquals("", r.out(), "nothing is described: the server did not start");
            assertEquals(
                    "miu: cannot listen on 127.0.0.1:" + port + ": address already in use (choose another port "
                            + "with --port or MIU_PORT, or 0 for any free one)",
                    r.err().strip());
        }
    }
}
