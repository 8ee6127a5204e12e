package dev.miu.core.pattern;

import dev.miu.core.MiuException;

/** A pattern was set up wrongly: a dependency cycle, an unknown agent or task, no route for a query. */
public class PatternException extends MiuException {
    public PatternException(String message) {
        super(message);
    }
}
