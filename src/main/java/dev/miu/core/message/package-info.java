/** The conversation data model: messages made of typed content blocks, roles, token usage and stop reasons. */
package dev.miu.core.message;
