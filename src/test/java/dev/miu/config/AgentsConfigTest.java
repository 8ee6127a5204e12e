package dev.miu.config;

import dev.miu.core.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading declared agents: app.yaml's agents: list, the agents directory's files, and what a bad field says. */
class AgentsConfigTest {

    @TempDir
    Path dir;

    private MiuConfig load(String yaml) throws Exception {
        return load(yaml, Map.of());
    }

    private MiuConfig load(String yaml, Map<String, String> env) throws Exception {
        Path file = dir.resolve("app.yaml");
        Files.writeString(file, yaml);
        var all = new java.util.HashMap<>(env);
        all.putIfAbsent("MIU_DATA_DIR", dir.resolve("data").toString());
        return MiuConfig.load(file, all);
    }

    private Path agentFile(Path agents, String name, String yaml) throws Exception {
        Files.createDirectories(agents);
        return Files.writeString(agents.resolve(name), yaml);
    }

    private void assertError(String expected, ThrowingRead read) {
        var e = assertThrows(ConfigurationException.class, read::run);
        assertEquals(expected, e.getMessage());
    }

    @FunctionalInterface
    interface ThrowingRead {
        void run() throws Exception;
    }

    @Test
    void readsAgentsFromAppYamlAndTheDirectoryTogetherInDeclarationOrder() throws Exception {
        Path agents = dir.resolve("agents");
        agentFile(agents, "b-writer.yaml", """
                description: Writes
                instructions-file: prompts/writer.md
                tools: [current_time, {agent: helper}]
                """);
        Files.createDirectories(agents.resolve("prompts"));
        Files.writeString(agents.resolve("prompts/writer.md"), "Write clearly.");
        agentFile(agents, "a-renamed.yml", "name: reviewer\nmodel: openai:gpt-test\n");
        agentFile(agents, "notes.txt", "not an agent");
        MiuConfig config = load("""
                agent:
                  max-iterations: 7
                  temperature: 0.3
                agents:
                  - name: helper
                    description: Helps
                    max-tokens: 99
                    tools:
                      - mcp: fs
                      - mcp: fs/read_file
                      - rag: docs
                      - code: {workspace: ws, mode: plan}
                default-agent: helper
                agents-dir: %s
                """.formatted(agents));

        List<AgentDefinition> all = config.agentDefinitions();
        assertEquals(
                List.of("helper", "reviewer", "b-writer"),
                all.stream().map(AgentDefinition::name).toList());
        assertEquals("helper", config.agents().defaultAgent());

        var helper = (AgentDefinition.Model) all.get(0);
        assertEquals(7, helper.maxIterations()); // from the agent: section
        assertEquals(99, helper.maxTokens());
        assertEquals(0.3, helper.temperature());
        assertNull(helper.model()); // the server's
        assertEquals(
                List.of(
                        new ToolRef.Mcp("fs", null),
                        new ToolRef.Mcp("fs", "read_file"),
                        new ToolRef.Rag("docs"),
                        new ToolRef.Code(dir.resolve("ws").toAbsolutePath(), "plan")),
                helper.tools());
        assertEquals(dir.resolve("app.yaml"), helper.source());

        var reviewer = (AgentDefinition.Model) all.get(1);
        assertEquals("openai:gpt-test", reviewer.model());
        assertEquals(agents.resolve("a-renamed.yml"), reviewer.source());

        var writer = (AgentDefinition.Model) all.get(2);
        assertEquals("Write clearly.", writer.instructions()); // relative to the agent file
        assertEquals(List.of(new ToolRef.Builtin("current_time"), new ToolRef.AgentTool("helper")), writer.tools());
        assertEquals(List.of("helper"), writer.uses());
    }

