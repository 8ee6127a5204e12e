/** The Anthropic Messages API, plain and streamed over SSE. */
package dev.miu.core.provider.anthropic;
