package dev.miu.code;

import java.nio.file.Path;

/**
 * What the command line says about a coding run.
 *
 * @param model         model spec from {@code --model}, or {@code null} for the configured default
 * @param mode          starting mode
 * @param session       session id to resume ({@code --session}), or {@code null}
 * @param continueLast  resume the latest session of this workspace ({@code --continue})
 * @param workspace     the folder to work in ({@code --workspace}, default the current folder)
 */
public record CodingOptions(String model, Mode mode, String session, boolean continueLast, Path workspace) {
    public CodingOptions {
        if (session != null && continueLast) {
            throw new IllegalArgumentException("Use either --session or --continue, not both");
        }
        mode = mode == null ? Mode.NORMAL : mode;
        workspace = workspace == null ? Path.of("") : workspace;
    }
}
