package dev.miu.code.approval;

import jakarta.json.JsonObject;

import java.util.Objects;

/**
 * A tool call waiting for approval.
 *
 * @param summary one line saying what it will do, e.g. {@code Bash(rm -rf build)}
 * @param detail  what to show beneath it: the command, the file and the text to write, the edit
 */
public record ApprovalRequest(String toolName, JsonObject input, String summary, String detail) {
    public ApprovalRequest {
        Objects.requireNonNull(toolName, "toolName");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(summary, "summary");
        detail = detail == null ? "" : detail;
    }
}
