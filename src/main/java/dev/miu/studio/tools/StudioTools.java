package dev.miu.studio.tools;

import dev.miu.core.ConfigurationException;
import dev.miu.core.tool.BuiltinTools;
import dev.miu.core.tool.Tool;
import dev.miu.core.tool.ToolRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The tools every studio agent gets, from one place. Built from app.yaml's {@code studio.tools} (a list of
 * built-in tool names, empty by default); other features add their own {@link ToolSource} with {@link #with}.
 * A fresh {@link ToolRegistry} is made per chat turn.
 */
public final class StudioTools {

    private final List<ToolSource> sources;

    private StudioTools(List<ToolSource> sources) {
        this.sources = List.copyOf(sources);
    }

    public static StudioTools none() {
        return new StudioTools(List.of());
    }

    public static StudioTools of(Tool... tools) {
        List<Tool> fixed = List.of(tools);
        return new StudioTools(List.of(() -> fixed));
    }

    /** The built-in tools {@code names} (app.yaml's {@code studio.tools}); an unknown name is a {@link ConfigurationException}. */
    public static StudioTools named(List<String> names) {
        Map<String, Supplier<Tool>> catalogue = BuiltinTools.catalogue();
        List<Tool> tools = new ArrayList<>();
        for (String name : names) {
            Supplier<Tool> tool = catalogue.get(name.strip());
            if (tool == null) {
                throw new ConfigurationException("Unknown tool '" + name + "' in studio.tools; built-in tools: "
                        + String.join(", ", catalogue.keySet()));
            }
            tools.add(tool.get());
        }
        return new StudioTools(tools.isEmpty() ? List.of() : List.of(() -> List.copyOf(tools)));
    }

    /** These tools plus those of {@code source}. */
    public StudioTools with(ToolSource source) {
        List<ToolSource> all = new ArrayList<>(sources);
        all.add(source);
        return new StudioTools(all);
    }

    /** A registry holding the current tools of every source, for one turn. */
    public ToolRegistry registry() {
        var registry = new ToolRegistry();
        for (ToolSource source : sources) {
            source.tools().forEach(registry::register);
        }
        return registry;
    }

    /** Tool names, for the start-up log. */
    public List<String> names() {
        return registry().tools().stream().map(Tool::name).toList();
    }
}
