package dev.miu;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.miu.code.CodingAgent;
import dev.miu.code.CodingAgents;
import dev.miu.core.provider.Providers;
import dev.miu.studio.Studio;
import dev.miu.studio.StudioRouting;
import dev.miu.studio.StudioServer;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package lines of the design notes, checked on the compiled main classes: the agent core and RAG know nothing
 * of the web server, the core depends on nothing else of miu, and packages form no cycle.
 */
@AnalyzeClasses(
        packages = "dev.miu",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreAndRagDoNotUseTheWebServer = noClasses()
            .that()
            .resideInAnyPackage("dev.miu.core..", "dev.miu.rag..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.helidon.webserver..")
            .because("the agent library runs without a server; HTTP routes live in studio.http");

    @ArchTest
    static final ArchRule coreDependsOnlyOnItself = noClasses()
            .that()
            .resideInAPackage("dev.miu.core..")
            .should()
            .dependOnClassesThat(resideInAPackage("dev.miu..").and(not(resideInAPackage("dev.miu.core.."))))
            .because("cli, code, studio, rag and examples build on core, never the other way round");

    /** cli, code, config, core, examples, rag, studio: one-way between each other. */
    @ArchTest
    static final ArchRule areasFormNoCycle =
            slices().matching("dev.miu.(*)..").should().beFreeOfCycles();

    /** agent, http, json, mcp, memory, message, pattern, provider, tool, tracing: one-way inside the core. */
    @ArchTest
    static final ArchRule coreModulesFormNoCycle =
            slices().matching("dev.miu.core.(*)..").should().beFreeOfCycles();

    /**
     * Every package on its own. Frozen exceptions: three parent packages hold both the types their subpackages
     * build on and the classes that assemble those subpackages, so parent and children point at each other.
     * Only those assembling classes may reach down; untangling them means moving widely used types
     * ({@code StudioException}, {@code Mode}, {@code Workspace}) or the provider factory, left for its own change.
     */
    @ArchTest
    static final ArchRule packagesFormNoCycle = slices().matching("dev.miu.(**)")
            .should()
            .beFreeOfCycles()
            // Providers creates the Anthropic, OpenAI and Gemini providers, which implement core.provider's Provider
            .ignoreDependency(belongToAnyOf(Providers.class), resideInAPackage("dev.miu.core.provider.*"))
            // Studio, StudioRouting and StudioServer wire chat, http, a2a, mcp and openai, which throw studio's
            // StudioException
            .ignoreDependency(
                    belongToAnyOf(Studio.class, StudioRouting.class, StudioServer.class),
                    resideInAnyPackage(
                            "dev.miu.studio.a2a",
                            "dev.miu.studio.chat",
                            "dev.miu.studio.http",
                            "dev.miu.studio.mcp",
                            "dev.miu.studio.openai"))
            // CodingAgent(s) wire the approval gate and the coding tools, which use code's Mode and Workspace
            .ignoreDependency(
                    belongToAnyOf(CodingAgent.class, CodingAgents.class),
                    resideInAnyPackage("dev.miu.code.approval", "dev.miu.code.tools"));
}
