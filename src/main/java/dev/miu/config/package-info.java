/**
 * Configuration, read once: app.yaml (a file, else the copy inside the jar), then {@code MIU_*} and provider
 * environment variables, then command-line flags, into typed records handed to the rest of miu.
 */
package dev.miu.config;
