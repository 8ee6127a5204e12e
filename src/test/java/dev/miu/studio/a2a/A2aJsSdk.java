package dev.miu.studio.a2a;

import dev.miu.testing.Prerequisites;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The official A2A JavaScript SDK, {@code @a2a-js/sdk} {@value #VERSION}, installed globally by .ci/run: node and the
 * package are found, or the test is skipped (failed under {@code CI=true}) saying what to install.
 */
final class A2aJsSdk {

    static final String VERSION = "1.3.0";
    static final String INSTALL = "npm install -g @a2a-js/sdk@" + VERSION;

    private A2aJsSdk() {}

    /** The global node_modules folder holding the SDK at the pinned version. */
    static Path modules() throws IOException, InterruptedException {
        Path npm = Prerequisites.executable("npm", "apt-get install nodejs npm");
        Process root = new ProcessBuilder(npm.toString(), "root", "-g")
                .redirectErrorStream(true)
                .start();
        String out = new String(root.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        root.waitFor(30, TimeUnit.SECONDS);
        Path modules = Path.of(out.lines().reduce((a, b) -> b).orElse(""));
        Path manifest = modules.resolve("@a2a-js/sdk/package.json");
        Prerequisites.require(
                Files.isRegularFile(manifest)
                        && Files.readString(manifest).contains("\"version\": \"" + VERSION + "\""),
                "@a2a-js/sdk " + VERSION + " is not installed globally; install it with `" + INSTALL
                        + "` (.ci/run does)");
        return modules;
    }

    /** Runs the script {@code name} (a test resource of this package) with node; its stdout lines. */
    static List<String> run(String name, List<String> args) throws IOException, InterruptedException {
        Path node = Prerequisites.executable("node", "apt-get install nodejs");
        Path modules = modules();
        Path script;
        try {
            script = Path.of(A2aJsSdk.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        var command = new java.util.ArrayList<>(List.of(node.toString(), script.toString()));
        command.addAll(args);
        var builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("NODE_PATH", modules.toString()); // require() finds the global install
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node " + name + " did not finish; it printed:\n" + out);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("node " + name + " failed (" + process.exitValue() + "); it printed:\n" + out);
        }
        return out.lines().toList();
    }
}
