/** Coding-agent sessions saved as JSON lines under {@code MIU_DATA_DIR/code/sessions}, so a conversation can be resumed. */
package dev.miu.code.session;
