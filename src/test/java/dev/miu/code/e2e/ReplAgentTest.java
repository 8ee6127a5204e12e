package dev.miu.code.e2e;

import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code miu --agent NAME}: the REPL talks to a declared agent, and {@code /agent coding} goes back. */
@Timeout(120)
class ReplAgentTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final ScriptedLlmServer llm = ScriptedLlmServer.start();

    Tmux term;

    @AfterEach
    void tearDown() {
        if (term != null) {
            term.close();
        }
    }

    @Test
    void theReplStartsWithTheDeclaredAgentAndSwitchesBack() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Path agents = Files.createDirectories(tmp.resolve("agents"));
        Files.writeString(agents.resolve("poet.yaml"), "instructions: You answer in verse.\n");
        Map<String, String> env = new HashMap<>(llm.environment());
        env.put("MIU_DATA_DIR", tmp.resolve("data").toString());
        env.put("MIU_MODEL", "anthropic:claude-test");
        llm.enqueue(Reply.text("Roses are red, the build is green."), Reply.text("Back to the code."));

        term = Tmux.start(MiuProcess.command("--agents", agents.toString(), "--agent", "poet"), ws, env, 110, 40);
        term.awaitText("[poet] ›");
        term.type("A poem about builds");
        term.keys("Enter");
        term.awaitText("Roses are red, the build is green.");
        assertEquals("You answer in verse.", llm.lastRequest().json().getString("system"));

        term.type("/agent coding");
        term.keys("Enter");
        term.awaitText("Declared: assistant, poet");
        term.awaitText("[normal] ›");
        term.type("And now?");
        term.keys("Enter");
        term.awaitText("Back to the code.");
        String system = llm.lastRequest().json().getString("system");
        assertTrue(!system.equals("You answer in verse."), system);
        assertTrue(
                llm.lastRequest().json().getJsonArray("messages").toString().contains("the build is green"),
                "the coding agent sees the poet's turn");
        llm.assertAllConsumed();
    }
}
