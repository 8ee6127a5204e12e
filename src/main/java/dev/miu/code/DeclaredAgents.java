package dev.miu.code;

import dev.miu.core.agent.Agent;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * Agents declared in configuration ({@code agents:}, the agents directory) that the coding front ends can hand the
 * conversation to instead of the coding agent: {@code /agent NAME} in the REPL and TUI, {@code --agent NAME} when
 * they start. The command line supplies them; this package does not know how they are built.
 */
public interface DeclaredAgents {

    /** None: for runs without declared agents. */
    DeclaredAgents NONE = new DeclaredAgents() {
        @Override
        public List<String> names() {
            return List.of();
        }

        @Override
        public Agent create(String name) {
            throw new NoSuchElementException("No declared agent '" + name + "'");
        }
    };

    /** Their names, in declaration order. */
    List<String> names();

    /**
     * A runnable agent for one turn.
     *
     * @throws NoSuchElementException                  no agent has that name
     * @throws dev.miu.core.ConfigurationException the agents are badly declared, or its model has no provider
     */
    Agent create(String name);
}
