package dev.miu.examples;

import dev.miu.core.ConfigurationException;

import java.util.List;

/** Every example, in the order {@code miu examples list} shows them. Add a new example here, one line. */
public final class Examples {

    public static final List<Example> ALL = List.of(
            new SimpleAgent(),
            new MultiProvider(),
            new ToolUsage(),
            new MultiAgent(),
            new McpClientExample(),
            new RagAgent());

    private Examples() {}

    /** The example called {@code name}; a clear error listing the names if there is none. */
    public static Example named(String name) {
        return ALL.stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ConfigurationException("No example named '" + name + "'; examples: "
                        + String.join(", ", ALL.stream().map(Example::name).toList())));
    }
}
