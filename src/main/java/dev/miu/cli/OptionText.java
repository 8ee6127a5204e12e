package dev.miu.cli;

/** Help texts of the options several commands have, so each reads the same on every command. */
final class OptionText {

    static final String CONFIG = "app.yaml to read (default: ./app.yaml, else built-in).";
    static final String MCP_CONFIG = "JSON file of MCP servers whose tools the agent gets: {\"mcpServers\": {NAME: "
            + "{\"command\", \"args\", \"env\"} | {\"type\": \"http\", \"url\", \"headers\"}}} (added to app.yaml's mcp section).";
    static final String COLLECTION = "Give the agent the search_knowledge tool over this RAG collection "
            + "(default: rag.collection in app.yaml).";

    static final String AGENTS = "Directory of agent files, one *.yaml per agent (default: MIU_AGENTS_DIR, "
            + "agents-dir in app.yaml, else MIU_DATA_DIR/agents).";

    private OptionText() {}
}
