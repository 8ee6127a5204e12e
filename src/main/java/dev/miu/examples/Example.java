package dev.miu.examples;

/** A runnable demonstration of the library. */
public interface Example {

    /** The name {@code miu examples run} takes, e.g. {@code simple-agent}. */
    String name();

    /** One line for {@code miu examples list}. */
    String description();

    /** Runs the example, printing to {@code context.out()}; returns the process exit code (0 on success). */
    int run(ExampleContext context);
}