    @Test
    void readsRoutersPipelinesAndOrchestrators() throws Exception {
        MiuConfig config = load("""
                agents:
                  - name: desk
                    type: router
                    routes:
                      - {agent: billing, keywords: [refund, invoice], priority: 10}
                      - {agent: tech, regex: "error|crash", description: Bugs}
                    classifier-model: openai:gpt-test
                    default: general
                  - name: chain
                    type: pipeline
                    stages: [researcher, writer]
                  - name: report
                    type: orchestrator
                    max-parallel: 2
                    tasks:
                      - {id: facts, agent: researcher, prompt: Find facts}
                      - {id: article, agent: writer, depends-on: [facts]}
                """);
        var all = config.agentDefinitions();
        var router = (AgentDefinition.Router) all.get(0);
        assertEquals(
                new AgentDefinition.RouteDefinition("billing", null, List.of("refund", "invoice"), null, 10),
                router.routes().get(0));
        assertEquals("error|crash", router.routes().get(1).regex());
        assertEquals(List.of("billing", "tech", "general"), router.uses());
        assertEquals("openai:gpt-test", router.classifierModel());
        assertEquals(List.of("researcher", "writer"), ((AgentDefinition.Pipeline) all.get(1)).stages());
        var orchestrator = (AgentDefinition.Orchestrator) all.get(2);
        assertEquals(2, orchestrator.maxParallel());
        assertEquals(
                new AgentDefinition.TaskDefinition("article", "writer", "", List.of("facts")),
                orchestrator.tasks().get(1));
    }

    @Test
    void anUnknownKeyInAnAgentFileNamesTheFileTheAgentAndTheNearestKey() throws Exception {
        Path agents = dir.resolve("agents");
        Path file = agentFile(agents, "help.yaml", "descripton: Helps\n");
        MiuConfig config = load("agents-dir: " + agents + "\n");
        assertError(
                file + ": agent 'help': descripton: unknown key at line 1 (did you mean 'description'?)",
                config::agentDefinitions);
    }

    @Test
    void anUnknownKeyInAppYamlsListNamesTheAgent() {
        assertError(
                dir.resolve("app.yaml")
                        + ": agent 'helper': routes: unknown key at line 3 (not a key of a model agent)",
                () -> load("""
                        agents:
                          - name: helper
                            routes: []
                        """));
        assertError(
                dir.resolve("app.yaml") + ": agent 'helper': tools[0].mpc: unknown key at line 4 (did you mean"
                        + " 'tools[0].mcp'?)",
                () -> load("""
                        agents:
                          - name: helper
                            tools:
                              - mpc: fs
                        """));
    }

    @Test
    void toolEntriesSayWhetherTheirCallsWaitForApproval() throws Exception {
        MiuConfig config = load("""
                agents:
                  - name: helper
                    tools:
                      - current_time
                      - {builtin: calculator, approval: always}
                      - {mcp: fs, approval: always}
                      - {mcp: fs/read_file, approval: never}
                      - code: {workspace: ws, mode: normal, approval: {Write: never, Bash: always}}
                """);
        var helper = (AgentDefinition.Model) config.agentDefinitions().getFirst();
        assertEquals(
                List.of(
                        new ToolRef.Builtin("current_time"),
                        new ToolRef.Builtin("calculator", ToolRef.Approval.ALWAYS),
                        new ToolRef.Mcp("fs", null, ToolRef.Approval.ALWAYS),
                        new ToolRef.Mcp("fs", "read_file", ToolRef.Approval.NEVER),
                        new ToolRef.Code(
                                dir.resolve("ws").toAbsolutePath(),
                                "normal",
                                Map.of("Write", ToolRef.Approval.NEVER, "Bash", ToolRef.Approval.ALWAYS))),
                helper.tools());

        Path app = dir.resolve("app.yaml");
        assertError(
                app + ": agent 'a': tools[0].approval: must be always or never, found 'sometimes'",
                () -> load("agents: [{name: a, tools: [{mcp: fs, approval: sometimes}]}]\n"));
        assertError(
                app
                        + ": agent 'a': tools[0].code.approval: must be a coding tool per key: {Write: never, Bash: always}",
                () -> load("agents: [{name: a, tools: [{code: {workspace: ws, approval: always}}]}]\n"));
        assertError(
                app + ": agent 'a': tools[0].code.approval.Bash: must be always or never, found 'maybe'",
                () -> load("agents: [{name: a, tools: [{code: {workspace: ws, approval: {Bash: maybe}}}]}]\n"));
        assertError(
                app + ": agent 'a': tools[0].approval: unknown key at line 1",
                () -> load("agents: [{name: a, tools: [{rag: docs, approval: always}]}]\n"));
    }

