package dev.miu.code;

import dev.miu.code.approval.ApprovalGate;
import dev.miu.code.approval.Approver;
import dev.miu.code.session.SessionStore;
import dev.miu.config.MiuConfig;
import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.ProviderOptions;
import dev.miu.core.provider.Providers;

/** Builds a {@link CodingAgent} from configuration and command-line options, resuming a session when asked. */
public final class CodingAgents {

    private CodingAgents() {}

    public static CodingAgent create(MiuConfig config, CodingOptions options, Approver approver) {
        Workspace workspace;
        try {
            workspace = Workspace.of(options.workspace());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage() + " (--workspace)");
        }
        var providers = new Providers(config.providers(), ProviderOptions.DEFAULT);
        var store = new SessionStore(config.dataDir());
        var agent = new CodingAgent(
                config.agent(),
                providers::create,
                config.resolveModel(options.model()),
                workspace,
                new ApprovalGate(options.mode(), approver),
                store);
        agent.useExtraTools(options.extraTools(), options.readOnlyTools());
        agent.useDeclaredAgents(options.declaredAgents());
        if (options.agent() != null) {
            try {
                agent.useAgent(options.agent());
            } catch (java.util.NoSuchElementException e) {
                throw new ConfigurationException(e.getMessage() + " (--agent)");
            }
        }
        if (options.session() != null) {
            agent.resume(options.session());
        } else if (options.continueLast()) {
            String latest = store.latest(workspace.root().toString())
                    .orElseThrow(() -> new ConfigurationException("No saved session for " + workspace.root()
                            + " to continue (sessions live in " + store.dir() + ")"))
                    .id();
            agent.resume(latest);
        }
        return agent;
    }
}
