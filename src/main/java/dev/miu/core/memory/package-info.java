/** Keeping a conversation inside a model's context window without ever separating a tool call from its result. */
package dev.miu.core.memory;
