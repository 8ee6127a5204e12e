/**
 * Tools are data: a {@link dev.miu.core.tool.ToolSpec} (name, description, JSON schema) and a handler, registered
 * explicitly in a {@link dev.miu.core.tool.ToolRegistry}. {@link dev.miu.core.tool.Tools} builds them from records and
 * annotated methods without hand-written schemas. Every failure becomes an error result the model reads.
 */
package dev.miu.core.tool;
