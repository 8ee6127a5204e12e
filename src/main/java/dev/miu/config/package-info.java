/**
 * Configuration, read once: app.yaml (a file, else the copy inside the jar; SnakeYAML parses it), then
 * {@code MIU_*}, {@code OTEL_*} and provider environment variables, then command-line flags, into the typed records
 * of {@link dev.miu.config.MiuConfig} handed to the rest of miu. Nothing outside this package reads the file's tree.
 * <p>
 * A section is a record (here, or in the package that uses it, such as {@code core.tracing} or {@code rag}), a
 * reader {@code from(ConfigTree section, Map env)}, a component of {@code MiuConfig} and one line in its
 * {@code read}. The keys a reader asks the tree for are the section's known keys, and any other key in the file is
 * an error naming the nearest known one ({@code UnknownKeys}); so a reader asks for every key it knows before it
 * looks at the environment, and a section whose names are the user's (MCP servers) lists them with
 * {@code children()}.
 */
package dev.miu.config;
