package dev.miu.agents;

import dev.miu.config.AgentDefinition;
import dev.miu.config.MiuConfig;
import dev.miu.config.ToolRef;
import dev.miu.core.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each problem a set of declared agents can have, and the one line that names its file, agent and field. */
class AgentValidatorTest {

    @TempDir
    Path dir;

    private static final AgentReferences REFS = new AgentReferences(
            Set.of("current_time"),
            new LinkedHashSet<>(List.of("fs", "web")),
            Map.of("fs", new LinkedHashSet<>(List.of("read_file", "write_file"))),
            Set.of("docs"));

    private Path file(String name) {
        return dir.resolve("agents").resolve(name);
    }

    private AgentDefinition.Model model(String name, String model, ToolRef... tools) {
        return new AgentDefinition.Model(name, "", file(name + ".yaml"), model, null, 10, 100, null, List.of(tools));
    }

    private String problems(String defaultAgent, AgentDefinition... definitions) {
        List<AgentDefinition> all = new ArrayList<>(List.of(definitions));
        var e = assertThrows(
                ConfigurationException.class, () -> AgentValidator.check(all, defaultAgent, "app.yaml", null, REFS));
        return e.getMessage();
    }

    private String problem(AgentDefinition... definitions) {
        return problems(definitions[0].name(), definitions);
    }

    @Test
    void aSoundSetPasses() throws Exception {
        Files.createDirectories(dir.resolve("ws"));
        var researcher = model(
                "researcher",
                "anthropic:claude-test",
                new ToolRef.Builtin("current_time"),
                new ToolRef.Mcp("fs", "read_file"),
                new ToolRef.Mcp("web", "anything"), // not started: its tools are not checked
                new ToolRef.Rag("docs"),
                new ToolRef.Code(dir.resolve("ws"), "plan"));
        var writer = model("writer", null, new ToolRef.AgentTool("researcher"));
        var chain = new AgentDefinition.Pipeline("chain", "", file("chain.yaml"), List.of("researcher", "writer"));
        AgentValidator.check(List.of(researcher, writer, chain), "chain", "app.yaml", null, REFS);
    }

    @Test
    void duplicateNamesNameBothFiles() {
        var first = model("help", null);
        var second = new AgentDefinition.Model("help", "", file("other.yaml"), null, null, 10, 100, null, List.of());
        assertEquals(
                file("other.yaml") + ": agent 'help': name: 'help' is declared twice: also in " + file("help.yaml"),
                problem(first, second));
    }

    @Test
    void unknownToolsServersAndCollections() {
        assertEquals(
                file("a.yaml") + ": agent 'a': tools[0]: unknown built-in tool 'curent_time' (did you mean"
                        + " 'current_time'? built-in tools: current_time); MCP tools are written mcp: SERVER or mcp:"
                        + " SERVER/TOOL",
                problem(model("a", null, new ToolRef.Builtin("curent_time"))));
        assertEquals(
                file("a.yaml") + ": agent 'a': tools[0]: unknown MCP server 'fz' (did you mean 'fs'? configured"
                        + " servers: fs, web); servers come from app.yaml's mcp section and --mcp-config",
                problem(model("a", null, new ToolRef.Mcp("fz", null))));
        assertEquals(
                file("a.yaml") + ": agent 'a': tools[0]: MCP server 'fs' has no tool 'read_fil' (did you mean"
                        + " 'read_file'? its tools: read_file, write_file)",
                problem(model("a", null, new ToolRef.Mcp("fs", "read_fil"))));
        assertEquals(
                file("a.yaml") + ": agent 'a': tools[0]: unknown RAG collection 'manuals' (collections: docs); create"
                        + " it with: miu rag ingest --collection manuals FILES",
                problem(model("a", null, new ToolRef.Rag("manuals"))));
    }

    @Test
    void unknownAgentsAreNamedWithTheNearestAndTheKnownOnes() {
        var billing = model("billing", null);
        var desk = new AgentDefinition.Router(
                "help",
                "",
                file("help.yaml"),
                List.of(
                        new AgentDefinition.RouteDefinition("billing", null, List.of("refund"), null, 0),
                        new AgentDefinition.RouteDefinition("biling", null, List.of(), null, 0)),
                "mystery:model",
                null);
        assertEquals(
                file("help.yaml") + ": agent 'help': routes[1].agent: unknown agent 'biling' (did you mean 'billing'?"
                        + " known: billing, help)\n"
                        + file("help.yaml") + ": agent 'help': classifier-model: unknown provider 'mystery' in"
                        + " 'mystery:model' (providers: anthropic, openai, gemini, ollama)",
                problems("billing", billing, desk));
        assertEquals(
                file("a.yaml") + ": agent 'a': tools[0].agent: unknown agent 'ghost' (known: a)",
                problem(model("a", null, new ToolRef.AgentTool("ghost"))));
    }

