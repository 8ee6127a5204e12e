package dev.miu.cli;

import dev.miu.config.MiuConfig;
import dev.miu.core.json.Json;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * The training run {@code bin/build-image.sh} makes to record the runtime image's AOT cache: it runs the
 * commands users start with (help, version, examples list, completion) in one JVM, with their output discarded,
 * so the classes they load are stored pre-parsed and linked. It touches no network and no user files.
 */
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) {
        List<List<String>> commands = List.of(
                List.of("--help"), List.of("--version"), List.of("examples", "list"), List.of("examples", "run", "--help"),
                List.of("completion"));
        var sink = new PrintWriter(OutputStream.nullOutputStream());
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            for (List<String> command : commands) {
                var cli = Main.commandLine();
                cli.setOut(sink);
                cli.setErr(sink);
                cli.execute(command.toArray(String[]::new));
            }
            // config loading and JSON: every real command goes through them
            MiuConfig.load(null, Map.of());
            Json.write(Json.parseObject("{\"a\":[1,2,{\"b\":\"c\"}]}"));
        } finally {
            System.setOut(stdout);
        }
        stdout.println("AOT training run done: " + commands.size() + " commands");
    }
}
