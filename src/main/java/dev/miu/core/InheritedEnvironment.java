package dev.miu.core;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What child processes inherit of miu's environment. miu holds secrets there (provider API keys,
 * {@code MIU_API_KEY}, often other credentials of the user's shell), and a child is code miu does not control: an
 * MCP server from a package registry, or a shell command a model wrote. So:
 * <ul>
 *   <li>an MCP server gets only {@link #MCP_SERVER_NAMES}, as the official MCP SDKs do it, plus what its
 *       configuration sets explicitly;</li>
 *   <li>the coding agent's {@code Bash} gets the whole environment (builds need {@code JAVA_HOME}, {@code GOPATH},
 *       a virtualenv...) except the variables that look like secrets ({@link #isSecret}).</li>
 * </ul>
 */
public final class InheritedEnvironment {

    /** Enough to find programs, a home directory and the locale; nothing secret. */
    public static final Set<String> MCP_SERVER_NAMES =
            Set.of("HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER", "LANG", "LC_ALL", "TMPDIR", "TZ");

    /**
     * Secret-looking names: {@code *_KEY} (all provider keys, {@code MIU_API_KEY}, {@code AWS_SECRET_ACCESS_KEY}),
     * {@code *_TOKEN}, {@code *_SECRET}, {@code *PASSWORD}, {@code *_PASSWD}, {@code *_CREDENTIALS}.
     */
    private static final Pattern SECRET =
            Pattern.compile("(?i)(.*_)?(KEY|TOKEN|SECRET|PASSWD|CREDENTIALS?)|.*PASSWORD");

    private InheritedEnvironment() {}

    /** Whether a variable of this name is treated as a secret and kept from the shell. */
    public static boolean isSecret(String name) {
        return SECRET.matcher(name).matches();
    }

    /** Cuts {@code env} (a {@code ProcessBuilder}'s) down to what an MCP server inherits. */
    public static void forMcpServer(Map<String, String> env) {
        env.keySet().retainAll(MCP_SERVER_NAMES);
        env.values().removeIf(v -> v.startsWith("()")); // shell functions, which the SDKs leave out too
    }

    /** Removes the secrets from {@code env} (a {@code ProcessBuilder}'s), for the coding agent's shell. */
    public static void forShell(Map<String, String> env) {
        env.keySet().removeIf(InheritedEnvironment::isSecret);
    }
}
