package dev.miu.cli;

import dev.miu.core.mcp.NpmMcpServers;
import dev.miu.testing.Reply;
import dev.miu.testing.ScriptedLlmServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code miu agents check|list|show} and {@code miu -q --agent}: what they print and their exit codes. */
@Timeout(60)
class AgentsCommandTest {

    @RegisterExtension
    static final ScriptedLlmServer llm = ScriptedLlmServer.start();

    @TempDir
    Path dir;

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>(llm.environment());
        env.put("MIU_DATA_DIR", dir.resolve("data").toString());
        env.put("MIU_MODEL", "anthropic:claude-test");
        return env;
    }

    record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        CommandLine cli = MiuCommandLine.create(env());
        var out = new StringWriter();
        var err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path agents(String... nameAndYaml) throws Exception {
        Path agents = Files.createDirectories(dir.resolve("agents"));
        for (int i = 0; i < nameAndYaml.length; i += 2) {
            Files.writeString(agents.resolve(nameAndYaml[i]), nameAndYaml[i + 1]);
        }
        return agents;
    }

    @Test
    void checkSaysOkWithTheAgentsOrPrintsTheProblemAndExitsTwo() throws Exception {
        Path agents = agents(
                "billing.yaml", "description: Invoices\n",
                "help.yaml", "type: router\nroutes: [{agent: billing, keywords: [refund]}]\n");
        var ok = run("agents", "check", "--agents", agents.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("ok: 3 agents (assistant, billing, help)", ok.out().strip());

        Files.writeString(agents.resolve("help.yaml"), "type: router\nroutes: [{agent: billing}, {agent: biling}]\n");
        var bad = run("--agents", agents.toString(), "agents", "check");
        assertEquals(2, bad.exit(), bad.out());
        assertEquals(
                "miu: " + agents.resolve("help.yaml") + ": agent 'help': routes[1].agent: unknown agent 'biling' (did"
                        + " you mean 'billing'? known: assistant, billing, help)",
                bad.err().strip());
        assertEquals("", bad.out());
    }

    @Test
    void checkTellsThatMcpToolNamesWereNotCheckedWithoutWithMcp() throws Exception {
        Path config = Files.writeString(dir.resolve("app.yaml"), """
                mcp:
                  mcpServers:
                    fs:
                      command: /nonexistent/mcp-server
                agents:
                  - name: reader
                    tools: [{mcp: fs/read_file}]
                  - name: broken
                    tools: [{mcp: fz}]
                """);
        var bad = run("agents", "check", "--config", config.toString());
        assertEquals(2, bad.exit());
        assertTrue(
                bad.err().contains("agent 'broken': tools[0]: unknown MCP server 'fz' (did you mean 'fs'?"), bad.err());

        Files.writeString(config, Files.readString(config).replace("  - name: broken\n    tools: [{mcp: fz}]\n", ""));
        var ok = run("agents", "check", "--config", config.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals(
                List.of(
                        "ok: 2 agents (assistant, reader)",
                        "note: MCP servers were checked by name only; --with-mcp starts them to check the tool names"
                                + " too"),
                ok.out().strip().lines().toList());
    }

    @Test
    void checkWithMcpStartsTheServersAndChecksTheirToolNames() throws Exception {
        String everything = NpmMcpServers.require(NpmMcpServers.EVERYTHING);
        Path config = Files.writeString(dir.resolve("app.yaml"), """
                mcp:
                  mcpServers:
                    everything:
                      command: "%s"
                      args: ["stdio"]
                agents:
                  - name: echoer
                    tools: [{mcp: everything/echo}]
                """.formatted(everything));
        var ok = run("agents", "check", "--with-mcp", "--config", config.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals("ok: 2 agents (assistant, echoer)", ok.out().strip());

        Files.writeString(config, Files.readString(config).replace("everything/echo", "everything/ecoh"));
        var bad = run("agents", "check", "--with-mcp", "--config", config.toString());
        assertEquals(2, bad.exit(), bad.out());
        assertTrue(
                bad.err()
                        .startsWith("miu: " + config + ": agent 'echoer': tools[0]: MCP server 'everything' has no"
                                + " tool 'ecoh' (did you mean 'echo'? its tools: "),
                bad.err());
    }

    @Test
    void listShowsATableAndShowOneAgentInFull() throws Exception {
        Path agents = agents(
                "researcher.yaml",
                "description: Finds facts\nmodel: openai:gpt-test\ntools: [current_time]\n",
                "chain.yaml",
                "type: pipeline\ndescription: Research, then more research\nstages: [researcher, researcher]\n");
        var list = run("agents", "list", "--agents", agents.toString());
        assertEquals(0, list.exit(), list.err());
        String row = "%-12s%-10s%-33s%s";
        assertEquals(
                List.of(
                        row.formatted("NAME", "TYPE", "MODEL", "DESCRIPTION"),
                        row.formatted(
                                "*assistant",
                                "agent",
                                "default (anthropic:claude-test)",
                                "The default assistant (the agent: section of app.yaml)"),
                        row.formatted("chain", "pipeline", "-", "Research, then more research"),
                        row.formatted("researcher", "agent", "openai:gpt-test", "Finds facts")),
                list.out().strip().lines().toList());

        var show = run("agents", "show", "chain", "--agents", agents.toString());
        assertEquals(0, show.exit(), show.err());
        assertEquals(
                List.of(
                        "name:         chain",
                        "type:         pipeline",
                        "description:  Research, then more research",
                        "source:       " + agents.resolve("chain.yaml"),
                        "stages:",
                        "  1. researcher",
                        "  2. researcher"),
                show.out().strip().lines().toList());
        var researcher = run("agents", "show", "researcher", "--agents", agents.toString());
        assertTrue(researcher.out().contains("tools:\n  - current_time (built-in)"), researcher.out());

        var unknown = run("agents", "show", "nobody", "--agents", agents.toString());
        assertEquals(2, unknown.exit());
        assertEquals(
                "miu: No agent 'nobody'; known: assistant, chain, researcher",
                unknown.err().strip());
    }

    @Test
    void queryWithAgentRunsThatAgentAndStreamsItsAnswer() throws Exception {
        Path agents = agents("poet.yaml", "instructions: You answer in verse.\nmodel: openai:gpt-poet\n");
        llm.enqueue(Reply.text("Roses are red."));
        var run = run("--agents", agents.toString(), "--agent", "poet", "-q", "A poem, please");
        assertEquals(0, run.exit(), run.err());
        assertEquals("Roses are red.", run.out().strip());
        var request = llm.lastRequest().json();
        assertEquals("gpt-poet", request.getString("model"));
        assertTrue(request.toString().contains("You answer in verse."), request.toString());
        llm.assertAllConsumed();

        var unknown = run("--agents", agents.toString(), "--agent", "bard", "-q", "hi");
        assertEquals(2, unknown.exit());
        assertEquals(
                "miu: No agent 'bard'; known: assistant, poet", unknown.err().strip());

        var codingOption = run("--agents", agents.toString(), "--agent", "poet", "--mode", "auto", "-q", "hi");
        assertEquals(2, codingOption.exit());
        assertTrue(
                codingOption.err().startsWith("--mode is an option of the coding agent and does nothing with --agent"),
                codingOption.err());
    }

    @Test
    void queryWithAgentRefusesCallsThatWaitForApprovalAndTheModelIsTold() throws Exception {
        Path agents =
                agents("clock.yaml", "model: openai:gpt-clock\ntools: [{builtin: current_time, approval: always}]\n");
        llm.enqueue(Reply.turn(new Reply.ToolCall("call_1", "current_time", "{}")));
        llm.enqueue(Reply.text("I may not look at the clock."));
        var run = run("--agents", agents.toString(), "--agent", "clock", "-q", "What time is it?");
        assertEquals(0, run.exit(), run.err());
        assertEquals("I may not look at the clock.", run.out().strip());
        String request = llm.lastRequest().json().toString();
        assertTrue(request.contains("miu -q cannot ask for approval"), request);
        llm.assertAllConsumed();
    }

    @Test
    void theExampleAgentsPassTheCheckOnceTheirCollectionExists() throws Exception {
        Path examples = Path.of("examples/agents");
        var missing = run("agents", "check", "--agents", examples.toString());
        assertEquals(2, missing.exit(), missing.out());
        assertTrue(
                missing.err()
                        .contains("agent 'researcher': tools[0]: unknown RAG collection 'docs' (there are none);"
                                + " create it with: miu rag ingest --collection docs FILES"),
                missing.err());

        Files.createDirectories(dir.resolve("data/rag/docs")); // a collection, as far as the check can tell
        var ok = run("agents", "check", "--agents", examples.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertEquals(
                "ok: 7 agents (assistant, coder, help-desk, report, research-and-write, researcher, writer)",
                ok.out().strip());
    }
}
