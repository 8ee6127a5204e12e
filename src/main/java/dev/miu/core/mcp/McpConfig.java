package dev.miu.core.mcp;

import dev.miu.core.ConfigurationException;
import dev.miu.core.http.ProxySettings;
import dev.miu.core.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the common MCP configuration shape used by Claude Desktop, Claude Code, Cursor and VS Code:
 * <pre>{"mcpServers": {"NAME": {"command": "...", "args": [...], "env": {...}}
 *                  | {"type": "http", "url": "...", "headers": {...}}}}</pre>
 * A server with a {@code url} and no {@code type} is HTTP; {@code "disabled": true} skips it. {@code ${VAR}} and
 * {@code ${VAR:-default}} in strings are taken from the environment, so tokens need not be written in the file.
 * Every mistake is a {@link ConfigurationException} naming the file and the server.
 */
public final class McpConfig {

    /** Server names become tool-name prefixes, so they are held to the tool-name alphabet. */
    public static final Pattern SERVER_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,40}");

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private McpConfig() {}

    /** Reads an {@code {"mcpServers": {...}}} JSON file. */
    public static Map<String, McpServerConfig> read(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (java.io.IOException e) {
            throw new ConfigurationException("Cannot read MCP config " + file + ": " + e.getMessage());
        }
        JsonObject root;
        try {
            root = Json.parseObject(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("MCP config " + file + " is not a JSON object: " + e.getMessage());
        }
        return parse(root, file.toString(), env);
    }

    /**
     * Reads the servers from {@code root}, which holds {@code mcpServers}. A root without it is an error, since
     * a file given for MCP that names no servers is almost certainly the wrong file.
     */
    public static Map<String, McpServerConfig> parse(JsonObject root, String source, Map<String, String> env) {
        JsonValue servers = root.get("mcpServers");
        if (servers == null) {
            throw new ConfigurationException(
                    source + ": expected an object with \"mcpServers\" (the common MCP config shape)");
        }
        if (!(servers instanceof JsonObject map)) {
            throw new ConfigurationException(source + ": \"mcpServers\" must be an object of NAME: {server}");
        }
        Map<String, McpServerConfig> result = new LinkedHashMap<>();
        map.forEach((name, value) -> {
            String where = source + ": MCP server '" + name + "'";
            if (!SERVER_NAME.matcher(name).matches()) {
                throw new ConfigurationException(where + ": a server name must be 1-40 letters, digits, '_' or '-'"
                        + " (it prefixes the server's tool names)");
            }
            if (!(value instanceof JsonObject server)) {
                throw new ConfigurationException(where + " must be an object");
            }
            if (flag(server, "disabled", where)) {
                return;
            }
            result.put(name, server(server, where, env));
        });
        return Collections.unmodifiableMap(result);
    }

    private static McpServerConfig server(JsonObject server, String where, Map<String, String> env) {
        String type = text(server, "type", where, env);
        boolean hasCommand = server.containsKey("command");
        boolean hasUrl = server.containsKey("url");
        if (type == null) {
            if (hasCommand == hasUrl) {
                throw new ConfigurationException(
                        where + " needs either \"command\" (stdio) or \"url\" (Streamable HTTP)");
            }
            type = hasCommand ? "stdio" : "http";
        }
        try {
            return switch (type) {
                case "stdio" -> {
                    String command = text(server, "command", where, env);
                    if (command == null || command.isBlank()) {
                        throw new ConfigurationException(where + ": \"command\" is required for a stdio server");
                    }
                    yield new McpServerConfig.Stdio(
                            command, strings(server, "args", where, env), stringMap(server, "env", where, env));
                }
                case "http", "streamable-http", "streamableHttp" -> {
                    String url = text(server, "url", where, env);
                    if (url == null || url.isBlank()) {
                        throw new ConfigurationException(where + ": \"url\" is required for an HTTP server");
                    }
                    yield new McpServerConfig.Http(
                            uri(url, where),
                            stringMap(server, "headers", where, env),
                            ProxySettings.fromEnvironment(env));
                }
                case "sse" ->
                    throw new ConfigurationException(where + ": the old HTTP+SSE transport is not supported;"
                            + " use the server's Streamable HTTP endpoint with \"type\": \"http\"");
                default ->
                    throw new ConfigurationException(
                            where + ": unknown \"type\" '" + type + "' (use \"stdio\" or \"http\")");
            };
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + ": " + e.getMessage());
        }
    }

    private static URI uri(String url, String where) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null) {
                throw new ConfigurationException(where + ": \"url\" has no host: " + url);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(where + ": \"url\" is not a valid URL: " + e.getMessage());
        }
    }

    private static boolean flag(JsonObject o, String key, String where) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL || v == JsonValue.FALSE) {
            return false;
        }
        if (v == JsonValue.TRUE) {
            return true;
        }
        if (v instanceof JsonString s
                && (s.getString().equals("true") || s.getString().equals("false"))) {
            return Boolean.parseBoolean(s.getString());
        }
        throw new ConfigurationException(where + ": \"" + key + "\" must be true or false");
    }

    private static String text(JsonObject o, String key, String where, Map<String, String> env) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw new ConfigurationException(where + ": \"" + key + "\" must be a string");
        }
        return expand(s.getString(), where + " " + key, env);
    }

    private static List<String> strings(JsonObject o, String key, String where, Map<String, String> env) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return List.of();
        }
        if (!(v instanceof jakarta.json.JsonArray array)) {
            throw new ConfigurationException(where + ": \"" + key + "\" must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonValue item : array) {
            if (!(item instanceof JsonString s)) {
                throw new ConfigurationException(where + ": \"" + key + "\" must be an array of strings");
            }
            out.add(expand(s.getString(), where + " " + key, env));
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonObject o, String key, String where, Map<String, String> env) {
        JsonValue v = o.get(key);
        if (v == null || v == JsonValue.NULL) {
            return Map.of();
        }
        if (!(v instanceof JsonObject map)) {
            throw new ConfigurationException(where + ": \"" + key + "\" must be an object of string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, value) -> {
            String s = switch (value) {
                case JsonString str -> str.getString();
                case jakarta.json.JsonNumber n -> n.toString();
                default -> {
                    if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
                        yield value.toString();
                    }
                    throw new ConfigurationException(where + ": \"" + key + "." + k + "\" must be a string");
                }
            };
            out.put(k, expand(s, where + " " + key + "." + k, env));
        });
        return out;
    }

    /** Replaces {@code ${VAR}} and {@code ${VAR:-default}}; an unset variable without a default is an error. */
    static String expand(String s, String where, Map<String, String> env) {
        if (!s.contains("${")) {
            return s;
        }
        Matcher m = VARIABLE.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.get(m.group(1));
            if (value == null || value.isEmpty()) {
                value = m.group(2) != null ? m.group(3) : null;
            }
            if (value == null) {
                throw new ConfigurationException(where + ": environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
