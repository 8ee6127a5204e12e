/**
 * The agent core: messages, providers, tools, the agent loop and context management.
 * Nothing here depends on the web server; the CLI, the studio and the coding agent build on it.
 */
package dev.miu.core;
