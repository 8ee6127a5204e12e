package dev.miu.cli;

import dev.miu.core.CancelledException;
import dev.miu.core.ConfigurationException;
import dev.miu.core.provider.ProviderException;

/**
 * Turns failures into one clear line on stderr and an exit code: 2 for something the user must configure,
 * 1 for a provider or other failure, 130 for cancellation. Stack traces only with {@code MIU_DEBUG=1}.
 * Free of picocli, so {@code serve}'s start-up ({@link ServeFastPath}) never loads it.
 */
final class FailureReport {

    static final int CONFIG_ERROR = 2;

    private FailureReport() {}

    /** Reports {@code e} on {@code err} and returns the exit code. */
    static int report(Exception e, java.io.PrintWriter err) {
        switch (e) {
            case ConfigurationException c -> err.println("miu: " + c.getMessage());
            case ProviderException p -> err.println("miu: " + p.getMessage());
            case CancelledException c -> {
                err.println("miu: cancelled");
                return 130;
            }
            default -> err.println("miu: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        if ("1".equals(System.getenv("MIU_DEBUG"))) {
            e.printStackTrace(err);
        }
        err.flush();
        return e instanceof ConfigurationException ? CONFIG_ERROR : 1;
    }
}