    @Test
    void fieldErrorsNameTheFileTheAgentAndTheField() throws Exception {
        Path app = dir.resolve("app.yaml");
        assertError(
                app + ": agent 'Bad_Name': name: 'Bad_Name' is not a valid agent name: use lower-case letters,"
                        + " digits and '-', starting with a letter, at most 64 characters",
                () -> load("agents: [{name: Bad_Name}]\n"));
        assertError(
                app + ": agents[0]: name: missing (every agent needs a name)",
                () -> load("agents: [{description: nameless}]\n"));
        assertError(
                app + ": agent 'a': instructions-file: give instructions or instructions-file, not both",
                () -> load("agents: [{name: a, instructions: x, instructions-file: x.md}]\n"));
        assertError(
                app + ": agent 'a': instructions-file: cannot read " + dir.resolve("missing.md") + " (no such file)",
                () -> load("agents: [{name: a, instructions-file: missing.md}]\n"));
        assertError(
                app + ": agent 'a': max-iterations: must be a whole number, found 'many'",
                () -> load("agents: [{name: a, max-iterations: many}]\n"));
        assertError(
                app + ": agent 'a': temperature: must be between 0 and 2, found 3.0",
                () -> load("agents: [{name: a, temperature: 3}]\n"));
        assertError(
                app + ": agent 'a': type: unknown type 'team'; use agent (the default), router, pipeline or"
                        + " orchestrator",
                () -> load("agents: [{name: a, type: team}]\n"));
        assertError(
                app + ": agent 'r': routes: a router needs at least one route",
                () -> load("agents: [{name: r, type: router}]\n"));
        assertError(
                app + ": agent 'p': stages: a pipeline needs at least one stage",
                () -> load("agents: [{name: p, type: pipeline, stages: []}]\n"));
        assertError(
                app + ": agent 'r': routes[0].regex: not a valid regular expression: Unclosed group",
                () -> load("agents: [{name: r, type: router, routes: [{agent: a, regex: '(x'}]}]\n"));
        assertError(
                app + ": agent 'a': tools[0].code.workspace: missing (the folder the coding tools work in)",
                () -> load("agents: [{name: a, tools: [{code: {mode: plan}}]}]\n"));
        assertError(
                app + ": agent 'a': tools[0]: one kind per entry, found mcp and rag",
                () -> load("agents: [{name: a, tools: [{mcp: fs, rag: docs}]}]\n"));
        assertError(
                app + ": agent 'o': tasks[1].id: a second task with id 't'",
                () -> load("agents: [{name: o, type: orchestrator, tasks: [{id: t, agent: a}, {id: t, agent: b}]}]\n"));
    }

    @Test
    void theAgentsDirectoryComesFromTheFlagOverTheEnvironmentOverTheFile() throws Exception {
        Path fromFile = dir.resolve("file-agents");
        Path fromEnv = dir.resolve("env-agents");
        Path fromFlag = dir.resolve("flag-agents");
        agentFile(fromFile, "one.yaml", "");
        agentFile(fromEnv, "two.yaml", "");
        agentFile(fromFlag, "three.yaml", "");
        MiuConfig config = load("agents-dir: " + fromFile + "\n", Map.of("MIU_AGENTS_DIR", fromEnv.toString()));
        assertEquals(List.of("two"), names(config));
        assertEquals(List.of("three"), names(config.withAgents(config.agents().withDir(fromFlag))));
    }

    @Test
    void aMissingDefaultDirectoryIsFineAMissingNamedOneIsAnError() throws Exception {
        MiuConfig config = load("");
        assertEquals(dir.resolve("data").resolve("agents"), config.agents().dir());
        assertEquals(List.of(), config.agentDefinitions());
        MiuConfig named = config.withAgents(config.agents().withDir(dir.resolve("nowhere")));
        var e = assertThrows(ConfigurationException.class, named::agentDefinitions);
        assertTrue(e.getMessage().contains(dir.resolve("nowhere") + " does not exist"), e.getMessage());
    }

    private static List<String> names(MiuConfig config) {
        return config.agentDefinitions().stream().map(AgentDefinition::name).toList();
    }
}
