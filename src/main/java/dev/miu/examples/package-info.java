/**
 * Runnable examples of the miu library, listed by {@code miu examples list} and run by {@code miu examples run NAME}
 * (or each class's {@code main}). {@link dev.miu.examples.Examples} is the registry: a new example joins it with one line.
 */
package dev.miu.examples;