    @Test
    void aCycleAmongAgentsIsSpelledOut() {
        var a = model("a", null, new ToolRef.AgentTool("b"));
        var b = new AgentDefinition.Pipeline("b", "", file("b.yaml"), List.of("c"));
        var c = model("c", null, new ToolRef.Builtin("current_time"), new ToolRef.AgentTool("a"));
        assertEquals(
                file("a.yaml") + ": agent 'a': tools[0].agent: agents run each other in a cycle: a -> b -> c -> a",
                problem(a, b, c));
        assertEquals(
                file("s.yaml") + ": agent 's': tools[0].agent: agents run each other in a cycle: s -> s",
                problem(model("s", null, new ToolRef.AgentTool("s"))));
    }

    @Test
    void workspacesModesAndProviders() throws Exception {
        Path notADir = Files.writeString(dir.resolve("file.txt"), "x");
        assertEquals(
                file("a.yaml") + ": agent 'a': tools[0].workspace: the workspace " + dir.resolve("gone")
                        + " does not exist",
                problem(model("a", null, new ToolRef.Code(dir.resolve("gone"), "normal"))));
        assertEquals(
                file("a.yaml") + ": agent 'a': tools[0].workspace: the workspace " + notADir + " is not a directory\n"
                        + file("a.yaml") + ": agent 'a': tools[0].mode: unknown mode 'yolo'; use one of normal, plan,"
                        + " auto",
                problem(model("a", null, new ToolRef.Code(notADir, "yolo"))));
        assertEquals(
                file("a.yaml") + ": agent 'a': model: unknown provider 'antropic' in 'antropic:claude' (did you mean"
                        + " 'anthropic'? providers: anthropic, openai, gemini, ollama)",
                problem(model("a", "antropic:claude")));
        assertEquals(
                file("a.yaml") + ": agent 'a': tools[0].approval.Wirte: no coding tool 'Wirte' (did you mean 'Write'?"
                        + " coding tools: Read, Glob, Grep, Write, Edit, Bash)",
                problem(model(
                        "a",
                        null,
                        new ToolRef.Code(dir, "normal", java.util.Map.of("Wirte", ToolRef.Approval.ALWAYS)))));
    }

    @Test
    void orchestratorTasksAndTheDefaultAgent() {
        var worker = model("worker", null);
        var orchestrator = new AgentDefinition.Orchestrator(
                "o",
                "",
                file("o.yaml"),
                List.of(
                        new AgentDefinition.TaskDefinition("one", "worker", "", List.of("two")),
                        new AgentDefinition.TaskDefinition("two", "worker", "", List.of("one", "three"))),
                4);
        assertEquals(
                file("o.yaml") + ": agent 'o': tasks[1].depends-on: unknown task 'three' (tasks: one, two)\n"
                        + file("o.yaml") + ": agent 'o': tasks: the tasks depend on each other in a cycle: one -> two"
                        + " -> one",
                problems("worker", worker, orchestrator));
        assertEquals(
                "app.yaml: default-agent: unknown agent 'wroker' (did you mean 'worker'? known: worker)",
                problems("wroker", worker));
        assertEquals("app.yaml: default-agent: unknown agent 'assistant' (known: worker)", problems(null, worker));
    }

    @Test
    void theAgentSectionStillDefinesTheAssistantWithTheStudiosTools() throws Exception {
        Path yaml = Files.writeString(dir.resolve("app.yaml"), """
                agent:
                  model: openai:gpt-test
                  system-prompt: Be brief.
                  max-iterations: 4
                studio:
                  tools: [current_time]
                rag:
                  collection: not-ingested-yet
                """);
        MiuConfig config =
                MiuConfig.load(yaml, Map.of("MIU_DATA_DIR", dir.resolve("data").toString()));
        List<AgentDefinition> all = AgentDefinitions.all(config, List.of("fs"));
        assertEquals(1, all.size());
        var assistant = (AgentDefinition.Model) all.getFirst();
        assertEquals("assistant", assistant.name());
        assertEquals("Be brief.", assistant.instructions());
        assertEquals(4, assistant.maxIterations());
        assertEquals(
                List.of(
                        new ToolRef.Builtin("current_time"),
                        new ToolRef.Mcp("fs", null),
                        new ToolRef.Rag("not-ingested-yet")),
                assistant.tools());
        // as before agents were declared: a configured collection that is still empty does not stop the server
        AgentValidator.check(all, config, AgentReferences.byName(List.of("fs"), List.of()));
    }

    @Test
    void aDeclaredAssistantReplacesTheAgentSectionsAndDefaultAgentPicksAnother() throws Exception {
        Path yaml = Files.writeString(dir.resolve("app.yaml"), """
                agents:
                  - name: assistant
                    description: Mine
                  - name: other
                default-agent: other
                """);
        MiuConfig config =
                MiuConfig.load(yaml, Map.of("MIU_DATA_DIR", dir.resolve("data").toString()));
        List<AgentDefinition> all = AgentDefinitions.all(config, List.of());
        assertEquals(
                List.of("assistant", "other"),
                all.stream().map(AgentDefinition::name).toList());
        assertEquals("Mine", all.getFirst().description());
        AgentValidator.check(all, config, AgentReferences.byName(List.of(), List.of()));
        assertEquals("other", config.agents().defaultAgent());
    }
}
