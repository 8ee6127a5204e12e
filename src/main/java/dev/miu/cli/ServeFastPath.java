package dev.miu.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code miu serve} without picocli. Building picocli's model of every subcommand (reflection over old, slowly
 * verified bytecode, with hundreds of exceptions thrown while probing types) took a few hundred milliseconds of the
 * server's start-up, while {@code serve} needs only a few options. This accepts exactly the plain forms of those
 * options ({@code --opt VALUE}, {@code --opt=VALUE}, each at most once) and gives anything else (help, {@code @files},
 * unknown or repeated options, values picocli would read differently or reject) back to picocli, so behaviour and
 * error messages stay picocli's. {@code ServeFastPathTest} checks both parse the same.
 */
final class ServeFastPath {

    private static final Pattern PORT = Pattern.compile("[0-9]{1,9}");

    private ServeFastPath() {}

    /**
     * The {@code serve} command these arguments describe, its parent's options set as picocli would set them, or
     * null when picocli should parse them.
     */
    static ServeCommand parse(String[] args, Map<String, String> environment) {
        MiuCommand parent = new MiuCommand(environment);
        ServeCommand serve = new ServeCommand();
        serve.parent = parent;
        boolean afterServe = false;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!afterServe && arg.equals("serve")) {
                afterServe = true;
                continue;
            }
            if (!arg.startsWith("-")) {
                return null; // a positional or another subcommand
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (eq > 0 && arg.startsWith("--")) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    return null; // missing value: picocli says so
                }
                value = args[++i];
                if (value.startsWith("-") || value.startsWith("@") || value.equals("serve")) {
                    return null; // picocli may read this as an option or a subcommand
                }
            }
            String key = (afterServe ? "serve " : "") + canonical(name);
            if (!seen.add(key)) {
                return null;
            }
            if (!set(afterServe ? serve : null, parent, name, value)) {
                return null;
            }
        }
        return afterServe ? serve : null;
    }

    private static String canonical(String name) {
        return name.equals("-m") ? "--model" : name;
    }

    /** Sets one option; false when it is not one the fast path knows or its value needs picocli's checks. */
    private static boolean set(ServeCommand serve, MiuCommand parent, String name, String value) {
        try {
            switch (name) {
                case "--mcp-config" -> {
                    if (serve != null) {
                        serve.mcpConfigFile = Path.of(value);
                    } else {
                        parent.mcpConfigFile = Path.of(value);
                    }
                }
                case "--agents" -> {
                    if (serve != null) {
                        serve.agentsDir = Path.of(value);
                    } else {
                        parent.agentsDir = Path.of(value);
                    }
                }
                case "--config" -> {
                    if (serve != null) {
                        serve.configFile = Path.of(value);
                    } else {
                        parent.configFile = Path.of(value);
                    }
                }
                case "-m", "--model" -> {
                    if (serve != null) {
                        serve.model = value;
                    } else {
                        parent.model = value;
                    }
                }
                case "--host" -> {
                    if (serve == null) {
                        return false;
                    }
                    serve.host = value;
                }
                case "--port" -> {
                    if (serve == null || !PORT.matcher(value).matches()) {
                        return false;
                    }
                    serve.port = Integer.valueOf(value);
                }
                default -> {
                    return false;
                }
            }
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Runs the command as picocli would: its exit code, failures reported by {@link FailureReport}. */
    static int run(ServeCommand serve) {
        PrintWriter out = writer(System.out);
        PrintWriter err = writer(System.err);
        serve.out = out;
        serve.err = err;
        try {
            return serve.call();
        } catch (Exception e) {
            return FailureReport.report(e, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    // as picocli makes its writers: the stream's charset, flushed on println
    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, stream.charset()), true);
    }
}
