package dev.miu.code.command;

import dev.miu.code.CodingAgent;
import dev.miu.code.Mode;
import dev.miu.code.session.SessionInfo;
import dev.miu.core.MiuException;
import dev.miu.core.provider.ModelSpec;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Runs a line that starts with {@code /} against a {@link CodingAgent}. Front ends render the result. */
public final class SlashCommands {

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final CodingAgent agent;
    private final CustomCommands custom;

    public SlashCommands(CodingAgent agent) {
        this.agent = agent;
        this.custom = new CustomCommands(agent.workspace().root());
    }

    public static boolean isCommand(String line) {
        return line != null && line.startsWith("/") && line.length() > 1 && !line.startsWith("//");
    }

    public CommandResult run(String line) {
        String trimmed = line.strip().substring(1);
        int space = trimmed.indexOf(' ');
        String name = space < 0 ? trimmed : trimmed.substring(0, space);
        String args = space < 0 ? "" : trimmed.substring(space + 1).strip();
        return switch (name) {
            case "help", "?" -> new CommandResult.Show(help());
            case "exit", "quit" -> new CommandResult.Exit();
            case "clear", "new" -> new CommandResult.Reset("Started a new session " + agent.newSession() + ".");
            case "mode" -> mode(args);
            case "model" -> model(args);
            case "agent" -> agent(args);
            case "sessions" -> new CommandResult.Show(sessions());
            case "resume" -> resume(args);
            default ->
                custom.find(name)
                        .<CommandResult>map(c -> new CommandResult.Prompt(c.expand(args)))
                        .orElse(new CommandResult.Show("Unknown command /" + name + ". Type /help for the list."));
        };
    }

    public String help() {
        var out = new StringBuilder("""
                Commands:
                  /help               this list
                  /clear              start a new session (the old one stays saved)
                  /model [SPEC]       show or switch the model, e.g. /model openai:gpt-4.1-mini
                  /agent [NAME]       show the declared agents, or hand the conversation to one (/agent coding: back)
                  /mode [MODE]        cycle or set the mode: normal (ask before changes), plan (read-only), auto (no prompts)
                  /sessions           saved sessions of this workspace
                  /resume ID          continue a saved session
                  /exit               quit
                """);
        List<CustomCommand> mine = custom.list();
        if (!mine.isEmpty()) {
            out.append("Your commands (.miu/commands):\n");
            for (CustomCommand c : mine) {
                out.append(String.format("  /%-18s %s%n", c.name(), c.description()));
            }
        }
        return out.toString().stripTrailing();
    }

    private CommandResult mode(String args) {
        Mode next;
        if (args.isEmpty()) {
            next = agent.gate().cycleMode();
        } else {
            try {
                next = Mode.parse(args);
            } catch (IllegalArgumentException e) {
                return new CommandResult.Show(e.getMessage());
            }
            agent.gate().setMode(next);
        }
        return new CommandResult.Show("Mode: " + next.wireName() + " (" + next.summary() + ")");
    }

    /** {@code /agent}: which agent answers and which are declared; {@code /agent NAME} switches. */
    private CommandResult agent(String args) {
        if (!args.isEmpty()) {
            try {
                agent.useAgent(args.equals("coding") ? null : args);
            } catch (RuntimeException e) { // unknown, or the agents' configuration is broken: say so, keep going
                return new CommandResult.Show(e.getMessage());
            }
        }
        String current = agent.declaredAgent();
        List<String> names;
        try {
            names = agent.declaredAgents().names();
        } catch (RuntimeException e) {
            return new CommandResult.Show(e.getMessage());
        }
        return new CommandResult.Show("Agent: " + (current == null ? "coding (the coding agent)" : current)
                + (names.isEmpty() ? "" : "\nDeclared: " + String.join(", ", names) + " (/agent coding: back)"));
    }

    private CommandResult model(String args) {
        if (args.isEmpty()) {
            return new CommandResult.Show("Model: " + agent.model());
        }
        try {
            agent.setModel(ModelSpec.parse(args));
        } catch (MiuException | IllegalArgumentException e) {
            return new CommandResult.Show("Cannot use model '" + args + "': " + e.getMessage());
        }
        return new CommandResult.Show("Model: " + agent.model());
    }

    private String sessions() {
        if (agent.store() == null) {
            return "Sessions are not saved in this run.";
        }
        List<SessionInfo> all = agent.store().list(agent.workspace().root().toString());
        if (all.isEmpty()) {
            return "No saved sessions for this workspace yet.";
        }
        var out = new StringBuilder("Sessions (newest first; /resume ID to continue):\n");
        for (SessionInfo s : all.subList(0, Math.min(20, all.size()))) {
            out.append(String.format(
                    "  %s  %s  %3d msgs  %s%s%n",
                    s.id(),
                    WHEN.format(s.updated()),
                    s.messageCount(),
                    s.title(),
                    s.id().equals(agent.sessionId()) ? "  (current)" : ""));
        }
        return out.toString().stripTrailing();
    }

    private CommandResult resume(String id) {
        if (id.isEmpty()) {
            return new CommandResult.Show("Usage: /resume ID (see /sessions)");
        }
        try {
            SessionInfo info = agent.resume(id);
            return new CommandResult.Reset("Resumed session " + info.id() + " (" + info.messageCount() + " messages).");
        } catch (MiuException e) {
            return new CommandResult.Show(e.getMessage());
        }
    }
}
