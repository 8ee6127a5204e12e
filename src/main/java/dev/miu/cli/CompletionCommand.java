package dev.miu.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code miu completion}: prints a bash/zsh completion script generated from the live command tree, so it always
 * matches the commands and options this build has.
 */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Print a bash/zsh completion script for miu.",
            "Use it with: source <(miu completion)   (zsh: autoload -U +X bashcompinit && bashcompinit first)"
        })
public final class CompletionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        var out = spec.commandLine().getOut();
        out.print(AutoComplete.bash(root.getCommandName(), root));
        out.flush();
        return 0;
    }
}
